"""Expert review and the funding decision: assigning reviewers, score sheets, the
weighted total, and the decision that splits the approved amount into tranches."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.selectors import users_with_role
from audit import services as audit
from notifications.services import notify
from organizations.access import conflicts_of_interest
from projects.notification_kinds import NotificationKind

from ..models import (
    Application,
    FundingRound,
    Project,
    ReviewScore,
    ReviewSheet,
    Tranche,
    TrancheRule,
)
from ..workflows import review_sheet_machine
from .applications import _application_url, _locked, _move, _notify_returned, _require_funder
from .common import applicant_staff, yuan
from .project import agreement_sign

CENT = Decimal("0.01")


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
