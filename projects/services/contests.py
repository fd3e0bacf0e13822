"""Community micro-grant contests (微创投大赛) on the round engine.

A contest is a FundingRound of kind "contest", hosted by a community and paid from a
community ledger (the funder source). Its applications are Applications filed for a
residents' self-organisation or a courtyard, moved by the same `application` machine;
its scores are ReviewSheets filled in by the members of a residents' review committee;
approving one debits the funder's ledger through projects.contest_funders in the same
transaction. Every function is keyword-only and runs in one transaction.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment, User
from audit import services as audit
from notifications.services import notify
from organizations.access import conflicts_of_interest
from organizations.models import SelfOrganization
from places.models import Community, Courtyard

from .. import access, contest_access, contest_funders
from ..contest_registry import CONTEST_DECIDED, CONTEST_RETURNED, CONTEST_REVIEW, CONTEST_SUBMITTED
from ..models import (
    Application,
    ApplicationRevision,
    ContestGrant,
    FundingRound,
    ReviewCommittee,
    ReviewForm,
    ReviewScore,
    ReviewSheet,
)
from ..revisions import snapshot
from ..workflows import application_machine
from .committees import committee_create, committee_exit, committee_join, committee_set_role  # noqa: F401
from .common import yuan

CONTEST = FundingRound.Kind.CONTEST
A = Application.Status
MAX_AMOUNT = Decimal("9999999999")


def _require_runner(actor: User, community: Community) -> None:
    if not contest_access.can_run_in(actor, community.pk):
        raise PermissionDenied(_("只有本社区工作人员可以办理社区微创投大赛和评审会。"))


def _money(value, field: str) -> Decimal:
    try:
        amount = Decimal(value)
    except (TypeError, ArithmeticError, ValueError):
        raise ValidationError({field: _("请填写金额。")}) from None
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
        raise ValidationError({field: _("金额须大于 0。")})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({field: _("金额最多两位小数。")})
    return amount


def community_staff(community_id: int) -> list[User]:
    return [a.user for a in RoleAssignment.objects.filter(role=Role.COMMUNITY, community_id=community_id)
            .select_related("user")]


# --- The contest ---------------------------------------------------------------------


@transaction.atomic
def contest_create(*, actor: User, community: Community, name: str, year: int, funder_source: str,
                   committee: ReviewCommittee, review_form: ReviewForm, total_budget, per_project_cap,
                   opens_at: datetime.datetime, closes_at: datetime.datetime, description: str = "") -> FundingRound:
    _require_runner(actor, community)
    if funder_source not in FundingRound.FunderSource.values or not funder_source:
        raise ValidationError({"funder_source": _("请选择资金来源。")})
    if not contest_funders.is_available(funder_source):
        raise ValidationError({"funder_source": _("资金来源“%(s)s”尚未接入账本。") % {
            "s": FundingRound.FunderSource(funder_source).label}})
    if committee.community_id != community.pk:
        raise ValidationError({"committee": _("评审会须是本社区的评审会。")})
    total, cap = _money(total_budget, "total_budget"), _money(per_project_cap, "per_project_cap")
    contest = FundingRound(
        kind=CONTEST, community=community, funder=community.street.parent, funder_source=funder_source,
        committee=committee, name=(name or "").strip(), year=year, description=description, total_budget=total,
        per_project_cap=cap, per_community_cap=total, opens_at=opens_at, closes_at=closes_at,
        review_form=review_form)
    if not 2000 <= int(year or 0) <= 2100:
        raise ValidationError({"year": _("请填写 2000 至 2100 之间的年度。")})
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": _("申报截止须晚于申报开始。")})
    contest.full_clean()
    contest.save()
    audit.record(actor=actor, obj=contest, action="contest.create",
                 data={"source": funder_source, "total_budget": str(total), "per_project_cap": str(cap)})
    return contest


def _contest_application(application: Application) -> Application:
    application = Application.objects.select_for_update(of=("self",)).select_related(
        "round__community", "community", "self_organization", "courtyard").get(pk=application.pk)
    if application.round.kind != CONTEST:
        raise ValidationError(_("这不是社区微创投大赛的申报书。"))
    return application


@transaction.atomic
def contest_apply(*, actor: User, contest: FundingRound, title: str, summary: str, requested_amount,
                  courtyard: Courtyard | None = None, self_organization: SelfOrganization | None = None,
                  now: datetime.datetime | None = None) -> Application:
    """The short form: title, summary, budget, for a courtyard or a self-organisation of
    the contest's community, filed by one of its residents / members and submitted at once."""
    now = now or timezone.now()
    contest = FundingRound.objects.select_related("community").get(pk=contest.pk)
    if contest.kind != CONTEST:
        raise ValidationError(_("这不是社区微创投大赛。"))
    if (courtyard is None) == (self_organization is None):
        raise ValidationError({"applicant": _("请选择申报的院落或居民自组织（二选一）。")})
    applicant = courtyard or self_organization
    if applicant.community_id != contest.community_id:
        raise ValidationError({"applicant": _("%(a)s不在%(c)s，不能参加本次大赛。") % {
            "a": applicant.name, "c": contest.community.name}})
    draft = Application(round=contest, community=contest.community, courtyard=courtyard,
                        self_organization=self_organization)
    if not access.is_applicant(actor, draft):
        raise PermissionDenied(_("只有该院落的居民或该自组织的成员可以申报。"))
    if not contest.is_open(now):
        local = timezone.localtime
        raise ValidationError(_("不在申报时间内：本次大赛申报时间为 %(o)s 至 %(c)s。") % {
            "o": local(contest.opens_at).strftime("%Y-%m-%d %H:%M"),
            "c": local(contest.closes_at).strftime("%Y-%m-%d %H:%M")})
    title, summary, amount = _short_form(contest, title, summary, requested_amount)
    live = Application.objects.filter(round=contest, courtyard=courtyard, self_organization=self_organization) \
        .exclude(status__in=[A.WITHDRAWN, A.REJECTED])
    if live.exists():
        raise ValidationError({"applicant": _("%(a)s已在本次大赛中申报，不能重复申报。") % {"a": applicant.name}})
    draft.title, draft.summary, draft.requested_amount, draft.created_by = title, summary, amount, actor
    draft.full_clean()
    draft.save()
    audit.record(actor=actor, obj=draft, action="contest.apply", to_state=A.DRAFT,
                 data={"applicant": applicant.name, "amount": str(amount)})
    application = application_machine.fire(draft, "submit", actor=actor,
                                           updates={"submitted_at": now, "updated_at": now})
    ApplicationRevision.objects.create(application=application, number=1, content=snapshot(application),
                                       created_by=actor)
    notify(users=community_staff(contest.community_id), kind=CONTEST_SUBMITTED,
           title=_("微创投申报待审查：%(t)s") % {"t": title},
           body=_("%(a)s 申请 %(m)s。") % {"a": applicant.name, "m": yuan(amount)},
           url=reverse("projects:contest_detail", args=[contest.pk]))
    return application


