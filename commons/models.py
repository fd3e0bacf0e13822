"""The community's commons: each courtyard's 三有一公开 (an autonomy organisation, a
compact kept in versions, its activities and its public accounts) and the community
fund (社区基金) that social enterprises give part of their surplus to and that funds
residents' self-organisations. Both ledgers keep a balance that the database never lets
go below zero; the services lock the balance row before they move it."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

BALANCE = dict(max_digits=12, decimal_places=2, default=Decimal("0"),
               validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("9999999999"))])
AMOUNT = dict(max_digits=12, decimal_places=2,
              validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("9999999999"))])


class CourtyardBody(models.Model):
    """院落自治组织: the courtyard's own residents' organisation (one per courtyard)."""

    courtyard = models.OneToOneField("places.Courtyard", verbose_name=_("院落/小区"), on_delete=models.CASCADE,
                                     related_name="autonomy_body")
    name = models.CharField(_("自治组织名称"), max_length=100)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    rules = models.TextField(_("议事与加入退出规则"), max_length=5000, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("院落自治组织")
        verbose_name_plural = _("院落自治组织")
        ordering = ["courtyard__name"]

    def __str__(self):
        return self.name


class CourtyardMember(models.Model):
    """A member of the autonomy organisation; leaving keeps the row (left_on)."""

    class Role(models.TextChoices):
        HEAD = "head", _("院落长")
        DEPUTY = "deputy", _("副院落长")
        TREASURER = "treasurer", _("财务监督员")
        MEMBER = "member", _("成员")

    body = models.ForeignKey(CourtyardBody, verbose_name=_("院落自治组织"), on_delete=models.CASCADE,
                             related_name="members")
    name = models.CharField(_("姓名"), max_length=50)
    resident = models.ForeignKey("residents.Resident", verbose_name=_("登记居民"), on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="courtyard_roles")
    role = models.CharField(_("职务"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(_("加入日期"))
    left_on = models.DateField(_("退出日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("院落自治组织成员")
        verbose_name_plural = _("院落自治组织成员")
        ordering = ["left_on", "role", "joined_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["body", "name"], condition=Q(left_on__isnull=True),
                                    name="courtyard_member_unique_active_name"),
            models.UniqueConstraint(fields=["body"], condition=Q(left_on__isnull=True, role="head"),
                                    name="courtyard_member_one_head"),
            models.CheckConstraint(condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                                   name="courtyard_member_dates_order"),
        ]

    def __str__(self):
        return f"{self.name}（{self.get_role_display()}）"


class CompactVersion(models.Model):
    """院落公约: every adopted text is a new version; earlier ones are kept, never edited."""

    courtyard = models.ForeignKey("places.Courtyard", verbose_name=_("院落/小区"), on_delete=models.CASCADE,
                                  related_name="compact_versions")
    number = models.PositiveSmallIntegerField(_("版本"))
    text = models.TextField(_("公约全文"), max_length=10000)
    adopted_on = models.DateField(_("通过日期"))
    adopted_by = models.CharField(_("通过方式"), max_length=100, help_text=_("如：院落居民大会，到会 46 户"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("院落公约")
        verbose_name_plural = _("院落公约")
        ordering = ["courtyard", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["courtyard", "number"], name="compact_version_unique_number"),
        ]

    def __str__(self):
        return f"{self.courtyard} 公约第 {self.number} 版"


def activity_photo_path(instance, filename):
    return f"courtyards/{instance.courtyard_id}/{filename}"


class CourtyardActivity(models.Model):
    courtyard = models.ForeignKey("places.Courtyard", verbose_name=_("院落/小区"), on_delete=models.CASCADE,
                                  related_name="activities")
    held_on = models.DateField(_("活动日期"))
    title = models.CharField(_("活动"), max_length=200)
    participants = models.PositiveIntegerField(_("参与人次"), validators=[MaxValueValidator(100000)])
    description = models.TextField(_("活动简述"), max_length=5000, blank=True)
    photo = models.FileField(_("照片"), upload_to=activity_photo_path, blank=True)
    photo_type = models.CharField(_("照片类型"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("院落活动")
        verbose_name_plural = _("院落活动")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return self.title


class CourtyardAccount(models.Model):
    """The courtyard's public accounts: one balance row, locked by every entry."""

    courtyard = models.OneToOneField("places.Courtyard", verbose_name=_("院落/小区"), on_delete=models.CASCADE,
                                     related_name="account")
    income = models.DecimalField(_("累计收入（元）"), **BALANCE)
    expense = models.DecimalField(_("累计支出（元）"), **BALANCE)
    balance = models.DecimalField(_("余额（元）"), **BALANCE)

    class Meta:
        verbose_name = _("院落公开账目")
        verbose_name_plural = _("院落公开账目")
        constraints = [
            models.CheckConstraint(condition=Q(balance__gte=0), name="courtyard_account_balance_not_negative"),
        ]

    def __str__(self):
        return f"{self.courtyard} 公开账目"


