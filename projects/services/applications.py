"""Applications from draft to screening: editing, attachments, submission, the street's
endorsement, withdrawal and the funder's screening. Steps fire the application machine."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment, User
from audit import services as audit
from notifications.services import notify
from organizations.models import Membership
from places.models import Community
from projects.notification_kinds import NotificationKind
from web import tasks as web_tasks
from web import thumbnails, uploads

from .. import access
from ..models import (
    DIMENSION_FIELDS,
    Application,
    ApplicationAttachment,
    ApplicationRevision,
    BudgetLine,
    FundingRound,
)
from ..revisions import snapshot
from ..workflows import application_machine
from .common import applicant_staff, round_managers, yuan
from .rounds import community_in_round_area

APPLICATION_FIELDS = ("title", "summary", "leverage_point", "needs_methods", "needs_findings", "goals", "strategy",
                      "activity_plan", "starts_on", "ends_on", "project_lead", "social_workers",
                      "university_expert", "senior_supervisor", "community", "planned_activities",
                      "planned_participations")

BUDGET_LINE_FIELDS = ("category", "description", "amount", "cofunding_amount", "cofunding_source")


def _locked(application: Application) -> Application:
    """The application as it is now, locked for this transaction: callers may hold a
    stale instance, and decisions are taken on the row, not on the copy."""
    # of=self: the applicant is a nullable join (contest applications), which FOR UPDATE may not lock.
    return Application.objects.select_for_update(of=("self",)).select_related(
        "round__funder", "round__review_form", "community__street", "organization").get(pk=application.pk)


def _require_applicant(actor: User, application: Application) -> None:
    if not access.is_applicant(actor, application):
        raise PermissionDenied(_("只有申报机构的工作人员可以操作申报书。"))


@transaction.atomic
def application_create(*, actor: User, funding_round: FundingRound, organization, community: Community,
                       title: str, now: datetime.datetime | None = None) -> Application:
    now = now or timezone.now()
    if not Membership.objects.filter(user=actor, organization=organization).exists():
        raise PermissionDenied(_("只能以您所在的机构名义申报。"))
    if now > funding_round.closes_at:
        raise ValidationError({"round": _("本轮申报已于 %(t)s 截止。") % {
            "t": timezone.localtime(funding_round.closes_at).strftime("%Y-%m-%d %H:%M")}})
    if not community_in_round_area(funding_round, community):
        raise ValidationError({"community": _("%(c)s不在本轮资助范围（%(f)s）内。") % {
            "c": community.name, "f": funding_round.funder.name}})
    if not title.strip():
        raise ValidationError({"title": _("请填写项目名称。")})
    application = Application.objects.create(round=funding_round, organization=organization, community=community,
                                             title=title.strip(), created_by=actor)
    audit.record(actor=actor, obj=application, action="application.create", to_state=Application.Status.DRAFT)
    return application


@transaction.atomic
def application_update(*, application: Application, actor: User, data: dict,
                       budget_lines: list[dict] | None = None) -> Application:
    """Edit a draft or a returned application. Submitted content is never edited in
    place: it is frozen in ApplicationRevision at each submission."""
    application = _locked(application)
    _require_applicant(actor, application)
    if application.status not in (Application.Status.DRAFT, Application.Status.RETURNED):
        raise ValidationError(_("申报书状态为“%(s)s”，不能修改。") % {"s": application.get_status_display()})
    moved = "community" in data and data["community"] != application.community
    if moved and not community_in_round_area(application.round, data["community"]):
        raise ValidationError({"community": _("%(c)s不在本轮资助范围内。") % {"c": data["community"].name}})
    for name in APPLICATION_FIELDS:
        if name in data:
            setattr(application, name, data[name])
    if "dimensions" in data:
        for code, field in DIMENSION_FIELDS.items():
            setattr(application, field, code in data["dimensions"])
    if budget_lines is not None:
        application.budget_lines.all().delete()
        lines = [BudgetLine(application=application, order=i, **{k: line.get(k) for k in BUDGET_LINE_FIELDS
                                                                   if line.get(k) is not None})
                 for i, line in enumerate(budget_lines)]
        for line in lines:
            line.full_clean(exclude=["application"])
        BudgetLine.objects.bulk_create(lines)
        application.requested_amount = sum((line.amount for line in lines), Decimal("0"))
    application.full_clean()
    application.save()
    return application


def attachment_add(*, application: Application, actor: User, upload) -> ApplicationAttachment:
    """Attach a PDF, Office file or image whose type web.uploads read from its bytes."""
    try:
        checked = uploads.check_upload(upload, kinds=(uploads.DOCUMENT, uploads.IMAGE))
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        _require_applicant(actor, application)
        if application.status not in (Application.Status.DRAFT, Application.Status.RETURNED):
            raise ValidationError(_("已提交的申报书不能再添加附件。"))
        attachment = ApplicationAttachment.objects.create(
            application=application, file=checked.file, name=checked.name, size=checked.size,
            content_type=checked.content_type, uploaded_by=actor)
        audit.record(actor=actor, obj=application, action="application.attach", data={"file": attachment.name})
        if checked.content_type.startswith("image/"):
            web_tasks.queue_thumbnail(attachment, "file")
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: ApplicationAttachment, actor: User) -> None:
    application = Application.objects.select_for_update().get(pk=attachment.application_id)
    _require_applicant(actor, application)
    if application.status not in (Application.Status.DRAFT, Application.Status.RETURNED):
        raise ValidationError(_("已提交的申报书不能删除附件。"))
    audit.record(actor=actor, obj=application, action="application.detach", data={"file": attachment.name})
    thumbnails.delete_thumbnail(attachment.file)
    attachment.file.delete(save=False)
    attachment.delete()


def missing_parts(application: Application) -> list[str]:
    """Everything a submission needs, named, in the order of the form."""
    missing = []
    checks = [
        (application.title, _("项目名称")),
        (application.summary, _("项目概述")),
        (application.dimensions, _("营造维度（人文地景产至少一项）")),
        (application.leverage_point, _("营造支点")),
        (application.needs_methods, _("需求调研方法")),
        (application.needs_findings, _("需求调研发现")),
        (application.goals, _("项目目标")),
        (application.strategy, _("实施策略")),
        (application.activity_plan, _("活动计划与时间安排")),
        (application.starts_on and application.ends_on, _("项目起止日期")),
        (application.project_lead, _("项目负责人")),
        (application.social_workers, _("社工团队")),
        (application.university_expert, _("高校专家（1+1+1+1 模式）")),
        (application.senior_supervisor, _("资深督导（1+1+1+1 模式）")),
        (application.budget_lines.exists(), _("预算明细")),
    ]
    for value, label in checks:
        if not value:
            missing.append(str(label))
    return missing


def _move(*, application: Application, action: str, actor: User, reason: str = "", **updates) -> Application:
    """Move the application along one declared transition (see projects.workflows)."""
    return application_machine.fire(application, action, actor=actor, reason=reason,
                                    updates={"updated_at": timezone.now(), **updates})


def _application_url(application: Application) -> str:
    return reverse("projects:application_detail", args=[application.pk])


@transaction.atomic
def application_submit(*, application: Application, actor: User, now: datetime.datetime | None = None) -> Application:
    now = now or timezone.now()
    application = _locked(application)
    _require_applicant(actor, application)
    funding_round = application.round
    # The window governs first submissions; a returned application may come back after it.
    if application.status == Application.Status.DRAFT and not funding_round.is_open(now):
        local = timezone.localtime
        raise ValidationError(_("不在申报时间内：本轮申报时间为 %(o)s 至 %(c)s。") % {
            "o": local(funding_round.opens_at).strftime("%Y-%m-%d %H:%M"),
            "c": local(funding_round.closes_at).strftime("%Y-%m-%d %H:%M")})
    missing = missing_parts(application)
    if missing:
        raise ValidationError(_("还缺少以下内容，补充后再提交：%(parts)s。") % {"parts": "、".join(missing)},
                              code="missing")
    if application.requested_amount > funding_round.per_project_cap:
        raise ValidationError(_("申请金额 %(a)s 超过本轮单项目上限 %(cap)s。") % {
            "a": yuan(application.requested_amount), "cap": yuan(funding_round.per_project_cap)})
    number = application.revisions.count() + 1
    application = _move(application=application, action="submit", actor=actor, submitted_at=now)
    ApplicationRevision.objects.create(application=application, number=number, content=snapshot(application),
                                       created_by=actor)
    notify(users=round_managers(funding_round), kind=NotificationKind.APPLICATION_SUBMITTED,
           title=_("新申报书待形式审查：%(t)s") % {"t": application.title},
           body=_("%(org)s 为 %(c)s 提交了申报书（第 %(n)s 版）。") % {
               "org": application.organization.name, "c": application.community.name, "n": number},
           url=_application_url(application))
    if not application.endorsement:
        _request_endorsement(application, now)
    return application


def endorsement_due(application: Application) -> datetime.date | None:
    """The last day screening waits for the community's opinion."""
    if application.submitted_at is None:
        return None
    return (timezone.localtime(application.submitted_at).date()
            + datetime.timedelta(days=application.round.endorsement_wait_days))


