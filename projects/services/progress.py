"""Progress reports: the schedule, filing (narrative, activities, photos, expenses,
self-organisations), submission, acceptance, return, reopening and comments."""

import calendar
import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.services import notify
from organizations import selforgs
from organizations.models import SelfOrganization
from places.models import Community
from projects.notification_kinds import NotificationKind
from web import tasks as web_tasks
from web import thumbnails, uploads
from web.limits import TEXT_MAX_LENGTH

from .. import access
from ..models import (
    Activity,
    ActivityPhoto,
    Expense,
    FundingRound,
    ParticipationRollup,
    ProgressComment,
    ProgressReport,
    Project,
    SelfOrganizationUpdate,
)
from ..workflows import progress_report_machine
from .common import applicant_staff, round_managers, yuan

__all__ = [
    "report_periods", "progress_schedule", "progress_save", "activity_add", "activity_remove", "photo_add",
    "expense_add", "expense_remove", "selforg_update_add", "progress_submit", "progress_accept", "progress_return",
    "progress_reopen", "report_figures", "progress_comment", "agency_selforg_register",
]

R = ProgressReport.Status


# --- Schedule --------------------------------------------------------------------


def _period_end(day: datetime.date, frequency: str) -> datetime.date:
    month = day.month if frequency == FundingRound.ReportFrequency.MONTHLY else ((day.month - 1) // 3 + 1) * 3
    return datetime.date(day.year, month, calendar.monthrange(day.year, month)[1])


MAX_PROJECT_YEARS = 5


def report_periods(start: datetime.date, end: datetime.date,
                   frequency: str) -> list[tuple[datetime.date, datetime.date]]:
    """Calendar months or quarters from `start` to `end`; the first and last periods
    are cut at the agreement date and at the project's end. Bounded: a project longer
    than MAX_PROJECT_YEARS (a typing error in a date, usually) is refused before a
    single period is generated."""
    if end - start > datetime.timedelta(days=366 * MAX_PROJECT_YEARS):
        raise ValidationError({"ends_on": _(
            "项目周期超过 %(n)s 年（%(s)s 至 %(e)s），无法生成进度报告期次，请核对起止日期。") % {
            "n": MAX_PROJECT_YEARS, "s": start, "e": end}})
    periods = []
    cursor = start
    while cursor <= end:
        period_end = min(_period_end(cursor, frequency), end)
        periods.append((cursor, period_end))
        cursor = period_end + datetime.timedelta(days=1)
    return periods


@transaction.atomic
def progress_schedule(*, project: Project) -> list[ProgressReport]:
    """Create the project's due reports once, from the agreement date to its end."""
    project = Project.objects.select_for_update().select_related("round").get(pk=project.pk)
    if project.progress_reports.exists():
        return list(project.progress_reports.all())
    if not (project.agreement_signed_on and project.ends_on):
        return []
    start = max(project.agreement_signed_on, project.starts_on or project.agreement_signed_on)
    due_days = datetime.timedelta(days=project.round.report_due_days)
    return ProgressReport.objects.bulk_create(
        ProgressReport(project=project, number=n, period_start=s, period_end=e, due_on=e + due_days)
        for n, (s, e) in enumerate(report_periods(start, project.ends_on, project.round.report_frequency), 1))


# --- Filing ----------------------------------------------------------------------


def _report_for_filing(report: ProgressReport, actor: User) -> ProgressReport:
    report = ProgressReport.objects.select_for_update().select_related("project__round", "project__application").get(
        pk=report.pk)
    if not access.is_project_agency(actor, report.project):
        raise PermissionDenied(_("只有执行机构的工作人员可以填报进度报告。"))
    if report.status not in (R.DRAFT, R.RETURNED):
        raise ValidationError(_("报告状态为“%(s)s”，不能修改。") % {"s": report.get_status_display()})
    return report


@transaction.atomic
def progress_save(*, report: ProgressReport, actor: User, data: dict) -> ProgressReport:
    report = _report_for_filing(report, actor)
    too_long = {name: _("不能超过 %(n)s 字。") % {"n": TEXT_MAX_LENGTH}
                for name in ("progress", "problems", "next_plan", "resident_voices")
                if len(data.get(name) or "") > TEXT_MAX_LENGTH}
    if too_long:
        raise ValidationError(too_long)
    for name in ("progress", "problems", "next_plan", "resident_voices"):
        if name in data:
            setattr(report, name, data[name])
    report.save(update_fields=["progress", "problems", "next_plan", "resident_voices"])
    return report


@transaction.atomic
def activity_add(*, report: ProgressReport, actor: User, self_organizations=(), **data) -> Activity:
    report = _report_for_filing(report, actor)
    held_on = data.get("held_on")
    if held_on and not (report.period_start <= held_on <= report.period_end):
        raise ValidationError({"held_on": _("活动日期应在本期 %(s)s 至 %(e)s 之内。") % {
            "s": report.period_start, "e": report.period_end}})
    # The activity happens in the project's community; whatever it names must be from there too.
    data["community"] = report.project.community
    foreign = [s for s in self_organizations if s.community_id != data["community"].pk]
    if foreign:
        raise ValidationError({"self_organizations": _("%(n)s 不是本社区的居民自组织。") % {
            "n": "、".join(s.name for s in foreign)}})
    courtyard = data.get("courtyard")
    if courtyard is not None and courtyard.community_id != data["community"].pk:
        raise ValidationError({"courtyard": _("院落不属于该社区。")})
    activity = Activity(report=report, **data)
    activity.full_clean()
    activity.save()
    if self_organizations:
        activity.self_organizations.set(self_organizations)
    return activity


@transaction.atomic
def activity_remove(*, activity: Activity, actor: User) -> None:
    _report_for_filing(activity.report, actor)
    for photo in activity.photos.all():
        thumbnails.delete_thumbnail(photo.image)
        photo.image.delete(save=False)
    activity.delete()


def photo_add(*, activity: Activity, actor: User, upload, caption: str = "") -> ActivityPhoto:
    """Store a photo re-encoded from its pixels (web.uploads): never the uploader's bytes or content type."""
    try:
        checked = uploads.check_upload(upload, kinds=(uploads.IMAGE,))
    except ValidationError as exc:
        raise ValidationError({"image": exc.messages}) from None
    with transaction.atomic():
        _report_for_filing(activity.report, actor)
        photo = ActivityPhoto.objects.create(activity=activity, image=checked.file, name=checked.name,
                                             size=checked.size, caption=caption[:200],
                                             content_type=checked.content_type)
        web_tasks.queue_thumbnail(photo, "image")
        return photo


def _recorded_spending(project: Project, *, exclude_pk=None):
    """Everything recorded against the project and not thrown out: accepted figures and
    what is waiting in open reports."""
    return Expense.objects.filter(report__project=project).exclude(pk=exclude_pk)


@transaction.atomic
def expense_add(*, report: ProgressReport, actor: User, budget_line, amount: Decimal, spent_on: datetime.date,
                voucher: str, description: str = "", over_budget_explanation: str = "") -> Expense:
    """Spending over a budget line needs an explanation; over the project's approved
    amount it is refused. The project row is locked so two reports cannot both squeeze
    under the limit."""
    report = _report_for_filing(report, actor)
    project = Project.objects.select_for_update().get(pk=report.project_id)
    if budget_line.application_id != project.application_id:
        raise ValidationError({"budget_line": _("预算科目不属于本项目。")})
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("金额须大于 0。")})
    total = _recorded_spending(project).aggregate(total=Sum("amount"))["total"] or Decimal("0")
    if total + amount > project.approved_amount:
        raise ValidationError({"amount": _("超出项目立项金额：立项 %(a)s，已记录支出 %(s)s，本笔 %(n)s。") % {
            "a": yuan(project.approved_amount), "s": yuan(total), "n": yuan(amount)}})
    on_line = budget_line.expenses.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    if on_line + amount > budget_line.amount and not over_budget_explanation.strip():
        raise ValidationError({"over_budget_explanation": _(
            "该科目预算 %(b)s，已支出 %(s)s，本笔 %(n)s 将超支，请填写超支说明。") % {
            "b": yuan(budget_line.amount), "s": yuan(on_line), "n": yuan(amount)}})
    return Expense.objects.create(report=report, budget_line=budget_line, amount=amount, spent_on=spent_on,
                                  voucher=voucher.strip(), description=description,
                                  over_budget_explanation=over_budget_explanation)


