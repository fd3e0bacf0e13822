from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import phone_validator
from places.models import Community, Region
from web.archive import Archivable
from web.limits import TEXT_MAX_LENGTH


class Organization(Archivable):
    """A social organisation or other body that applies for and runs projects,
    identified by its unified social credit code (GB 32100-2015)."""

    class Kind(models.TextChoices):
        SOCIAL_ORGANIZATION = "social_organization", _("社会组织")
        SOCIAL_WORK_AGENCY = "social_work_agency", _("社工机构")
        HUB = "hub", _("枢纽型组织")
        COMMUNITY_FOUNDATION = "community_foundation", _("社区基金会")
        SOCIAL_ENTERPRISE = "social_enterprise", _("社会企业")
        UNIVERSITY = "university", _("高校")
        MERCHANT = "merchant", _("商家")
        COMMUNITY_COMMITTEE = "community_committee", _("社区两委")

    name = models.CharField(_("组织名称"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    credit_code_waiver = models.TextField(
        _("校验位例外说明"),
        max_length=TEXT_MAX_LENGTH,
        blank=True,
        help_text=_("代码未通过 GB 32100-2015 校验但经核实真实时，由民政局工作人员填写的原因。"),
    )
    kind = models.CharField(_("组织类型"), max_length=32, choices=Kind.choices, default=Kind.SOCIAL_WORK_AGENCY)
    region = models.ForeignKey(
        Region,
        verbose_name=_("登记地"),
        on_delete=models.PROTECT,
        related_name="organizations",
        help_text=_("登记管理机关所在的市或区（市）县"),
    )
    community = models.ForeignKey(
        Community,
        verbose_name=_("所在社区"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
    )
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[phone_validator])
    address = models.CharField(_("地址"), max_length=200, blank=True)
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    description = models.TextField(_("简介"), max_length=TEXT_MAX_LENGTH, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("社会组织")
        verbose_name_plural = _("社会组织")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(credit_code__regex=r"^[0-9A-HJ-NP-RTUW-Y]{18}$"),
                                   name="organization_credit_code_alphabet"),
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A user working for an organisation: this is what makes someone agency staff."""

    class Position(models.TextChoices):
        LEADER = "leader", _("负责人")
        STAFF = "staff", _("工作人员")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("组织"), on_delete=models.CASCADE, related_name="memberships"
    )
    position = models.CharField(_("职务"), max_length=16, choices=Position.choices, default=Position.STAFF)
    title = models.CharField(_("岗位名称"), max_length=50, blank=True, help_text=_("如：项目主管、一线社工、财务"))
    joined_on = models.DateField(_("加入日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("组织成员")
        verbose_name_plural = _("组织成员")
        ordering = ["organization", "-position", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="membership_unique_user_org"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.organization}"


class SelfOrganization(models.Model):
    """A residents' self-organisation (居民自组织), growing through four stages (seed 003)."""

    class Category(models.TextChoices):
        RECREATION = "recreation", _("文体娱乐")
        MUTUAL_AID = "mutual_aid", _("邻里互助")
        SANITATION = "sanitation", _("环境卫生")
        COURTYARD = "courtyard", _("院落自治")
        PATROL = "patrol", _("安全巡逻")
        ELDER_CARE = "elder_care", _("互助养老")
        CHILD_CARE = "child_care", _("儿童关爱")
        CULTURE = "culture", _("社区文化")
        COOPERATIVE = "cooperative", _("产业合作")
        OTHER = "other", _("其他")

    class Stage(models.TextChoices):
        FOUND = "found", _("发现骨干")
        FORMED = "formed", _("组建")
        EMPOWERED = "empowered", _("培育赋能")
        PUBLIC_INTEREST = "public_interest", _("公益转化")

    STAGE_ORDER = [Stage.FOUND, Stage.FORMED, Stage.EMPOWERED, Stage.PUBLIC_INTEREST]

    community = models.ForeignKey(Community, verbose_name=_("社区"), on_delete=models.PROTECT,
                                  related_name="self_organizations")
    name = models.CharField(_("名称"), max_length=100)
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices)
    stage = models.CharField(_("发展阶段"), max_length=16, choices=Stage.choices, default=Stage.FOUND)
    members = models.PositiveIntegerField(_("成员人数"), default=0)
    # Members who have an account (residents): they may file contest applications for the
    # group, and are excluded from reviewing them (conflicts_of_interest).
    member_accounts = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("有账号的成员"), blank=True,
                                             related_name="self_organization_memberships")
    description = models.TextField(_("简介与章程要点"), max_length=TEXT_MAX_LENGTH, blank=True,
                                   help_text=_("如：加入与退出规则、议事规则"))
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True,
                                      on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("居民自组织")
        verbose_name_plural = _("居民自组织")
        ordering = ["community", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="selforg_unique_name_in_community"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_public_interest(self) -> bool:
        return self.stage == self.Stage.PUBLIC_INTEREST


class SelfOrganizationStageChange(models.Model):
    """Dated history of stages and headcounts; the current values live on the group."""

    self_organization = models.ForeignKey(SelfOrganization, verbose_name=_("居民自组织"), on_delete=models.CASCADE,
                                          related_name="history")
    changed_on = models.DateField(_("日期"))
    from_stage = models.CharField(_("原阶段"), max_length=16, choices=SelfOrganization.Stage.choices, blank=True)
    to_stage = models.CharField(_("新阶段"), max_length=16, choices=SelfOrganization.Stage.choices)
    members = models.PositiveIntegerField(_("成员人数"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True,
                              on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("自组织发展记录")
        verbose_name_plural = _("自组织发展记录")
        ordering = ["self_organization", "changed_on", "pk"]

    def __str__(self):
        return f"{self.changed_on} {self.get_to_stage_display()}"


class SelfOrganizationLeader(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("负责人/主任")
        VICE_CHAIR = "vice_chair", _("副主任")
        CORE = "core", _("骨干")

    self_organization = models.ForeignKey(SelfOrganization, verbose_name=_("居民自组织"), on_delete=models.CASCADE,
                                          related_name="leaders")
    name = models.CharField(_("姓名"), max_length=50)
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.CORE)
    since = models.DateField(_("任职起"), null=True, blank=True)

    class Meta:
        verbose_name = _("骨干")
        verbose_name_plural = _("骨干")
        ordering = ["self_organization", "role", "name"]

    def __str__(self):
        return self.name