def _request_endorsement(application: Application, now: datetime.datetime) -> None:
    staff = [a.user for a in RoleAssignment.objects.filter(role=Role.COMMUNITY, community_id=application.community_id)
             .select_related("user")]
    notify(users=staff, kind=NotificationKind.ENDORSEMENT_REQUESTED,
           title=_("请填写社区意见：%(t)s") % {"t": application.title},
           body=_("%(org)s 申报在本社区实施的项目，请于 %(d)s 前填写社区意见。") % {
               "org": application.organization.name, "d": f"{endorsement_due(application):%Y-%m-%d}"},
           url=_application_url(application))


@transaction.atomic
def application_withdraw(*, application: Application, actor: User, reason: str = "") -> Application:
    application = _locked(application)
    _require_applicant(actor, application)
    return _move(application=application, action="withdraw", actor=actor, reason=reason)


@transaction.atomic
def application_endorse(*, application: Application, actor: User, endorsement: str, text: str = "") -> Application:
    application = _locked(application)
    if not access.can_endorse(actor, application):
        raise PermissionDenied(_("只有实施社区的工作人员可以填写社区意见。"))
    if endorsement not in Application.Endorsement.values or not endorsement:
        raise ValidationError({"endorsement": _("请选择社区意见。")})
    if endorsement != Application.Endorsement.SUPPORT and not text.strip():
        raise ValidationError({"endorsement_text": _("有保留或不同意时，请写明理由。")})
    if application.status in (Application.Status.APPROVED, Application.Status.REJECTED, Application.Status.WITHDRAWN):
        raise ValidationError(_("申报书已有结论，不能再修改社区意见。"))
    Application.objects.filter(pk=application.pk).update(
        endorsement=endorsement, endorsement_text=text, endorsed_by=actor, endorsed_at=timezone.now())
    application.refresh_from_db()
    audit.record(actor=actor, obj=application, action="application.endorse", to_state=endorsement, reason=text)
    return application