@transaction.atomic
def expense_remove(*, expense: Expense, actor: User) -> None:
    _report_for_filing(expense.report, actor)
    expense.delete()


@transaction.atomic
def selforg_update_add(*, report: ProgressReport, actor: User, self_organization: SelfOrganization, stage: str,
                       members: int, note: str = "") -> SelfOrganizationUpdate:
    report = _report_for_filing(report, actor)
    if self_organization.community_id != report.project.community_id:
        raise ValidationError({"self_organization": _("只能报告本项目所在社区的自组织。")})
    update, _created = SelfOrganizationUpdate.objects.update_or_create(
        report=report, self_organization=self_organization,
        defaults={"stage": stage, "members": members, "note": note})
    return update


@transaction.atomic
def agency_selforg_register(*, report: ProgressReport, actor: User, **data) -> SelfOrganization:
    """An agency registers a group it is incubating, in its project's community."""
    report = _report_for_filing(report, actor)
    selforg = selforgs.selforg_create(actor=actor, community=report.project.community, **data)
    report.project.incubated.add(selforg)
    return selforg


@transaction.atomic
def progress_submit(*, report: ProgressReport, actor: User, now: datetime.datetime | None = None) -> ProgressReport:
    """`now`: when it was filed (the demo files its history on the days it happened)."""
    report = _report_for_filing(report, actor)
    if not report.progress.strip():
        raise ValidationError({"progress": _("请填写本期目标进展。")})
    report = progress_report_machine.fire(report, "submit", actor=actor,
                                          updates={"submitted_at": now or timezone.now()})
    notify(users=round_managers(report.project.round), kind=NotificationKind.PROGRESS_SUBMITTED,
           title=_("进度报告待审核：%(p)s 第 %(n)s 期") % {"p": report.project.title, "n": report.number},
           url=reverse("projects:progress_detail", args=[report.pk]))
    return report


