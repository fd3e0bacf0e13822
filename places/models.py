"""Places: 市 → 区县 → 街道 → 社区 → 院落."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """An administrative area above the community: the city, a district, a street."""

    class Level(models.TextChoices):
        CITY = "city", _("市")
        DISTRICT = "district", _("区（市）县")
        STREET = "street", _("街道/乡镇")

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"], name="region_level_code_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(level="city") | Q(parent__isnull=False),
                name="region_parent_required_below_city",
            ),
        ]

    def __str__(self):
        return self.name


class Community(models.Model):
    """A 社区 (residents' committee) or 村 (villagers' committee).

    A merged community is kept, pointing at the one that absorbed it, so that its
    projects and figures stay readable (佳宏路 absorbed 静明路 in 2017).
    """

    class Kind(models.TextChoices):
        URBAN = "urban", _("城市社区")
        RURAL = "rural", _("农村社区（村）")
        CONVERTED = "converted", _("村改居社区")
        MIXED = "mixed", _("商居混合社区")

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=100, help_text=_("如：佳宏路社区、五星村"))
    official_name = models.CharField(_("组织全称"), max_length=100, blank=True, help_text=_("如：佳宏路社区居委会"))
    street = models.ForeignKey(
        Region,
        verbose_name=_("所属街道/乡镇"),
        on_delete=models.PROTECT,
        related_name="communities",
        limit_choices_to={"level": Region.Level.STREET},
    )
    kind = models.CharField(_("社区类型"), max_length=16, choices=Kind.choices, default=Kind.URBAN)
    population = models.PositiveIntegerField(_("常住人口"), default=0)
    floating_population = models.PositiveIntegerField(_("流动人口"), default=0)
    households = models.PositiveIntegerField(_("户数"), default=0)
    grids = models.PositiveIntegerField(_("网格数"), default=0)
    micro_grids = models.PositiveIntegerField(_("微网格数"), default=0)
    party_members = models.PositiveIntegerField(_("党员人数"), default=0)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("并入社区"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="absorbed",
    )
    merged_on = models.DateField(_("合并日期"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("社区/村")
        verbose_name_plural = _("社区/村")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True, merged_on__isnull=True)
                | Q(merged_into__isnull=False, merged_on__isnull=False),
                name="community_merge_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("pk")),
                name="community_not_merged_into_itself",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        # A household has at least one resident (#13: households ≤ population).
        if self.population and self.households > self.population:
            raise ValidationError({"households": _("户数不能多于常住人口。")})

    @property
    def is_active(self) -> bool:
        return self.merged_into_id is None


class Courtyard(models.Model):
    community = models.ForeignKey(
        Community, verbose_name=_("社区"), on_delete=models.CASCADE, related_name="courtyards"
    )
    name = models.CharField(_("院落/小区名称"), max_length=100)
    households = models.PositiveIntegerField(_("户数"), default=0)

    class Meta:
        verbose_name = _("院落/小区")
        verbose_name_plural = _("院落/小区")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="courtyard_unique_name_in_community"),
        ]

    def __str__(self):
        return self.name


class ResidentGroup(models.Model):
    """A 居民小组 / 村民小组: the unit group councils (议事小组) are elected from."""

    community = models.ForeignKey(Community, verbose_name=_("社区"), on_delete=models.CASCADE,
                                  related_name="resident_groups")
    name = models.CharField(_("居民小组"), max_length=100)

    class Meta:
        verbose_name = _("居民小组")
        verbose_name_plural = _("居民小组")
        ordering = ["community", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="resident_group_unique_name_in_community"),
        ]

    def __str__(self):
        return self.name


class Household(models.Model):
    """A 户: the unit of 'one household, one vote'. Its number is unique in the community
    (paper forms are entered by it)."""

    community = models.ForeignKey(Community, verbose_name=_("社区"), on_delete=models.PROTECT,
                                  related_name="household_records")
    number = models.CharField(_("户号"), max_length=32)
    address = models.CharField(_("住址"), max_length=200, blank=True)
    courtyard = models.ForeignKey(Courtyard, verbose_name=_("院落/小区"), on_delete=models.SET_NULL, null=True,
                                  blank=True, related_name="household_records")
    group = models.ForeignKey(ResidentGroup, verbose_name=_("居民小组"), on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="households")

    class Meta:
        verbose_name = _("户")
        verbose_name_plural = _("户")
        ordering = ["community", "number"]
        constraints = [
            models.UniqueConstraint(fields=["community", "number"], name="household_unique_number_in_community"),
        ]

    def __str__(self):
        return f"{self.community.name} {self.number}"


class FigureSnapshot(models.Model):
    """One region's dashboard figures of one kind, computed by the owning app's selectors
    and stored (places.figures): a materialised view kept in Python, refreshed by beat,
    so a home page reads a row instead of aggregating every project on each request."""

    region = models.ForeignKey(Region, verbose_name=_("行政区划"), on_delete=models.CASCADE,
                               related_name="figure_snapshots")
    name = models.CharField(_("统计项"), max_length=40)
    as_of = models.DateField(_("统计日期"))
    computed_at = models.DateTimeField(_("统计时间"))
    payload = models.JSONField(_("数据"))

    class Meta:
        verbose_name = _("统计快照")
        verbose_name_plural = _("统计快照")
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="figure_snapshot_once")]

    def __str__(self):
        return f"{self.region} · {self.name}"