def _short_form(contest: FundingRound, title: str, summary: str, requested_amount) -> tuple[str, str, Decimal]:
    title, summary = (title or "").strip(), (summary or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("请填写项目名称。")
    if not summary:
        errors["summary"] = _("请填写项目概述。")
    if errors:
        raise ValidationError(errors)
    amount = _money(requested_amount, "requested_amount")
    if amount > contest.per_project_cap:
        raise ValidationError({"requested_amount": _("申请金额 %(a)s 超过本次大赛单项目上限 %(cap)s。") % {
            "a": yuan(amount), "cap": yuan(contest.per_project_cap)}})
    return title, summary, amount


@transaction.atomic
def contest_resubmit(*, actor: User, application: Application, title: str, summary: str,
                     requested_amount, now: datetime.datetime | None = None) -> Application:
    """A returned application, corrected and submitted again (a new frozen revision)."""
    now = now or timezone.now()
    application = _contest_application(application)
    if not access.is_applicant(actor, application):
        raise PermissionDenied(_("只有该院落的居民或该自组织的成员可以修改申报。"))
    if application.status != A.RETURNED:
        raise ValidationError(_("申报书状态为“%(s)s”，不能修改。") % {"s": application.get_status_display()})
    title, summary, amount = _short_form(application.round, title, summary, requested_amount)
    Application.objects.filter(pk=application.pk).update(title=title, summary=summary, requested_amount=amount)
    application.refresh_from_db()
    application = application_machine.fire(application, "submit", actor=actor,
                                           updates={"submitted_at": now, "updated_at": now})
    ApplicationRevision.objects.create(application=application, number=application.revisions.count() + 1,
                                       content=snapshot(application), created_by=actor)
    notify(users=community_staff(application.community_id), kind=CONTEST_SUBMITTED,
           title=_("微创投申报修改后重新提交：%(t)s") % {"t": title}, body=application.applicant_name,
           url=reverse("projects:contest_application", args=[application.pk]))
    return application


@transaction.atomic
def contest_screen(*, actor: User, application: Application, passed: bool, reason: str = "",
                   today: datetime.date | None = None) -> Application:
    """形式审查 by the community's staff. Passing hands the application to the committee:
    every member serving today gets a review sheet, except those with a conflict of
    interest (a member of the applying group, a resident of the applying courtyard)."""
    application = _contest_application(application)
    if not passed:
        if not (reason or "").strip():
            raise ValidationError({"reason": _("退回时请写明需要修改的内容。")})
        application = application_machine.fire(application, "screen_return", actor=actor, reason=reason,
                                               updates={"decision_reason": reason, "updated_at": timezone.now()})
        _notify_applicants(application, CONTEST_RETURNED, _("微创投申报被退回：%(t)s"), reason)
        return application
    application = application_machine.fire(application, "screen_pass", actor=actor, reason=reason,
                                           updates={"updated_at": timezone.now()})
    assign_committee(application=application, actor=actor, today=today)
    return application


def reviewers_for(application: Application, today: datetime.date) -> tuple[list[User], list[User]]:
    """(reviewers, excluded for a conflict of interest) among the committee serving today."""
    committee = application.round.committee
    if committee is None:
        return [], []
    serving = [m.user for m in committee.members_on(today).select_related("user")]
    conflicts = conflicts_of_interest(
        serving, self_organization_ids=[application.self_organization_id] if application.self_organization_id else (),
        courtyard_ids=[application.courtyard_id] if application.courtyard_id else ())
    excluded = {user_id for user_id, _applicant in conflicts}
    return [u for u in serving if u.pk not in excluded], [u for u in serving if u.pk in excluded]


@transaction.atomic
def assign_committee(*, application: Application, actor: User, today: datetime.date | None = None) -> list:
    application = _contest_application(application)
    if not access.can_manage_round(actor, application.round):
        raise PermissionDenied(_("只有本社区工作人员可以分配评审。"))
    if application.status != A.IN_REVIEW:
        raise ValidationError(_("申报书尚未通过形式审查，不能分配评审。"))
    reviewers, excluded = reviewers_for(application, today or timezone.localdate())
    if not reviewers:
        raise ValidationError(_("评审会没有可以评审本申报书的在任成员（利益回避后为零）。"))
    form = application.round.review_form
    criteria = list(form.criteria.all())
    created = []
    for reviewer in reviewers:
        sheet, was_created = ReviewSheet.objects.get_or_create(
            application=application, reviewer=reviewer, defaults={"form": form, "assigned_by": actor})
        if was_created:
            ReviewScore.objects.bulk_create(ReviewScore(sheet=sheet, criterion=c) for c in criteria)
            created.append(sheet)
    audit.record(actor=actor, obj=application, action="contest.review_assign",
                 data={"reviewers": [u.username for u in reviewers], "excluded": [u.username for u in excluded]})
    notify(users=[s.reviewer for s in created], kind=CONTEST_REVIEW,
           title=_("评审会评审任务：%(t)s") % {"t": application.title},
           body=application.round.name, url=reverse("projects:review_list"))
    return created


def granted_total(contest: FundingRound) -> Decimal:
    return ContestGrant.objects.filter(application__round=contest).aggregate(
        total=Sum("amount"))["total"] or Decimal("0")


@transaction.atomic
def contest_decide(*, actor: User, application: Application, decision: str, reason: str,
                   amount=None) -> Application:
    """The community's decision after the committee's review. Approving grants an
    amount within the caps (the round row is locked, so parallel approvals queue) and
    debits the funder's ledger in this transaction: no grant without its ledger entry,
    and the ledger refuses to go below zero."""
    if decision not in ("approve", "reject", "return"):
        raise ValidationError({"decision": _("请选择结论。")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请写明结论理由。")})
    contest = FundingRound.objects.select_for_update(of=("self",)).select_related("community").get(
        pk=application.round_id)
    application = _contest_application(application)
    if not access.can_manage_round(actor, contest):
        raise PermissionDenied(_("只有本社区工作人员可以作出结论。"))
    if decision != "approve":
        application = application_machine.fire(application, decision, actor=actor, reason=reason,
                                               updates={"decision_reason": reason, "updated_at": timezone.now()})
        kind = CONTEST_RETURNED if decision == "return" else CONTEST_DECIDED
        _notify_applicants(application, kind, _("微创投结果：%(t)s"), reason)
        return application
    granted = _money(application.requested_amount if amount in (None, "") else amount, "amount")
    if application.status == A.IN_REVIEW:
        if not application.review_sheets.filter(status=ReviewSheet.Status.SUBMITTED).exists():
            raise ValidationError(_("评审会尚未提交任何评审表，不能立项。"))
        if granted > application.requested_amount:
            raise ValidationError({"amount": _("资助金额 %(a)s 不能超过申请金额 %(r)s。") % {
                "a": yuan(granted), "r": yuan(application.requested_amount)}})
        if granted > contest.per_project_cap:
            raise ValidationError({"amount": _("资助金额 %(a)s 超过单项目上限 %(cap)s。") % {
                "a": yuan(granted), "cap": yuan(contest.per_project_cap)}})
        done = granted_total(contest)
        if done + granted > contest.total_budget:
            raise ValidationError({"amount": _("超出大赛总额：已资助 %(d)s，本次 %(a)s，超过总额 %(t)s。") % {
                "d": yuan(done), "a": yuan(granted), "t": yuan(contest.total_budget)}})
    application = application_machine.fire(application, "approve", actor=actor, reason=reason,
                                           updates={"decision_reason": reason, "updated_at": timezone.now()},
                                           data={"amount": str(granted)})
    reference = contest_funders.debit(source=contest.funder_source, community=contest.community, year=contest.year,
                                      amount=granted, application=application, actor=actor)
    grant = ContestGrant.objects.create(application=application, amount=granted, ledger_reference=reference,
                                        decided_by=actor)
    audit.record(actor=actor, obj=application, action="contest.grant",
                 data={"amount": str(granted), "source": contest.funder_source, "reference": reference})
    _notify_applicants(application, CONTEST_DECIDED, _("微创投结果：%(t)s"),
                       _("获得资助 %(a)s。%(r)s") % {"a": yuan(grant.amount), "r": reason})
    return application


def applicant_users(application: Application) -> list[User]:
    if application.self_organization_id:
        return list(application.self_organization.member_accounts.all())
    return []  # a courtyard's filer is told (below); its residents read the public results


def _notify_applicants(application: Application, kind: str, title: str, body: str) -> None:
    users = applicant_users(application)
    if application.created_by_id and all(u.pk != application.created_by_id for u in users):
        users.append(application.created_by)
    notify(users=users, kind=kind, title=title % {"t": application.title}, body=body,
           url=reverse("projects:contest_application", args=[application.pk]))
