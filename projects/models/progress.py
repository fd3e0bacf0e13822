"""After approval: progress reports with activities and spending, supervision visits
and rectification items."""


from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organizations.models import SelfOrganization
from places.models import Community, Courtyard, Region
from web.limits import PARTICIPANTS_MAX, TEXT_MAX_LENGTH, plausible_date

from .choices import MONEY
from .funding import BudgetLine
from .project import Project

__all__ = [
    "ProgressReport", "Activity", "ActivityPhoto", "Expense", "SelfOrganizationUpdate", "ProgressComment",
    "SupervisorAssignment", "SupervisionVisit", "Rectification", "PHOTO_EXTENSIONS", "PHOTO_MAX_BYTES",
    "ParticipationRollup",
]


class ProgressReport(models.Model):
    """One reporting period of a project (进度报告). Only accepted reports count."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("待填报")
        SUBMITTED = "submitted", _("待审核")
        RETURNED = "returned", _("退回修改")
        ACCEPTED = "accepted", _("已通过")

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE,
                                related_name="progress_reports")
    number = models.PositiveSmallIntegerField(_("期次"))
    period_start = models.DateField(_("周期开始"), validators=[plausible_date])
    period_end = models.DateField(_("周期结束"), validators=[plausible_date])
    due_on = models.DateField(_("报送截止"), validators=[plausible_date], db_index=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    progress = models.TextField(_("目标进展"), max_length=TEXT_MAX_LENGTH, blank=True)
    problems = models.TextField(_("问题与困难"), max_length=TEXT_MAX_LENGTH, blank=True)
    next_plan = models.TextField(_("下期计划"), max_length=TEXT_MAX_LENGTH, blank=True)
    resident_voices = models.TextField(_("居民声音"), max_length=TEXT_MAX_LENGTH, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回原因"), max_length=TEXT_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("进度报告")
        verbose_name_plural = _("进度报告")
        ordering = ["project", "number"]
        indexes = [models.Index(fields=["due_on", "id"], name="progress_report_due_idx"),
                   # the work queues: 待审核 reports, oldest first
                   models.Index(fields=["status", "submitted_at", "id"], name="progress_report_status_idx")]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="progress_report_unique_number"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="progress_report_period_ordered"),
        ]

    def __str__(self):
        return _("%(p)s 第 %(n)s 期进度报告") % {"p": self.project, "n": self.number}

    def is_overdue(self, today) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED) and today > self.due_on


class Activity(models.Model):
    class Kind(models.TextChoices):
        COURTYARD_MEETING = "courtyard_meeting", _("坝坝会")
        TRAINING = "training", _("培训/工作坊")
        VOLUNTEERING = "volunteering", _("志愿服务")
        RECREATION = "recreation", _("文体活动")
        DELIBERATION = "deliberation", _("议事协商")
        ENVIRONMENT = "environment", _("环境治理")
        STUDY_VISIT = "study_visit", _("参访")
        PUBLICITY = "publicity", _("宣传")
        OTHER = "other", _("其他")

    report = models.ForeignKey(ProgressReport, verbose_name=_("进度报告"), on_delete=models.CASCADE,
                               related_name="activities")
    held_on = models.DateField(_("日期"), validators=[plausible_date], db_index=True)
    title = models.CharField(_("活动名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=32, choices=Kind.choices)
    community = models.ForeignKey(Community, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+")
    courtyard = models.ForeignKey(Courtyard, verbose_name=_("院落"), on_delete=models.SET_NULL, null=True,
                                  blank=True, related_name="+")
    place = models.CharField(_("地点"), max_length=200, blank=True)
    direct_participations = models.PositiveIntegerField(_("直接参与人次"), default=0,
                                                       validators=[MaxValueValidator(PARTICIPANTS_MAX)])
    indirect_beneficiaries = models.PositiveIntegerField(_("间接服务人次"), default=0,
                                                        validators=[MaxValueValidator(PARTICIPANTS_MAX)])
    volunteers = models.PositiveIntegerField(_("志愿者人次"), default=0,
                                            validators=[MaxValueValidator(PARTICIPANTS_MAX)])
    self_organizations = models.ManyToManyField(SelfOrganization, verbose_name=_("参与的居民自组织"), blank=True,
                                                related_name="activities")

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["report", "held_on", "pk"]

    def __str__(self):
        return self.title


PHOTO_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
PHOTO_MAX_BYTES = 5 * 1024 * 1024


def photo_path(instance, filename):
    return f"activities/{instance.activity_id}/{filename}"


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(Activity, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("照片"), upload_to=photo_path, validators=[FileExtensionValidator(PHOTO_EXTENSIONS)])
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("类型"), max_length=100)
    caption = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")

    def __str__(self):
        return self.name


class Expense(models.Model):
    """Spending against one of the project's budget lines."""

    report = models.ForeignKey(ProgressReport, verbose_name=_("进度报告"), on_delete=models.CASCADE,
                               related_name="expenses")
    budget_line = models.ForeignKey(BudgetLine, verbose_name=_("预算科目"), on_delete=models.PROTECT,
                                    related_name="expenses")
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    spent_on = models.DateField(_("支出日期"), validators=[plausible_date])
    voucher = models.CharField(_("凭证号"), max_length=50)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    over_budget_explanation = models.TextField(_("超支说明"), max_length=TEXT_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("支出")
        verbose_name_plural = _("支出")
        ordering = ["report", "spent_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="expense_amount_positive")]

    def __str__(self):
        return f"{self.voucher} {self.amount}"


class SelfOrganizationUpdate(models.Model):
    """What a report says happened to a self-organisation; applied when accepted."""

    report = models.ForeignKey(ProgressReport, verbose_name=_("进度报告"), on_delete=models.CASCADE,
                               related_name="self_organization_updates")
    self_organization = models.ForeignKey(SelfOrganization, verbose_name=_("居民自组织"), on_delete=models.CASCADE,
                                          related_name="+")
    stage = models.CharField(_("发展阶段"), max_length=16, choices=SelfOrganization.Stage.choices)
    members = models.PositiveIntegerField(_("成员人数"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("自组织进展")
        verbose_name_plural = _("自组织进展")
        constraints = [models.UniqueConstraint(fields=["report", "self_organization"],
                                               name="selforg_update_once_per_report")]

    def __str__(self):
        return f"{self.self_organization_id} → {self.get_stage_display()}"


class ProgressComment(models.Model):
    report = models.ForeignKey(ProgressReport, verbose_name=_("进度报告"), on_delete=models.CASCADE,
                               related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评论人"), on_delete=models.PROTECT,
                               related_name="+")
    body = models.TextField(_("意见"), max_length=TEXT_MAX_LENGTH)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("进度报告意见")
        verbose_name_plural = _("进度报告意见")
        ordering = ["created_at"]

    def __str__(self):
        return self.body[:50]


class SupervisorAssignment(models.Model):
    """The project's supervision team: 1 university expert + 1 senior supervisor + 1 social worker."""

    class Position(models.TextChoices):
        UNIVERSITY_EXPERT = "university_expert", _("高校专家")
        SENIOR_SUPERVISOR = "senior_supervisor", _("资深督导")
        SOCIAL_WORKER = "social_worker", _("社工")

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE,
                                related_name="supervisor_assignments")
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("督导"), on_delete=models.PROTECT,
                                   related_name="supervisor_assignments")
    position = models.CharField(_("角色"), max_length=32, choices=Position.choices)
    assigned_at = models.DateTimeField(_("分配时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("督导分配")
        verbose_name_plural = _("督导分配")
        constraints = [
            models.UniqueConstraint(fields=["project", "position"], name="supervisor_one_per_position"),
            models.UniqueConstraint(fields=["project", "supervisor"], name="supervisor_once_per_project"),
        ]

    def __str__(self):
        return f"{self.project} · {self.get_position_display()} · {self.supervisor}"


class SupervisionVisit(models.Model):
    class Mode(models.TextChoices):
        ONLINE = "online", _("线上")
        APPOINTMENT = "appointment", _("预约")
        ONSITE = "onsite", _("实地")

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE,
                                related_name="supervision_visits")
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("督导"), on_delete=models.PROTECT,
                                   related_name="+")
    visited_on = models.DateField(_("日期"), validators=[plausible_date])
    mode = models.CharField(_("方式"), max_length=16, choices=Mode.choices)
    findings = models.TextField(_("发现"), max_length=TEXT_MAX_LENGTH)
    advice = models.TextField(_("建议"), max_length=TEXT_MAX_LENGTH, blank=True)
    follow_up_due = models.DateField(_("跟进期限"), validators=[plausible_date], null=True, blank=True)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("督导记录")
        verbose_name_plural = _("督导记录")
        ordering = ["-visited_on", "-pk"]

    def __str__(self):
        return f"{self.project} {self.visited_on}"


class Rectification(models.Model):
    """An issue to fix (整改), raised by supervision, an evaluation or residents."""

    class Source(models.TextChoices):
        SUPERVISION = "supervision", _("督导")
        EVALUATION = "evaluation", _("评估")
        RESIDENT = "resident", _("居民反映")

    class Owner(models.TextChoices):
        PROJECT = "project", _("项目")
        COMMUNITY = "community", _("社区")
        AGENCY = "agency", _("执行机构")

    class Status(models.TextChoices):
        OPEN = "open", _("整改中")
        FIXED = "fixed", _("已整改")
        NOT_FIXED = "not_fixed", _("未整改")

    community = models.ForeignKey(Community, verbose_name=_("社区"), on_delete=models.PROTECT,
                                  related_name="rectifications")
    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, null=True, blank=True,
                                related_name="rectifications")
    visit = models.ForeignKey(SupervisionVisit, verbose_name=_("来自督导"), on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="rectifications")
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    owner = models.CharField(_("整改责任方"), max_length=16, choices=Owner.choices)
    description = models.TextField(_("问题描述"), max_length=TEXT_MAX_LENGTH)
    due_on = models.DateField(_("整改期限"), validators=[plausible_date])
    plan = models.TextField(_("整改方案"), max_length=TEXT_MAX_LENGTH, blank=True)
    evidence = models.TextField(_("整改情况/佐证"), max_length=TEXT_MAX_LENGTH, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT,
                                  related_name="+")
    raised_on = models.DateField(_("提出日期"), validators=[plausible_date])
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("核验人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    verified_at = models.DateTimeField(_("核验时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["status", "due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on", "id"], name="rectification_list_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(owner="project") | Q(project__isnull=False),
                                   name="rectification_project_owner_has_project"),
        ]

    def __str__(self):
        return self.description[:40]




class ParticipationRollup(models.Model):
    """Accepted activity figures per district (of the project's community) and month of
    the activity, added by progress_accept in the acceptance transaction. Dashboards
    read these few hundred rows instead of every activity; a test holds them equal to
    the report's figures (reports.selectors.participation_by_month)."""

    district = models.ForeignKey(Region, verbose_name=_("区（市）县"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("月份"), help_text=_("当月第一天"))
    activities = models.PositiveIntegerField(_("活动场次"), default=0)
    direct_participations = models.PositiveBigIntegerField(_("直接参与人次"), default=0)
    indirect_beneficiaries = models.PositiveBigIntegerField(_("间接服务人次"), default=0)
    volunteers = models.PositiveBigIntegerField(_("志愿者人次"), default=0)

    class Meta:
        verbose_name = _("参与人次月度汇总")
        verbose_name_plural = _("参与人次月度汇总")
        ordering = ["district", "month"]
        constraints = [
            models.UniqueConstraint(fields=["district", "month"], name="participation_rollup_unique_month"),
        ]

    def __str__(self):
        return f"{self.district} {self.month:%Y-%m}"
