"""Workflow steps for rounds, applications, review, decisions and money.

Every function here is keyword-only, runs in one transaction, checks the current
state (moving it with a conditional UPDATE so two clicks never do it twice), checks
who acts through projects.access, writes an audit row and queues side effects after
commit.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment, User
from accounts.selectors import users_with_role
from audit import services as audit
from notifications.services import notify
from organizations.access import conflicts_of_interest
from organizations.models import Membership
from places.models import Community, Region
from projects.notification_kinds import NotificationKind
from web import uploads

from .. import access, gates
from ..models import (
    DIMENSION_FIELDS,
    Application,
    ApplicationAttachment,
    ApplicationRevision,
    BudgetLine,
    Disbursement,
    FundingRound,
    Project,
    ReviewCriterion,
    ReviewForm,
    ReviewScore,
    ReviewSheet,
    Tranche,
    TrancheRule,
)
from ..revisions import snapshot
from ..workflows import application_machine, project_machine, review_sheet_machine
from .common import applicant_staff, round_managers, yuan
from .progress import progress_schedule

CENT = Decimal("0.01")


# --- Rounds ----------------------------------------------------------------------

ROUND_FIELDS = ("name", "year", "funder", "description", "total_budget", "per_project_cap", "per_community_cap",
                "opens_at", "closes_at", "report_frequency", "review_form", "score_spread_gap")


def _check_tranches(tranches: list[tuple[Decimal, str]]) -> None:
    if not tranches:
        raise ValidationError({"tranches": _("至少需要一个拨付批次。")})
    total = sum((Decimal(p) for p, _t in tranches), Decimal("0"))
    if total != Decimal("100"):
        raise ValidationError({"tranches": _("各拨付批次比例之和应为 100%%，当前为 %(total)s%%。") % {"total": total}})


@transaction.atomic
def round_create(*, actor: User, tranches: list[tuple[Decimal, str]], **data) -> FundingRound:
    funder: Region = data["funder"]
    scope_round = FundingRound(**{k: v for k, v in data.items() if k in ROUND_FIELDS})
    if not access.can_manage_round(actor, scope_round):
        raise PermissionDenied(_("您只能为本级民政局创建资助轮次。"))
    if funder.level not in (Region.Level.CITY, Region.Level.DISTRICT):
        raise ValidationError({"funder": _("资助方须为市或区（市）县民政局。")})
    _check_tranches(tranches)
    scope_round.full_clean()
    scope_round.save()
    TrancheRule.objects.bulk_create(
        TrancheRule(round=scope_round, order=i, percent=Decimal(p), trigger=t) for i, (p, t) in enumerate(tranches, 1)
    )
    audit.record(actor=actor, obj=scope_round, action="round.create",
                 data={"tranches": [[str(p), t] for p, t in tranches]})
    return scope_round


@transaction.atomic
def round_update(*, funding_round: FundingRound, actor: User, data: dict,
                 tranches: list[tuple[Decimal, str]] | None = None) -> FundingRound:
    funding_round = FundingRound.objects.select_for_update().get(pk=funding_round.pk)
    if not access.can_manage_round(actor, funding_round):
        raise PermissionDenied(_("只有本轮资助方的民政局工作人员可以修改本轮。"))
    if "funder" in data and data["funder"] != funding_round.funder:
        # Where the round ends up is checked like round_create: a bureau can't hand it to another.
        if data["funder"].level not in (Region.Level.CITY, Region.Level.DISTRICT):
            raise ValidationError({"funder": _("资助方须为市或区（市）县民政局。")})
        if not access.can_manage_round(actor, FundingRound(funder=data["funder"])):
            raise PermissionDenied(_("您只能把资助轮次交给本级民政局。"))
    has_projects = funding_round.projects.exists()
    changes = {}
    for name in ROUND_FIELDS:
        if name in data and getattr(funding_round, name) != data[name]:
            if has_projects and name in ("funder", "review_form"):
                raise ValidationError({name: _("本轮已有立项项目，不能再修改此项。")})
            changes[name] = [str(getattr(funding_round, name)), str(data[name])]
            setattr(funding_round, name, data[name])
    if has_projects:
        approved = funding_round.projects.aggregate(total=Sum("approved_amount"))["total"] or Decimal("0")
        if funding_round.total_budget < approved:
            raise ValidationError({"total_budget": _("总预算不能低于本轮已立项总额 %(a)s。") % {"a": yuan(approved)}})
    funding_round.full_clean()
    funding_round.save()
    if tranches is not None:
        _check_tranches(tranches)
        funding_round.tranche_rules.all().delete()
        TrancheRule.objects.bulk_create(
            TrancheRule(round=funding_round, order=i, percent=Decimal(p), trigger=t)
            for i, (p, t) in enumerate(tranches, 1))
        changes["tranches"] = [[str(p), t] for p, t in tranches]
    if changes:
        audit.record(actor=actor, obj=funding_round, action="round.update", data={"changes": changes})
    return funding_round


def community_in_round_area(funding_round: FundingRound, community: Community) -> bool:
    if not community.is_active:
        return False
    if funding_round.funder.level == Region.Level.CITY:
        return True
    return community.street.parent_id == funding_round.funder_id


# --- Applications ----------------------------------------------------------------

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
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: ApplicationAttachment, actor: User) -> None:
    application = Application.objects.select_for_update().get(pk=attachment.application_id)
    _require_applicant(actor, application)
    if application.status not in (Application.Status.DRAFT, Application.Status.RETURNED):
        raise ValidationError(_("已提交的申报书不能删除附件。"))
    audit.record(actor=actor, obj=application, action="application.detach", data={"file": attachment.name})
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
    if application.round.kind == FundingRound.Kind.CONTEST:  # decided with its ledger: services/contests.py
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


# --- Review ----------------------------------------------------------------------


@transaction.atomic
def review_assign(*, applications: list[Application], reviewers: list[User], actor: User) -> list[ReviewSheet]:
    """Assign every reviewer to every application (bulk). A reviewer who belongs to
    the applying organisation is refused for that application: conflict of interest."""
    created = []
    conflicts = []
    applications = [_locked(a) for a in sorted(applications, key=lambda a: a.pk)]
    qualified = users_with_role(reviewers, Role.REVIEWER)
    not_reviewers = [r.display_name for r in reviewers if r.pk not in qualified]
    if not_reviewers:
        raise ValidationError({"reviewers": _("%(u)s 不是评审专家。") % {"u": "、".join(not_reviewers)}})
    members = conflicts_of_interest(reviewers, {a.organization_id for a in applications})
    for application in applications:
        _require_funder(actor, application)
        if application.status != Application.Status.IN_REVIEW:
            raise ValidationError(_("“%(t)s”尚未通过形式审查（当前：%(s)s），不能分配评审。") % {
                "t": application.title, "s": application.get_status_display()})
        for reviewer in reviewers:
            if (reviewer.pk, application.organization_id) in members:
                conflicts.append(_("%(u)s 是申报机构“%(o)s”的成员，不能评审“%(t)s”（利益回避）。") % {
                    "u": reviewer.display_name, "o": application.organization.name, "t": application.title})
    if conflicts:
        raise ValidationError({"reviewers": conflicts})
    criteria: dict[int, list] = {}
    for application in applications:
        form = application.round.review_form
        if form.pk not in criteria:
            criteria[form.pk] = list(form.criteria.all())
        for reviewer in reviewers:
            sheet, was_created = ReviewSheet.objects.get_or_create(
                application=application, reviewer=reviewer, defaults={"form": form, "assigned_by": actor})
            if was_created:
                ReviewScore.objects.bulk_create(ReviewScore(sheet=sheet, criterion=c) for c in criteria[form.pk])
                audit.record(actor=actor, obj=application, action="review.assign",
                             data={"reviewer": reviewer.username})
                created.append(sheet)
    by_reviewer: dict[int, list[ReviewSheet]] = {}
    for sheet in created:
        by_reviewer.setdefault(sheet.reviewer_id, []).append(sheet)
    for sheets in by_reviewer.values():
        reviewer = sheets[0].reviewer
        titles = "、".join(s.application.title for s in sheets)
        notify(users=[reviewer], kind=NotificationKind.REVIEW_ASSIGNED,
               title=_("您有 %(n)s 份新的评审任务") % {"n": len(sheets)}, body=titles,
               url=reverse("projects:review_list"))
    return created


def _sheet_for_write(sheet: ReviewSheet, actor: User) -> ReviewSheet:
    sheet = ReviewSheet.objects.select_for_update().select_related("application").get(pk=sheet.pk)
    if sheet.reviewer_id != actor.pk:
        raise PermissionDenied(_("只能填写分配给自己的评审表。"))
    if sheet.status == ReviewSheet.Status.SUBMITTED:
        raise ValidationError(_("评审表已提交，不能再修改。"))
    if sheet.application.status != Application.Status.IN_REVIEW:
        raise ValidationError(_("申报书已不在评审阶段。"))
    return sheet


@transaction.atomic
def review_save(*, sheet: ReviewSheet, actor: User, scores: dict[int, tuple[Decimal | None, str]],
                recommendation: str = "", comment: str = "") -> ReviewSheet:
    """Save a draft of the sheet: scores per criterion id, each within 0..max."""
    sheet = _sheet_for_write(sheet, actor)
    criteria = {c.pk: c for c in sheet.form.criteria.all()}
    errors = {}
    rows = {s.criterion_id: s for s in sheet.scores.all()}
    for criterion_id, (score, note) in scores.items():
        criterion = criteria.get(criterion_id)
        if criterion is None or criterion_id not in rows:
            # A criterion not on this sheet is refused, not ignored (#13).
            errors[f"score_{criterion_id}"] = _("评审项 %(c)s 不在本评审表中。") % {"c": criterion_id}
            continue
        if len(note or "") > 5000:
            errors[f"comment_{criterion_id}"] = _("意见不能超过 5000 字。")
            continue
        if score is not None and (not Decimal(score).is_finite() or not (0 <= score <= criterion.max_score)):
            errors[f"score_{criterion_id}"] = _("%(n)s 的得分应在 0 到 %(m)s 之间。") % {
                "n": criterion.name, "m": criterion.max_score}
            continue
        row = rows[criterion_id]
        row.score, row.comment = score, note
    if errors:
        raise ValidationError(errors)
    ReviewScore.objects.bulk_update(rows.values(), ["score", "comment"])
    if recommendation and recommendation not in ReviewSheet.Recommendation.values:
        raise ValidationError({"recommendation": _("请选择评审建议。")})
    sheet.recommendation, sheet.comment = recommendation, comment
    sheet.save(update_fields=["recommendation", "comment"])
    return sheet


def weighted_total(scores: list[ReviewScore]) -> Decimal:
    total = sum((s.score / s.criterion.max_score * s.criterion.weight for s in scores), Decimal("0"))
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


@transaction.atomic
def review_submit(*, sheet: ReviewSheet, actor: User) -> ReviewSheet:
    sheet = _sheet_for_write(sheet, actor)
    scores = list(sheet.scores.select_related("criterion"))
    missing = [s.criterion.name for s in scores if s.score is None]
    if missing:
        raise ValidationError(_("还有评审项未打分：%(m)s。") % {"m": "、".join(missing)})
    if not sheet.recommendation:
        raise ValidationError({"recommendation": _("请选择评审建议。")})
    total = weighted_total(scores)
    return review_sheet_machine.fire(sheet, "submit", actor=actor, updates={
        "total": total, "submitted_at": timezone.now()}, data={"total": str(total),
                                                              "recommendation": sheet.recommendation})


# --- Decision, agreement and money -------------------------------------------------


def _tranche_amounts(approved: Decimal, rules: list[TrancheRule]) -> list[Decimal]:
    """Split the approved amount by the round's percentages; the last tranche takes the
    rounding remainder so that the tranches add up to the approved amount exactly."""
    amounts = [(approved * rule.percent / 100).quantize(CENT, rounding=ROUND_HALF_UP) for rule in rules[:-1]]
    amounts.append(approved - sum(amounts, Decimal("0")))
    return amounts


def _check_caps(*, application: Application, amount: Decimal) -> None:
    funding_round = application.round
    if amount <= 0:
        raise ValidationError({"approved_amount": _("立项金额须大于 0。")})
    if amount > application.requested_amount:
        raise ValidationError({"approved_amount": _("立项金额 %(a)s 不能超过申请金额 %(r)s。") % {
            "a": yuan(amount), "r": yuan(application.requested_amount)}})
    if amount > funding_round.per_project_cap:
        raise ValidationError({"approved_amount": _("立项金额 %(a)s 超过单项目上限 %(cap)s。") % {
            "a": yuan(amount), "cap": yuan(funding_round.per_project_cap)}})
    in_community = funding_round.projects.filter(community_id=application.community_id).aggregate(
        total=Sum("approved_amount"))["total"] or Decimal("0")
    if in_community + amount > funding_round.per_community_cap:
        raise ValidationError({"approved_amount": _(
            "超出单社区上限：本轮%(c)s已立项 %(done)s，本次 %(a)s，合计 %(sum)s，超过上限 %(cap)s。") % {
            "c": application.community.name, "done": yuan(in_community), "a": yuan(amount),
            "sum": yuan(in_community + amount), "cap": yuan(funding_round.per_community_cap)}})
    in_round = funding_round.projects.aggregate(total=Sum("approved_amount"))["total"] or Decimal("0")
    if in_round + amount > funding_round.total_budget:
        raise ValidationError({"approved_amount": _(
            "超出本轮总预算：已立项 %(done)s，本次 %(a)s，合计 %(sum)s，超过总预算 %(cap)s。") % {
            "done": yuan(in_round), "a": yuan(amount), "sum": yuan(in_round + amount),
            "cap": yuan(funding_round.total_budget)}})


@transaction.atomic
def application_decide(*, application: Application, actor: User, decision: str, reason: str,
                       approved_amount: Decimal | None = None, agreement_signed_on: datetime.date | None = None,
                       ) -> Application:
    """Approve (立项, creating the project and its tranche schedule), reject, or return
    for revision. Approvals in a round are serialised by locking the round row, so the
    per-community cap and the round budget hold whatever the interleaving."""
    _require_funder(actor, application)
    if decision not in ("approve", "reject", "return"):
        raise ValidationError({"decision": _("请选择结论。")})
    if not reason.strip():
        raise ValidationError({"reason": _("请写明结论理由。")})
    if decision != "approve":
        application = _move(application=application, action=decision, actor=actor, reason=reason,
                            decision_reason=reason)
        if decision == "return":
            _notify_returned(application, reason)
        else:
            _notify_decided(application, reason)
        return application

    FundingRound.objects.select_for_update().get(pk=application.round_id)
    application = Application.objects.select_related("round__funder", "community").get(pk=application.pk)
    amount = application.requested_amount if approved_amount is None else Decimal(approved_amount)
    if application.status == Application.Status.IN_REVIEW:
        _check_caps(application=application, amount=amount)
    application = _move(application=application, action="approve", actor=actor, reason=reason,
                        decision_reason=reason)
    project = Project.objects.create(
        application=application, round=application.round, organization=application.organization,
        community=application.community, title=application.title, approved_amount=amount,
        starts_on=application.starts_on, ends_on=application.ends_on,
        approved_by=actor)
    rules = list(application.round.tranche_rules.all())
    Tranche.objects.bulk_create(
        Tranche(project=project, order=rule.order, trigger=rule.trigger, percent=rule.percent, amount=share)
        for rule, share in zip(rules, _tranche_amounts(amount, rules), strict=False))
    audit.record(actor=actor, obj=project, action="project.create", to_state=project.status,
                 data={"approved_amount": str(amount)})
    if agreement_signed_on:
        agreement_sign(project=project, actor=actor, signed_on=agreement_signed_on)
    _notify_decided(application, reason)
    return application


def _notify_decided(application: Application, reason: str) -> None:
    notify(users=applicant_staff(application), kind=NotificationKind.APPLICATION_DECIDED,
           title=_("申报结论：%(t)s · %(s)s") % {"t": application.title, "s": application.get_status_display()},
           body=reason, url=_application_url(application))


@transaction.atomic
def agreement_sign(*, project: Project, actor: User, signed_on: datetime.date) -> Project:
    project = Project.objects.select_related("round").get(pk=project.pk)
    if project.agreement_signed_on:
        raise ValidationError(_("协议已于 %(d)s 登记。") % {"d": project.agreement_signed_on})
    project = project_machine.fire(project, "sign_agreement", actor=actor, context={"signed_on": signed_on},
                                   updates={"agreement_signed_on": signed_on},
                                   data={"signed_on": signed_on.isoformat() if signed_on else None})
    _schedule_reports(project)
    return project


def needs_budget_adjustment(project: Project) -> bool:
    """Approved for less than the budget lines add up to, and not yet signed."""
    if project.status != Project.Status.AGREEMENT:
        return False
    total = project.application.budget_lines.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    return total != project.approved_amount


@transaction.atomic
def budget_adjust(*, project: Project, actor: User, budget_lines: list[dict]) -> Project:
    """预算调整: before the agreement, the agency fits its budget lines to the approved
    amount. The submitted budget stays in the application's revisions; the adjusted one
    becomes a new revision, so both can be read and compared."""
    project = Project.objects.select_for_update().select_related("application").get(pk=project.pk)
    if not access.is_project_agency(actor, project):
        raise PermissionDenied(_("只有执行机构的工作人员可以调整预算。"))
    if project.status != Project.Status.AGREEMENT:
        raise ValidationError(_("协议已登记，预算不能再调整。"))
    lines = [BudgetLine(application=project.application, order=i,
                        **{k: line.get(k) for k in BUDGET_LINE_FIELDS if line.get(k) is not None})
             for i, line in enumerate(budget_lines)]
    for line in lines:
        line.full_clean(exclude=["application"])
    total = sum((line.amount for line in lines), Decimal("0"))
    if total != project.approved_amount:
        raise ValidationError(_("调整后的预算合计 %(t)s，须等于立项金额 %(a)s。") % {
            "t": yuan(total), "a": yuan(project.approved_amount)})
    application = project.application
    application.budget_lines.all().delete()
    BudgetLine.objects.bulk_create(lines)
    number = application.revisions.count() + 1
    ApplicationRevision.objects.create(application=application, number=number, content=snapshot(application),
                                       created_by=actor)
    audit.record(actor=actor, obj=project, action="project.budget_adjust",
                 data={"total": str(total), "revision": number})
    return project


@transaction.atomic
def project_close(*, project: Project, actor: User, reason: str = "") -> Project:
    """结项: every started period accepted; no more filing or payments after it."""
    return project_machine.fire(project, "close", actor=actor, reason=reason)


@transaction.atomic
def project_reopen(*, project: Project, actor: User, reason: str) -> Project:
    return project_machine.fire(project, "reopen", actor=actor, reason=reason)


@transaction.atomic
def project_terminate(*, project: Project, actor: User, reason: str) -> Project:
    """Only the evaluation's termination decision calls this (the transition has no button)."""
    return project_machine.fire(project, "terminate", actor=actor, reason=reason, system=True)


