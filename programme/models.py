"""The programme at a glance (issue #20): coverage against the city's targets, the
supervision expert pool, the community-building map and the learning library.

This app sits above projects and assessments and below reports: it reads them, they
never name it.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from places.models import Community, Region
from projects.models import LeveragePoint, Project

# --- Coverage ---------------------------------------------------------------------


class CoverageRule(models.Model):
    """One kind of evidence that a community "runs 营造 actions" in a year.

    The rule is data: the bureau words the definition shown on the page and switches
    sources on or off. The SQL behind a source comes from the source registry
    (programme.coverage); a rule whose source no app provides yet is shown as pending.
    """

    source = models.CharField(_("数据来源代码"), max_length=32, unique=True,
                              help_text=_("稳定的英文代码，如 funded_project、micro_grant、public_fund"))
    label = models.CharField(_("名称"), max_length=50)
    definition = models.CharField(_("口径说明"), max_length=500)
    active = models.BooleanField(_("计入覆盖率"), default=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("覆盖率口径")
        verbose_name_plural = _("覆盖率口径")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.label


class CoverageTarget(models.Model):
    """The share of communities that should run 营造 actions in a year, for a region.

    A street or district without its own target takes its parent's (the city's 90 %
    by 2020 applies everywhere unless a district sets its own)."""

    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    percent = models.DecimalField(_("目标覆盖率（%）"), max_digits=5, decimal_places=2,
                                  validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))])
    note = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("覆盖率目标")
        verbose_name_plural = _("覆盖率目标")
        ordering = ["year", "region__code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "region"], name="coverage_target_unique_year_region"),
            models.CheckConstraint(condition=Q(percent__gte=0) & Q(percent__lte=100),
                                   name="coverage_target_percent_range"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="coverage_target_year_range"),
        ]

    def __str__(self):
        return f"{self.year} · {self.region} · {self.percent}%"






# --- Expert pool --------------------------------------------------------------------


class Expert(models.Model):
    """A member of the supervision expert pool (seed 003: "1 project + 1 university
    expert + 1 senior supervisor + 1 social worker", 15 experts in 5 groups)."""

    class Kind(models.TextChoices):
        UNIVERSITY = "university", _("高校专家")
        SENIOR_SUPERVISOR = "senior_supervisor", _("资深督导")
        SOCIAL_WORKER = "social_worker", _("专业社工")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.PROTECT,
                                related_name="expert_profile")
    kind = models.CharField(_("类别"), max_length=32, choices=Kind.choices)
    affiliation = models.CharField(_("单位"), max_length=100, blank=True)
    specialties = models.CharField(_("专长"), max_length=200, blank=True, help_text=_("如：自组织培育、参与式评估"))
    categories = models.JSONField(_("擅长的项目类别（营造支点）"), default=list, blank=True)
    regions = models.ManyToManyField(Region, verbose_name=_("服务区域"), blank=True, related_name="+",
                                     limit_choices_to={"level": Region.Level.DISTRICT})
    active = models.BooleanField(_("在库"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("专家")
        verbose_name_plural = _("专家库")
        ordering = ["kind", "user__real_name", "pk"]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()}"


class ExpertGroup(models.Model):
    """A mutual-help supervision group (督导互助小组), formed by region and project category."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    region = models.ForeignKey(Region, verbose_name=_("区域"), on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    category = models.CharField(_("项目类别（营造支点）"), max_length=32, choices=LeveragePoint.choices, blank=True)
    members = models.ManyToManyField(Expert, verbose_name=_("成员"), blank=True, related_name="groups")
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("督导互助小组")
        verbose_name_plural = _("督导互助小组")
        ordering = ["name"]

    def __str__(self):
        return self.name


# --- Community-building map (社区营造地图) ---------------------------------------------

# Chengdu's extent, a little generous: a point outside it is a typo (swapped
# longitude/latitude, a missing digit), not a community of ours.
LNG_RANGE = (Decimal("102.9"), Decimal("104.9"))
LAT_RANGE = (Decimal("30.0"), Decimal("31.5"))
STORY_TEXT_MAX = 2000


class CommunityStory(models.Model):
    """A community's page on the community-building map: what a visiting peer should
    know (seed 003: history, culture, specialties, resources and outcomes), and where
    it is. Kept by the community's own staff."""

    community = models.OneToOneField(Community, verbose_name=_("社区"), on_delete=models.PROTECT,
                                     related_name="story")
    history = models.TextField(_("社区历史"), max_length=STORY_TEXT_MAX, blank=True)
    culture = models.TextField(_("社区文化"), max_length=STORY_TEXT_MAX, blank=True)
    specialties = models.TextField(_("特产与美食"), max_length=STORY_TEXT_MAX, blank=True)
    resources = models.TextField(_("社区资源"), max_length=STORY_TEXT_MAX, blank=True)
    outcomes = models.TextField(_("营造成效"), max_length=STORY_TEXT_MAX, blank=True)
    lng = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True,
                              validators=[MinValueValidator(LNG_RANGE[0]), MaxValueValidator(LNG_RANGE[1])])
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True,
                              validators=[MinValueValidator(LAT_RANGE[0]), MaxValueValidator(LAT_RANGE[1])])
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("最近编辑人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("社区营造地图档案")
        verbose_name_plural = _("社区营造地图档案")
        ordering = ["community__code"]
        constraints = [
            models.CheckConstraint(condition=Q(lng__isnull=True, lat__isnull=True)
                                   | Q(lng__isnull=False, lat__isnull=False), name="story_point_both_or_neither"),
            models.CheckConstraint(condition=Q(lng__isnull=True) | Q(lng__gte=LNG_RANGE[0], lng__lte=LNG_RANGE[1]),
                                   name="story_lng_in_chengdu"),
            models.CheckConstraint(condition=Q(lat__isnull=True) | Q(lat__gte=LAT_RANGE[0], lat__lte=LAT_RANGE[1]),
                                   name="story_lat_in_chengdu"),
        ]

    def __str__(self):
        return str(self.community)

    @property
    def has_point(self) -> bool:
        return self.lng is not None and self.lat is not None


class LearningRoute(models.Model):
    """A peer-learning route (学习路线): communities to visit, in order (seed 003: 游学路线)."""

    name = models.CharField(_("路线名称"), max_length=100)
    description = models.CharField(_("说明"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("编排人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("学习路线")
        verbose_name_plural = _("学习路线")
        ordering = ["-updated_at", "pk"]

    def __str__(self):
        return self.name


class RouteStop(models.Model):
    route = models.ForeignKey(LearningRoute, verbose_name=_("学习路线"), on_delete=models.CASCADE,
                              related_name="stops")
    community = models.ForeignKey(Community, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(_("顺序"))
    note = models.CharField(_("看点"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("路线站点")
        verbose_name_plural = _("路线站点")
        ordering = ["route", "order"]
        constraints = [
            models.UniqueConstraint(fields=["route", "order"], name="route_stop_unique_order"),
            models.UniqueConstraint(fields=["route", "community"], name="route_stop_unique_community"),
        ]

    def __str__(self):
        return f"{self.route} · {self.order}. {self.community}"


# --- Learning library ---------------------------------------------------------------


def library_path(instance, filename: str) -> str:
    """Stored under a random name: the original name is kept in the row, never trusted
    as a path."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"library/{uuid.uuid4().hex}.{extension}"


class TrainingCourse(models.Model):
    """A training course (研修班). Seed 003: the programme began with a three-day
    advanced course for 300+ officials, community secretaries and organisation heads."""

    title = models.CharField(_("名称"), max_length=200)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    location = models.CharField(_("地点"), max_length=100, blank=True)
    organizer = models.CharField(_("主办/授课"), max_length=200, blank=True)
    audience = models.CharField(_("培训对象"), max_length=300)
    participants = models.PositiveIntegerField(_("参训人数"), default=0,
                                               validators=[MaxValueValidator(100000)])
    summary = models.TextField(_("内容简介"), max_length=2000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("研修班")
        verbose_name_plural = _("研修班")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="course_ends_after_start"),
            models.CheckConstraint(condition=Q(participants__lte=100000), name="course_participants_plausible"),
        ]

    def __str__(self):
        return self.title

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


class LibraryFile(models.Model):
    """What every upload in the library records: the file under a random name and the
    type its first bytes proved."""

    file = models.FileField(_("文件"), upload_to=library_path)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("类型"), max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        abstract = True


class CourseMaterial(LibraryFile):
    course = models.ForeignKey(TrainingCourse, verbose_name=_("研修班"), on_delete=models.CASCADE,
                               related_name="materials")

    class Meta:
        verbose_name = _("研修班资料")
        verbose_name_plural = _("研修班资料")
        ordering = ["course", "uploaded_at", "pk"]

    def __str__(self):
        return self.name


class CourseAttendee(models.Model):
    """One line of a course's attendance list (签到表)."""

    course = models.ForeignKey(TrainingCourse, verbose_name=_("研修班"), on_delete=models.CASCADE,
                               related_name="attendees")
    name = models.CharField(_("姓名"), max_length=50)
    organization = models.CharField(_("单位"), max_length=100, blank=True)
    position = models.CharField(_("职务"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("签到")
        verbose_name_plural = _("签到表")
        ordering = ["course", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["course", "name", "organization"], name="attendee_unique_in_course"),
        ]

    def __str__(self):
        return self.name


class CaseStudy(LibraryFile):
    """An action-research report or a case (seed 003: 行动研究报告, 优秀社区营造项目)."""

    class Kind(models.TextChoices):
        ACTION_RESEARCH = "action_research", _("行动研究报告")
        CASE = "case", _("案例")

    kind = models.CharField(_("类型"), max_length=32, choices=Kind.choices, default=Kind.CASE)
    title = models.CharField(_("标题"), max_length=200)
    summary = models.TextField(_("摘要"), max_length=2000)
    tags = models.CharField(_("标签"), max_length=200, blank=True, help_text=_("用逗号或空格分隔，如：夜市、商居共治"))
    communities = models.ManyToManyField(Community, verbose_name=_("相关社区"), blank=True, related_name="+")
    projects = models.ManyToManyField(Project, verbose_name=_("相关项目"), blank=True, related_name="+")
    file = models.FileField(_("文件"), upload_to=library_path, blank=True)
    name = models.CharField(_("文件名"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    content_type = models.CharField(_("类型"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("案例与行动研究")
        verbose_name_plural = _("案例与行动研究")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.replace("，", ",").replace("、", ",").replace(" ", ",").split(",") if t]