def _require_funder(actor: User, application: Application) -> None:
    if application.round.kind == "contest":  # decided with its ledger: services/contests.py
        raise ValidationError(_("社区微创投大赛的申报书请在大赛页面办理。"))
    if not access.can_manage_application(actor, application):
        raise PermissionDenied(_("只有本轮资助方的民政局工作人员可以办理。"))


@transaction.atomic
def application_screen(*, application: Application, actor: User, passed: bool, reason: str = "",
                       today: datetime.date | None = None) -> Application:
    """形式审查: pass to expert review, or return with the reasons. Passing waits for the
    community's opinion for the round's number of days; after that the bureau may go on
    without it, with a recorded reason."""
    application = _locked(application)
    _require_funder(actor, application)
    if passed:
        # The engine refuses other states with its own reason; the wait concerns a submitted one.
        if application.status == Application.Status.SUBMITTED and not application.endorsement:
            due = endorsement_due(application)
            if due is not None and (today or timezone.localdate()) <= due:
                raise ValidationError(_("正在等待%(c)s的社区意见（%(d)s 截止），截止后仍未填写的，可写明理由继续审查。")
                                      % {"c": application.community.name, "d": f"{due:%Y-%m-%d}"})
            if not reason.strip():
                raise ValidationError({"reason": _("%(c)s逾期未填写社区意见：请写明继续形式审查的理由。") % {
                    "c": application.community.name}})
        return _move(application=application, action="screen_pass", actor=actor, reason=reason)
    if not reason.strip():
        raise ValidationError({"reason": _("退回时请写明需要修改的内容。")})
    application = _move(application=application, action="screen_return", actor=actor, reason=reason,
                        decision_reason=reason)
    _notify_returned(application, reason)
    return application


def _notify_returned(application: Application, reason: str) -> None:
    notify(users=applicant_staff(application), kind=NotificationKind.APPLICATION_RETURNED,
           title=_("申报书被退回修改：%(t)s") % {"t": application.title}, body=reason,
           url=_application_url(application))