def _schedule_reports(project: Project) -> None:
    # The reporting periods run from the agreement.
    progress_schedule(project=project)


@transaction.atomic
def disbursement_record(*, project: Project, tranche: Tranche, amount: Decimal, paid_on: datetime.date,
                        voucher_number: str, actor: User) -> Disbursement:
    """Record a payment against a tranche. The project row is locked, so the running
    total can never pass the approved amount; the same voucher submitted twice pays
    once (the second call returns the first record)."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not access.can_manage_round(actor, project.round):
        raise PermissionDenied(_("只有本轮资助方的民政局工作人员可以登记拨付。"))
    voucher_number = voucher_number.strip()
    if not voucher_number:
        raise ValidationError({"voucher_number": _("请填写凭证号。")})
    existing = project.disbursements.filter(voucher_number=voucher_number).first()
    if existing:
        if existing.amount == amount and existing.tranche_id == tranche.pk:
            return existing
        raise ValidationError({"voucher_number": _("凭证号 %(v)s 已登记过一笔 %(a)s 的拨付。") % {
            "v": voucher_number, "a": yuan(existing.amount)}})
    if tranche.project_id != project.pk:
        raise ValidationError({"tranche": _("拨付批次不属于该项目。")})
    # A closed project (结项) still receives what is due to it, the final tranche above all.
    if project.status not in (Project.Status.ACTIVE, Project.Status.CLOSED):
        raise ValidationError(_("项目状态为“%(s)s”，不能再拨付。") % {"s": project.get_status_display()})
    if not project.agreement_signed_on:
        raise ValidationError(_("尚未登记协议签订，不能拨付。"))
    gate = gates.refusal(project, tranche)
    if gate:
        raise ValidationError({"tranche": gate})
    if amount <= 0:
        raise ValidationError({"amount": _("拨付金额须大于 0。")})
    paid_in_tranche = tranche.disbursements.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    if paid_in_tranche + amount > tranche.amount:
        raise ValidationError({"amount": _("超出本批次金额：本批次 %(t)s，已拨 %(p)s，本次 %(a)s。") % {
            "t": yuan(tranche.amount), "p": yuan(paid_in_tranche), "a": yuan(amount)}})
    if project.disbursed_amount + amount > project.approved_amount:
        raise ValidationError({"amount": _("超出立项金额：立项 %(t)s，已拨 %(p)s，本次 %(a)s。") % {
            "t": yuan(project.approved_amount), "p": yuan(project.disbursed_amount), "a": yuan(amount)}})
    try:
        with transaction.atomic():
            disbursement = Disbursement.objects.create(project=project, tranche=tranche, amount=amount,
                                                       paid_on=paid_on, voucher_number=voucher_number,
                                                       recorded_by=actor)
    except IntegrityError:
        return project.disbursements.get(voucher_number=voucher_number)
    Project.objects.filter(pk=project.pk).update(disbursed_amount=project.disbursed_amount + amount)
    audit.record(actor=actor, obj=project, action="project.disburse",
                 data={"amount": str(amount), "voucher": voucher_number, "tranche": tranche.order})
    return disbursement


@transaction.atomic
def disbursement_reverse(*, disbursement: Disbursement, actor: User, reason: str) -> Disbursement:
    """Cancel a mistaken payment with a reversal entry (the negative amount, same
    tranche, voucher "<original>-冲销"); the project's disbursed total goes down in the
    same transaction. The payment row itself is never edited; a payment is reversed once
    (the OneToOne on `reverses` is the guard)."""
    project = Project.objects.select_for_update().get(pk=disbursement.project_id)
    if not access.can_manage_round(actor, project.round):
        raise PermissionDenied(_("只有本轮资助方的民政局工作人员可以冲销拨付。"))
    disbursement = Disbursement.objects.select_related("tranche").get(pk=disbursement.pk)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请填写冲销原因。")})
    if disbursement.is_reversal:
        raise ValidationError(_("冲销记录本身不能再冲销。"))
    if Disbursement.objects.filter(reverses=disbursement).exists():
        raise ValidationError(_("这笔拨付已经冲销过。"))
    try:
        with transaction.atomic():
            reversal = Disbursement.objects.create(
                project=project, tranche=disbursement.tranche, amount=-disbursement.amount,
                paid_on=timezone.localdate(), voucher_number=f"{disbursement.voucher_number}-冲销"[:50],
                recorded_by=actor, reverses=disbursement, reason=reason)
    except IntegrityError:
        raise ValidationError(_("这笔拨付已经冲销过。")) from None
    Project.objects.filter(pk=project.pk).update(disbursed_amount=F("disbursed_amount") - disbursement.amount)
    audit.record(actor=actor, obj=project, action="project.disbursement_reverse", reason=reason,
                 data={"amount": str(disbursement.amount), "voucher": disbursement.voucher_number,
                       "tranche": disbursement.tranche.order})
    return reversal


# --- Review forms as data ---------------------------------------------------------


@transaction.atomic
def review_form_load(*, data: dict) -> ReviewForm:
    """Load a review form from a dict (see data/review_form_default.json). An unchanged
    form loads as itself; a changed one becomes the next version."""
    criteria = data["criteria"]
    total_weight = sum(Decimal(str(c["weight"])) for c in criteria)
    if total_weight != 100:
        raise ValidationError(_("评审项权重之和应为 100，当前为 %(w)s。") % {"w": total_weight})
    latest = ReviewForm.objects.filter(name=data["name"]).order_by("-version").first()
    if latest is not None:
        current = [(c.code, c.name, c.weight, c.max_score, c.guidance) for c in latest.criteria.all()]
        wanted = [(c["code"], c["name"], Decimal(str(c["weight"])), c["max_score"], c.get("guidance", ""))
                  for c in criteria]
        if current == wanted:
            return latest
    form = ReviewForm.objects.create(name=data["name"], description=data.get("description", ""),
                                     version=(latest.version + 1) if latest else 1)
    ReviewCriterion.objects.bulk_create(
        ReviewCriterion(form=form, code=c["code"], name=c["name"], weight=Decimal(str(c["weight"])),
                        max_score=c["max_score"], guidance=c.get("guidance", ""), order=i)
        for i, c in enumerate(criteria))
    return form