def report_figures(report: ProgressReport) -> dict:
    figures = report.activities.aggregate(direct=Sum("direct_participations"),
                                          indirect=Sum("indirect_beneficiaries"), volunteers=Sum("volunteers"))
    return {"activities": report.activities.count(), "direct": figures["direct"] or 0,
            "indirect": figures["indirect"] or 0, "volunteers": figures["volunteers"] or 0,
            "spent": report.expenses.aggregate(total=Sum("amount"))["total"] or Decimal("0")}


@transaction.atomic
def progress_accept(*, report: ProgressReport, actor: User) -> ProgressReport:
    """Accept the report: its figures join the project's totals, in this transaction,
    and its self-organisation updates become the groups' history."""
    report = ProgressReport.objects.select_related("project__round").get(pk=report.pk)
    project = Project.objects.select_for_update().get(pk=report.project_id)
    report = progress_report_machine.fire(report, "accept", actor=actor, updates={
        "reviewed_by": actor, "reviewed_at": timezone.now()})
    figures = report_figures(report)
    Project.objects.filter(pk=project.pk).update(
        activities_count=F("activities_count") + figures["activities"],
        direct_participations=F("direct_participations") + figures["direct"],
        indirect_beneficiaries=F("indirect_beneficiaries") + figures["indirect"],
        volunteers=F("volunteers") + figures["volunteers"],
        spent_amount=F("spent_amount") + figures["spent"],
    )
    _participation_rollup_add(report, project)
    for update in report.self_organization_updates.select_related("self_organization"):
        selforgs.selforg_progress(selforg=update.self_organization, actor=actor, stage=update.stage,
                                  members=update.members, on=report.period_end,
                                  note=update.note or _("%(p)s 第 %(n)s 期进度报告") % {"p": project.title,
                                                                                       "n": report.number})
        project.incubated.add(update.self_organization)
    return report


