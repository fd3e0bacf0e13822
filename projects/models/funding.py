"""Funding rounds with their review forms and tranche rules, and the applications made
to them (budget lines, attachments, revisions).

States are TextChoices with stable ASCII values; the machines in `projects/workflows.py`
move them.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization, SelfOrganization
from places.models import Community, Courtyard, Region
from web.archive import Archivable
from web.limits import PROJECT_MAX_DAYS, TEXT_MAX_LENGTH, plausible_date

from .choices import DIMENSION_FIELDS, MONEY, Dimension, LeveragePoint, NeedsMethod

# --- Review forms (评审表) -------------------------------------------------------


class ReviewForm(models.Model):
    """A versioned review form. Once a sheet uses it, it is frozen: a change is a new
    version, so a submitted sheet always shows the form it was scored on."""

    name = models.CharField(_("名称"), max_length=100)
    version = models.PositiveIntegerField(_("版本"), default=1)
    description = models.TextField(_("说明"), max_length=TEXT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评审表")
        verbose_name_plural = _("评审表")
        ordering = ["name", "-version"]
        constraints = [models.UniqueConstraint(fields=["name", "version"], name="review_form_unique_version")]

    def __str__(self):
        return _("%(name)s（第 %(v)s 版）") % {"name": self.name, "v": self.version}

    @property
    def is_in_use(self) -> bool:
        return self.sheets.exists()


class ReviewCriterion(models.Model):
    form = models.ForeignKey(ReviewForm, verbose_name=_("评审表"), on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("代码"), max_length=32)
    name = models.CharField(_("评审项"), max_length=100)
    guidance = models.TextField(_("评分指引"), max_length=TEXT_MAX_LENGTH, blank=True)
    weight = models.DecimalField(_("权重（%）"), max_digits=5, decimal_places=2)
    max_score = models.PositiveSmallIntegerField(_("满分"), default=10)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("评审项")
        verbose_name_plural = _("评审项")
        ordering = ["form", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["form", "code"], name="review_criterion_unique_code"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="review_criterion_weight_positive"),
            models.CheckConstraint(condition=Q(max_score__gt=0), name="review_criterion_max_positive"),
        ]

    def __str__(self):
        return self.name


# --- Funding rounds --------------------------------------------------------------


class FundingRound(Archivable):
    class ReportFrequency(models.TextChoices):
        MONTHLY = "monthly", _("每月")
        QUARTERLY = "quarterly", _("每季度")

    class Kind(models.TextChoices):
        BUREAU = "bureau", _("民政局资助轮次")
        CONTEST = "contest", _("社区微创投大赛")

    class FunderSource(models.TextChoices):
        """Whose money a community contest spends; the debit is registered by the app
        that keeps that ledger (projects.contest_funders)."""

        NONE = "", _("民政局项目资金")
        PUBLIC_SERVICE_FUND = "public_service_fund", _("社区公共服务资金")
        COMMUNITY_FUND = "community_fund", _("社区基金")

    name = models.CharField(_("名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"))
    funder = models.ForeignKey(
        Region, verbose_name=_("资助方（民政局）"), on_delete=models.PROTECT, related_name="funding_rounds",
        help_text=_("市或区（市）县民政局；决定本轮可申报的社区范围。"),
    )
    description = models.TextField(_("说明"), max_length=TEXT_MAX_LENGTH, blank=True)
    total_budget = models.DecimalField(_("总预算（元）"), **MONEY)
    per_project_cap = models.DecimalField(_("单项目上限（元）"), **MONEY)
    per_community_cap = models.DecimalField(_("单社区上限（元）"), **MONEY)
    opens_at = models.DateTimeField(_("申报开始"))
    closes_at = models.DateTimeField(_("申报截止"))
    report_frequency = models.CharField(_("进度报告频率"), max_length=16, choices=ReportFrequency.choices,
                                        default=ReportFrequency.QUARTERLY)
    review_form = models.ForeignKey(ReviewForm, verbose_name=_("评审表"), on_delete=models.PROTECT,
                                    related_name="rounds")
    report_due_days = models.PositiveSmallIntegerField(
        _("报告提交期限（周期结束后天数）"), default=10,
        help_text=_("每个报告周期结束后多少天内须提交进度报告，逾期显示为逾期。"))
    endorsement_wait_days = models.PositiveSmallIntegerField(
        _("社区意见等待天数"), default=7, validators=[MaxValueValidator(60)],
        help_text=_("申报书提交后等待社区意见的天数；逾期未填写，民政局可写明理由后继续形式审查。"))
    score_spread_gap = models.DecimalField(
        _("评分分歧提示阈值（分）"), max_digits=5, decimal_places=2, default=Decimal("15"),
        help_text=_("同一申报书各评审总分的最高与最低相差超过此值时提示讨论。"),
    )
    # A community micro-grant contest (微创投大赛) runs on the same round: see projects/contests.py.
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.BUREAU, db_index=True)
    community = models.ForeignKey(Community, verbose_name=_("举办社区"), on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="contests")
    funder_source = models.CharField(_("资金来源"), max_length=32, choices=FunderSource.choices, blank=True,
                                     default="")
    committee = models.ForeignKey("projects.ReviewCommittee", verbose_name=_("评审会"), on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="contests")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("资助轮次")
        verbose_name_plural = _("资助轮次")
        ordering = ["-year", "-opens_at"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="round_window_ordered"),
            models.CheckConstraint(
                condition=Q(total_budget__gt=0, per_project_cap__gt=0, per_community_cap__gt=0),
                name="round_money_positive",
            ),
            models.CheckConstraint(condition=Q(per_project_cap__lte=models.F("per_community_cap")),
                                   name="round_project_cap_within_community_cap"),
            models.CheckConstraint(condition=Q(endorsement_wait_days__lte=60), name="round_endorsement_wait_bounded"),
            models.CheckConstraint(condition=Q(per_project_cap__lte=models.F("total_budget")),
                                   name="round_project_cap_within_total_budget"),
            models.CheckConstraint(
                condition=Q(kind="bureau", community__isnull=True, funder_source="", committee__isnull=True)
                | Q(kind="contest", community__isnull=False) & ~Q(funder_source=""),
                name="round_contest_has_community_and_source"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.total_budget is not None and self.per_project_cap is not None and (
                self.per_project_cap > self.total_budget):
            raise ValidationError({"per_project_cap": _("单项目上限不能超过本轮总预算。")})
        if self.per_project_cap is not None and self.per_community_cap is not None and (
                self.per_project_cap > self.per_community_cap):
            raise ValidationError({"per_project_cap": _("单项目上限不能超过单社区上限。")})

    def is_open(self, at) -> bool:
        return self.opens_at <= at <= self.closes_at


class TrancheRule(models.Model):
    """One disbursement step of a round, e.g. 50% on agreement."""

    class Trigger(models.TextChoices):
        AGREEMENT = "agreement", _("签订协议后")
        MIDTERM = "midterm", _("中期评估通过后")
        FINAL = "final", _("结项评估通过后")

    round = models.ForeignKey(FundingRound, verbose_name=_("资助轮次"), on_delete=models.CASCADE,
                              related_name="tranche_rules")
    order = models.PositiveSmallIntegerField(_("顺序"))
    percent = models.DecimalField(_("比例（%）"), max_digits=5, decimal_places=2,
                                  validators=[MinValueValidator(Decimal("0.01"))])
    trigger = models.CharField(_("拨付条件"), max_length=16, choices=Trigger.choices)

    class Meta:
        verbose_name = _("拨付批次规则")
        verbose_name_plural = _("拨付批次规则")
        ordering = ["round", "order"]
        constraints = [
            models.UniqueConstraint(fields=["round", "order"], name="tranche_rule_unique_order"),
            models.CheckConstraint(condition=Q(percent__gt=0, percent__lte=100), name="tranche_rule_percent_range"),
        ]

    def __str__(self):
        return f"{self.get_trigger_display()} {self.percent}%"


# --- Applications ----------------------------------------------------------------


class Application(Archivable):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待形式审查")
        RETURNED = "returned", _("退回修改")
        IN_REVIEW = "in_review", _("专家评审中")
        APPROVED = "approved", _("已立项")
        REJECTED = "rejected", _("未立项")
        WITHDRAWN = "withdrawn", _("已撤回")

    class Endorsement(models.TextChoices):
        NONE = "", _("未填写")
        SUPPORT = "support", _("同意申报")
        RESERVATIONS = "reservations", _("有保留意见")
        OPPOSE = "oppose", _("不同意")

    round = models.ForeignKey(FundingRound, verbose_name=_("资助轮次"), on_delete=models.PROTECT,
                              related_name="applications")
    organization = models.ForeignKey(Organization, verbose_name=_("申报机构"), on_delete=models.PROTECT,
                                     related_name="applications", null=True, blank=True)
    # A contest application comes from a residents' self-organisation or a courtyard instead.
    self_organization = models.ForeignKey(SelfOrganization, verbose_name=_("申报自组织"), on_delete=models.PROTECT,
                                          related_name="contest_applications", null=True, blank=True)
    courtyard = models.ForeignKey(Courtyard, verbose_name=_("申报院落"), on_delete=models.PROTECT,
                                  related_name="contest_applications", null=True, blank=True)
    community = models.ForeignKey(Community, verbose_name=_("实施社区"), on_delete=models.PROTECT,
                                  related_name="applications")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    title = models.CharField(_("项目名称"), max_length=200)
    summary = models.TextField(_("项目概述"), max_length=TEXT_MAX_LENGTH, blank=True)
    dim_people = models.BooleanField(_("人"), default=False)
    dim_culture = models.BooleanField(_("文"), default=False)
    dim_place = models.BooleanField(_("地"), default=False)
    dim_landscape = models.BooleanField(_("景"), default=False)
    dim_livelihood = models.BooleanField(_("产"), default=False)
    leverage_point = models.CharField(_("营造支点"), max_length=32, choices=LeveragePoint.choices, blank=True)
    needs_methods = models.JSONField(_("需求调研方法"), default=list, blank=True)
    needs_findings = models.TextField(_("需求调研发现"), max_length=TEXT_MAX_LENGTH, blank=True)
    goals = models.TextField(_("项目目标"), max_length=TEXT_MAX_LENGTH, blank=True)
    strategy = models.TextField(_("实施策略"), max_length=TEXT_MAX_LENGTH, blank=True)
    activity_plan = models.TextField(_("活动计划与时间安排"), max_length=TEXT_MAX_LENGTH, blank=True)
    starts_on = models.DateField(_("计划开始日期"), validators=[plausible_date], null=True, blank=True)
    ends_on = models.DateField(_("计划结束日期"), validators=[plausible_date], null=True, blank=True)
    project_lead = models.CharField(_("项目负责人"), max_length=50, blank=True)
    social_workers = models.CharField(_("社工团队"), max_length=200, blank=True)
    university_expert = models.CharField(_("高校专家"), max_length=50, blank=True)
    senior_supervisor = models.CharField(_("资深督导"), max_length=50, blank=True)
    planned_activities = models.PositiveIntegerField(_("计划活动场次"), default=0)
    planned_participations = models.PositiveIntegerField(_("计划直接参与人次"), default=0)
    requested_amount = models.DecimalField(_("申请金额（元）"), default=Decimal("0"), **MONEY)
    endorsement = models.CharField(_("社区意见"), max_length=16, choices=Endorsement.choices, blank=True, default="")
    endorsement_text = models.TextField(_("社区意见说明"), max_length=TEXT_MAX_LENGTH, blank=True)
    endorsed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("社区意见填写人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    endorsed_at = models.DateTimeField(_("社区意见时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("最近提交时间"), null=True, blank=True)
    decision_reason = models.TextField(_("结论说明"), max_length=TEXT_MAX_LENGTH, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("申报书")
        verbose_name_plural = _("申报书")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["round", "status"], name="application_round_status_idx"),
                   # the list order: its page of ids comes from this index alone
                   models.Index(fields=["-updated_at", "-id"], name="application_updated_idx"),
                   # the work queues: 待形式审查 / 待分配评审 / 待作出结论, oldest first
                   models.Index(fields=["status", "submitted_at", "id"], name="application_queue_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(requested_amount__gte=0), name="application_requested_non_negative"),
            models.CheckConstraint(
                condition=Q(organization__isnull=False, self_organization__isnull=True, courtyard__isnull=True)
                | Q(organization__isnull=True, self_organization__isnull=False, courtyard__isnull=True)
                | Q(organization__isnull=True, self_organization__isnull=True, courtyard__isnull=False),
                name="application_one_applicant"),
        ]

    def __str__(self):
        return self.title

    @property
    def applicant_name(self) -> str:
        applicant = self.organization or self.self_organization or self.courtyard
        return applicant.name if applicant else ""

    def clean(self):
        if self.starts_on and self.ends_on:
            if self.ends_on < self.starts_on:
                raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})
            if (self.ends_on - self.starts_on).days > PROJECT_MAX_DAYS:
                raise ValidationError({"ends_on": _("项目周期不能超过 5 年。")})

    @property
    def dimensions(self) -> list[str]:
        return [code for code, field in DIMENSION_FIELDS.items() if getattr(self, field)]

    @property
    def dimension_labels(self) -> str:
        return "".join(str(Dimension(code).label) for code in self.dimensions)

    @property
    def needs_method_labels(self) -> list[str]:
        labels = dict(NeedsMethod.choices)
        return [str(labels.get(m, m)) for m in self.needs_methods]


class BudgetLine(models.Model):
    class Category(models.TextChoices):
        PERSONNEL = "personnel", _("人员劳务")
        ACTIVITIES = "activities", _("活动费用")
        MATERIALS = "materials", _("物资材料")
        VENUE = "venue", _("场地改造")
        TRAINING = "training", _("培训督导")
        PUBLICITY = "publicity", _("宣传印刷")
        ADMINISTRATION = "administration", _("行政管理")
        OTHER = "other", _("其他")

    class CofundingSource(models.TextChoices):
        NONE = "", _("无")
        PUBLIC_SERVICE_FUND = "public_service_fund", _("社区公共服务资金")
        COMMUNITY_FUND = "community_fund", _("社区基金")
        SELF_RAISED = "self_raised", _("自筹")
        OTHER = "other", _("其他")

    application = models.ForeignKey(Application, verbose_name=_("申报书"), on_delete=models.CASCADE,
                                    related_name="budget_lines")
    category = models.CharField(_("类别"), max_length=32, choices=Category.choices)
    description = models.CharField(_("说明"), max_length=200)
    amount = models.DecimalField(_("申请资助（元）"), **MONEY)
    cofunding_amount = models.DecimalField(_("配套资金（元）"), default=Decimal("0"), **MONEY)
    cofunding_source = models.CharField(_("配套来源"), max_length=32, choices=CofundingSource.choices, blank=True,
                                        default="")
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("预算明细")
        verbose_name_plural = _("预算明细")
        ordering = ["application", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0, cofunding_amount__gte=0), name="budget_line_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(cofunding_amount=0) | ~Q(cofunding_source=""), name="budget_line_cofunding_has_source"
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()} {self.amount}"


def attachment_path(instance, filename):
    return f"applications/{instance.application_id}/{filename}"


ATTACHMENT_EXTENSIONS = ["pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx", "ppt", "pptx"]

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


class ApplicationAttachment(models.Model):
    application = models.ForeignKey(Application, verbose_name=_("申报书"), on_delete=models.CASCADE,
                                    related_name="attachments")
    file = models.FileField(_("文件"), upload_to=attachment_path,
                            validators=[FileExtensionValidator(ATTACHMENT_EXTENSIONS)])
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("类型"), max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.name


class ApplicationRevision(models.Model):
    """What was submitted, frozen: one row per submission, never edited."""

    application = models.ForeignKey(Application, verbose_name=_("申报书"), on_delete=models.CASCADE,
                                    related_name="revisions")
    number = models.PositiveSmallIntegerField(_("版本号"))
    content = models.JSONField(_("内容"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提交人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申报书版本")
        verbose_name_plural = _("申报书版本")
        ordering = ["application", "number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="revision_unique_number")]

    def __str__(self):
        return f"{self.application} v{self.number}"
