"""The project an approved application becomes, its tranches and what was paid.

States are TextChoices with stable ASCII values; the machines in `projects/workflows.py`
move them."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization
from places.models import Community
from web.archive import Archivable
from web.limits import TEXT_MAX_LENGTH, plausible_date

from .choices import MONEY
from .funding import Application, FundingRound, TrancheRule


class Project(Archivable):
    """An approved application (立项). Progress and evaluation hang on this record."""

    class Status(models.TextChoices):
        AGREEMENT = "agreement", _("待签协议")
        ACTIVE = "active", _("执行中")
        CLOSED = "closed", _("已结项")
        TERMINATED = "terminated", _("已终止")

    application = models.OneToOneField(Application, verbose_name=_("申报书"), on_delete=models.PROTECT,
                                       related_name="project")
    round = models.ForeignKey(FundingRound, verbose_name=_("资助轮次"), on_delete=models.PROTECT,
                              related_name="projects")
    organization = models.ForeignKey(Organization, verbose_name=_("执行机构"), on_delete=models.PROTECT,
                                     related_name="projects")
    community = models.ForeignKey(Community, verbose_name=_("实施社区"), on_delete=models.PROTECT,
                                  related_name="projects")
    title = models.CharField(_("项目名称"), max_length=200)
    approved_amount = models.DecimalField(_("立项金额（元）"), **MONEY)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.AGREEMENT)
    agreement_signed_on = models.DateField(_("协议签订日期"), validators=[plausible_date], null=True, blank=True)
    starts_on = models.DateField(_("开始日期"), validators=[plausible_date], null=True, blank=True)
    ends_on = models.DateField(_("结束日期"), validators=[plausible_date], null=True, blank=True)
    disbursed_amount = models.DecimalField(_("已拨付（元）"), default=Decimal("0"), **MONEY)
    # Running totals of accepted progress reports, kept by progress_accept in the same
    # transaction, so lists and reports read them without summing thousands of rows.
    activities_count = models.PositiveIntegerField(_("活动场次（已审核）"), default=0)
    direct_participations = models.PositiveIntegerField(_("直接参与人次（已审核）"), default=0)
    indirect_beneficiaries = models.PositiveIntegerField(_("间接服务人次（已审核）"), default=0)
    volunteers = models.PositiveIntegerField(_("志愿者人次（已审核）"), default=0)
    spent_amount = models.DecimalField(_("已支出（元，已审核）"), default=Decimal("0"), **MONEY)
    incubated = models.ManyToManyField("organizations.SelfOrganization", verbose_name=_("培育的居民自组织"),
                                       blank=True, related_name="incubating_projects")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("立项人"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(_("立项时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("立项项目")
        verbose_name_plural = _("立项项目")
        ordering = ["-approved_at"]
        indexes = [models.Index(fields=["round", "community"], name="project_round_community_idx"),
                   models.Index(fields=["-approved_at", "-id"], name="project_approved_idx"),
                   # the work queues: 待签协议 by status, oldest first
                   models.Index(fields=["status", "approved_at", "id"], name="project_status_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(approved_amount__gt=0), name="project_amount_positive"),
            models.CheckConstraint(condition=Q(disbursed_amount__gte=0)
                                   & Q(disbursed_amount__lte=models.F("approved_amount")),
                                   name="project_disbursed_within_approved"),
            models.CheckConstraint(condition=Q(spent_amount__gte=0) & Q(spent_amount__lte=models.F("approved_amount")),
                                   name="project_spent_within_approved"),
        ]

    def __str__(self):
        return self.title


class Tranche(models.Model):
    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="tranches")
    order = models.PositiveSmallIntegerField(_("批次"))
    trigger = models.CharField(_("拨付条件"), max_length=16, choices=TrancheRule.Trigger.choices)
    percent = models.DecimalField(_("比例（%）"), max_digits=5, decimal_places=2)
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    # What has been paid against it (payments less reversals), kept by the disbursement
    # services under the project's row lock: the bureau's "待拨付" queue reads it instead of
    # summing every disbursement of every tranche (708 ms at province scale, #15).
    paid_amount = models.DecimalField(_("已拨（元）"), default=0, **MONEY)

    class Meta:
        verbose_name = _("拨付批次")
        verbose_name_plural = _("拨付批次")
        ordering = ["project", "order"]
        # The bureau's 待拨付 queue: only the tranches still owed, a fraction of them all.
        indexes = [models.Index(fields=["project", "order"], condition=Q(paid_amount__lt=models.F("amount")),
                                name="tranche_unpaid_idx")]
        constraints = [
            models.UniqueConstraint(fields=["project", "order"], name="tranche_unique_order"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="tranche_amount_positive"),
            models.CheckConstraint(condition=Q(paid_amount__gte=0, paid_amount__lte=models.F("amount")),
                                   name="tranche_paid_within_amount"),
        ]

    def __str__(self):
        return _("第 %(n)s 批（%(trigger)s）") % {"n": self.order, "trigger": self.get_trigger_display()}


class Disbursement(models.Model):
    """A payment, or the reversal of one (红字冲销). Money rows are never edited: a
    mistaken payment is cancelled by a reversal entry with the negative amount, which
    points at the payment it cancels; sums over a tranche or project net out."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.PROTECT,
                                related_name="disbursements")
    tranche = models.ForeignKey(Tranche, verbose_name=_("拨付批次"), on_delete=models.PROTECT,
                                related_name="disbursements")
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    paid_on = models.DateField(_("拨付日期"), validators=[plausible_date])
    voucher_number = models.CharField(_("凭证号"), max_length=50)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    reverses = models.OneToOneField("self", verbose_name=_("冲销的拨付"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="reversal")
    reason = models.TextField(_("冲销原因"), max_length=TEXT_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("拨付记录")
        verbose_name_plural = _("拨付记录")
        ordering = ["project", "paid_on", "pk"]
        constraints = [
            # A voucher pays once: a double submit hits this constraint, not the budget.
            models.UniqueConstraint(fields=["project", "voucher_number"], name="disbursement_unique_voucher"),
            # A payment is positive; a reversal is negative and names the payment (one reversal each: OneToOne).
            models.CheckConstraint(condition=Q(reverses__isnull=True, amount__gt=0)
                                   | Q(reverses__isnull=False, amount__lt=0) & ~Q(reason=""),
                                   name="disbursement_amount_sign"),
        ]

    def __str__(self):
        return f"{self.voucher_number} {self.amount}"

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None