def _participation_rollup_add(report: ProgressReport, project: Project) -> None:
    """Add the accepted report's activities to its district's monthly roll-up, in the
    acceptance transaction (the dashboards read the roll-up)."""
    district_id = Community.objects.filter(pk=project.community_id).values_list("street__parent_id", flat=True).first()
    if district_id is None:
        return
    months = (report.activities.annotate(month=TruncMonth("held_on")).order_by().values("month")
              .annotate(n=Count("id"), direct=Sum("direct_participations"), indirect=Sum("indirect_beneficiaries"),
                        volunteers_sum=Sum("volunteers")))
    for row in months:
        rollup, _created = ParticipationRollup.objects.get_or_create(district_id=district_id, month=row["month"])
        ParticipationRollup.objects.filter(pk=rollup.pk).update(
            activities=F("activities") + row["n"],
            direct_participations=F("direct_participations") + (row["direct"] or 0),
            indirect_beneficiaries=F("indirect_beneficiaries") + (row["indirect"] or 0),
            volunteers=F("volunteers") + (row["volunteers_sum"] or 0))


@transaction.atomic
def progress_reopen(*, report: ProgressReport, actor: User, reason: str) -> ProgressReport:
    """撤销通过: the accepted report goes back to the agency (退回) and its figures leave
    the project's running totals in the same transaction. The self-organisations' stage
    history it wrote stays (history is not rewritten); the next acceptance adds a row."""
    report = ProgressReport.objects.select_related("project__round").get(pk=report.pk)
    project = Project.objects.select_for_update().get(pk=report.project_id)
    report = progress_report_machine.fire(report, "reopen", actor=actor, reason=reason, updates={
        "return_reason": reason, "reviewed_by": actor, "reviewed_at": timezone.now()})
    figures = report_figures(report)
    Project.objects.filter(pk=project.pk).update(
        activities_count=F("activities_count") - figures["activities"],
        direct_participations=F("direct_participations") - figures["direct"],
        indirect_beneficiaries=F("indirect_beneficiaries") - figures["indirect"],
        volunteers=F("volunteers") - figures["volunteers"],
        spent_amount=F("spent_amount") - figures["spent"],
    )
    notify(users=applicant_staff(report.project.application), kind=NotificationKind.PROGRESS_RETURNED,
           title=_("已通过的进度报告被撤销并退回：%(p)s 第 %(n)s 期") % {"p": report.project.title, "n": report.number},
           body=reason, url=reverse("projects:progress_detail", args=[report.pk]))
    return report


@transaction.atomic
def progress_return(*, report: ProgressReport, actor: User, reason: str) -> ProgressReport:
    report = ProgressReport.objects.select_related("project__round").get(pk=report.pk)
    if not reason.strip():
        raise ValidationError({"reason": _("退回时请写明原因。")})
    report = progress_report_machine.fire(report, "return", actor=actor, reason=reason, updates={
        "return_reason": reason, "reviewed_by": actor, "reviewed_at": timezone.now()})
    notify(users=applicant_staff(report.project.application), kind=NotificationKind.PROGRESS_RETURNED,
           title=_("进度报告被退回：%(p)s 第 %(n)s 期") % {"p": report.project.title, "n": report.number},
           body=reason, url=reverse("projects:progress_detail", args=[report.pk]))
    return report


@transaction.atomic
def progress_comment(*, report: ProgressReport, actor: User, body: str) -> ProgressComment:
    if not access.can_comment_report(actor, report):
        raise PermissionDenied(_("只有属地街道、社区和民政局工作人员可以发表意见。"))
    if not body.strip():
        raise ValidationError({"body": _("请填写意见。")})
    return ProgressComment.objects.create(report=report, author=actor, body=body.strip())