class CourtyardEntry(models.Model):
    class Direction(models.TextChoices):
        INCOME = "income", _("收入")
        EXPENSE = "expense", _("支出")

    account = models.ForeignKey(CourtyardAccount, verbose_name=_("账目"), on_delete=models.PROTECT,
                                related_name="entries")
    direction = models.CharField(_("收支"), max_length=8, choices=Direction.choices)
    amount = models.DecimalField(_("金额（元）"), **AMOUNT)
    voucher = models.CharField(_("凭证号"), max_length=40)
    entry_on = models.DateField(_("日期"))
    purpose = models.CharField(_("摘要"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记账人"), on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("记账时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("院落收支")
        verbose_name_plural = _("院落收支")
        ordering = ["-entry_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["account", "voucher"], name="courtyard_entry_unique_voucher"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="courtyard_entry_amount_positive"),
        ]

    def __str__(self):
        return f"{self.voucher} {self.get_direction_display()} {self.amount}"


class CommunityFund(models.Model):
    """社区基金: one per community; income from donations, out as grants and debits."""

    community = models.OneToOneField("places.Community", verbose_name=_("社区"), on_delete=models.PROTECT,
                                     related_name="community_fund")
    income = models.DecimalField(_("累计收入（元）"), **BALANCE)
    granted = models.DecimalField(_("累计支出（元）"), **BALANCE)
    balance = models.DecimalField(_("余额（元）"), **BALANCE)

    class Meta:
        verbose_name = _("社区基金")
        verbose_name_plural = _("社区基金")
        constraints = [
            models.CheckConstraint(condition=Q(balance__gte=0), name="community_fund_balance_not_negative"),
        ]

    def __str__(self):
        return f"{self.community} 社区基金"


class FundEntry(models.Model):
    class Kind(models.TextChoices):
        DONATION = "donation", _("社会企业利润捐赠")
        GRANT = "grant", _("资助居民自组织")
        DEBIT = "debit", _("其他支出")

    INCOME_KINDS = (Kind.DONATION,)

    fund = models.ForeignKey(CommunityFund, verbose_name=_("社区基金"), on_delete=models.PROTECT,
                             related_name="entries")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    amount = models.DecimalField(_("金额（元）"), **AMOUNT)
    donor = models.ForeignKey("organizations.Organization", verbose_name=_("捐赠方"), on_delete=models.PROTECT,
                              null=True, blank=True, related_name="fund_donations")
    selforg = models.ForeignKey("organizations.SelfOrganization", verbose_name=_("受资助自组织"),
                                on_delete=models.PROTECT, null=True, blank=True, related_name="fund_grants")
    reason = models.CharField(_("摘要"), max_length=200)
    ref = models.CharField(_("关联单号"), max_length=60, blank=True)
    entry_on = models.DateField(_("日期"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记账人"), on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("记账时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("社区基金收支")
        verbose_name_plural = _("社区基金收支")
        ordering = ["-entry_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fund_entry_amount_positive"),
            models.CheckConstraint(condition=~Q(kind="donation") | Q(donor__isnull=False),
                                   name="fund_entry_donation_has_donor"),
            models.CheckConstraint(condition=~Q(kind="grant") | Q(selforg__isnull=False),
                                   name="fund_entry_grant_has_selforg"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"

    @property
    def is_income(self) -> bool:
        return self.kind in self.INCOME_KINDS
