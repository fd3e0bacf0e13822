"""Writes for the 居民议事会 itself and its proposals: governance roles, councils, seats and
officers, raising, co-signing, accepting, merging, rejecting and publishing proposals."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from audit import services as audit
from notifications.services import notify
from places.access import scope_for
from residents.access import resident_profile
from residents.models import Resident

from .. import access, selectors
from ..models import (
    CoSignature,
    Council,
    GovernanceRole,
    Proposal,
    Seat,
)
from ..notification_kinds import NotificationKind
from ..workflows import council_machine, proposal_machine
from .common import _plausible, _require_keeper

# --- roles and councils -----------------------------------------------------------------


@transaction.atomic
def governance_role_assign(*, actor, community, user, kind: str) -> GovernanceRole:
    """Name who acts for the party organisation or the residents' committee. Held by
    the community's own staff."""
    _require_keeper(actor, community.pk)
    if kind not in GovernanceRole.Kind.values:
        raise ValidationError({"kind": _("未知的身份。")})
    if community.pk not in scope_for(user).community_ids:
        raise ValidationError({"user": _("只能指定本社区工作人员。")})
    role, created = GovernanceRole.objects.get_or_create(community=community, user=user, kind=kind)
    if created:
        audit.record(actor=actor, obj=role, action="governance_role.assign")
    return role


@transaction.atomic
def council_create(*, actor, community, kind: str, name: str, term_start: datetime.date, term_end: datetime.date,
                   group=None) -> Council:
    _require_keeper(actor, community.pk)
    _plausible(term_start, "term_start")
    _plausible(term_end, "term_end")
    if term_end <= term_start:
        raise ValidationError({"term_end": _("任期结束应晚于任期开始。")})
    if kind == Council.Kind.GROUP and (group is None or group.community_id != community.pk):
        raise ValidationError({"group": _("居民小组议事会须选择本社区的居民小组。")})
    council = Council(community=community, kind=kind, group=group if kind == Council.Kind.GROUP else None,
                      name=name, term_start=term_start, term_end=term_end, created_by=actor)
    council.full_clean()
    council.save()
    audit.record(actor=actor, obj=council, action="council.create", to_state=council.status)
    return council


def _check_candidate(council: Council, resident: Resident) -> None:
    if resident.community_id != council.community_id:
        raise ValidationError({"resident": _("只能选本社区居民。")})
    if council.kind == Council.Kind.GROUP and resident.group_id != council.group_id:
        raise ValidationError({"resident": _("居民小组议事会成员须是本小组居民（由居民直接选举产生）。")})
    if council.kind == Council.Kind.COMMUNITY and not Seat.objects.filter(
            resident=resident, ended_on__isnull=True, council__kind=Council.Kind.GROUP,
            council__community_id=council.community_id).exclude(council__status=Council.Status.ENDED).exists():
        raise ValidationError({"resident": _("社区协商议事会成员须从居民小组议事会成员中推选。")})


@transaction.atomic
def seat_add(*, actor, council: Council, resident: Resident, started_on: datetime.date | None = None) -> Seat:
    council = Council.objects.select_for_update().get(pk=council.pk)
    _require_keeper(actor, council.community_id)
    if council.status != Council.Status.FORMING:
        raise ValidationError(_("议事会已组成；成员变动请办理替补。"))
    _check_candidate(council, resident)
    try:
        with transaction.atomic():
            seat = Seat.objects.create(council=council, resident=resident, started_on=started_on or council.term_start)
    except IntegrityError:
        raise ValidationError({"resident": _("该居民已是本议事会成员。")}) from None
    audit.record(actor=actor, obj=seat, action="seat.add")
    return seat


@transaction.atomic
def council_officers_set(*, actor, council: Council, chair: Resident, vice_chair: Resident | None = None) -> Council:
    council = Council.objects.select_for_update().get(pk=council.pk)
    _require_keeper(actor, council.community_id)
    seated = set(selectors.current_seats(council).values_list("resident_id", flat=True))
    if chair.pk not in seated or (vice_chair and vice_chair.pk not in seated):
        raise ValidationError(_("议事长、副议事长须为本议事会成员。"))
    if vice_chair and vice_chair.pk == chair.pk:
        raise ValidationError({"vice_chair": _("议事长和副议事长不能是同一人。")})
    council.chair, council.vice_chair = chair, vice_chair
    council.save(update_fields=["chair", "vice_chair"])
    audit.record(actor=actor, obj=council, action="council.officers")
    return council


def council_seat(*, actor, council: Council) -> Council:
    """Confirm the council's composition: the seat rules are the guard."""
    return council_machine.fire(council, "seat", actor=actor)


@transaction.atomic
def seat_replace(*, actor, seat: Seat, resident: Resident, on: datetime.date, reason: str) -> Seat:
    """A member leaves and another takes the seat; both rows stay (history). The seat
    rules must still hold afterwards, or nothing changes."""
    seat = Seat.objects.select_for_update().select_related("council").get(pk=seat.pk)
    council = Council.objects.select_for_update().get(pk=seat.council_id)
    _require_keeper(actor, council.community_id)
    _plausible(on, "on")
    if seat.ended_on is not None:
        raise ValidationError(_("该席位已离任。"))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写替补原因。")})
    if on < seat.started_on:
        raise ValidationError({"on": _("替补日期不能早于原成员就任日期。")})
    _check_candidate(council, resident)
    if seat.resident_id in (council.chair_id, council.vice_chair_id):
        raise ValidationError(_("议事长、副议事长离任前请先改选。"))
    Seat.objects.filter(pk=seat.pk).update(ended_on=on, end_reason=reason[:200])
    try:
        with transaction.atomic():
            new = Seat.objects.create(council=council, resident=resident, started_on=on, replaces=seat)
    except IntegrityError:
        raise ValidationError({"resident": _("该居民已是本议事会成员。")}) from None
    if council.status == Council.Status.SEATED:
        problems = selectors.seat_rule_problems(council)
        if problems:
            raise ValidationError("；".join(problems))
    audit.record(actor=actor, obj=new, action="seat.replace", reason=reason, data={"replaces": seat.pk})
    return new


# --- proposals ---------------------------------------------------------------------------


def _community_council(council: Council) -> None:
    if council.status != Council.Status.SEATED:
        raise ValidationError(_("议事会尚未组成或已届满，不能提出议题。"))


@transaction.atomic
def proposal_raise(*, actor, council: Council, route: str, title: str, body: str) -> Proposal:
    """Raise a proposal by one of the four routes (seed 003). The three organised
    routes go to the party organisation's review at once; a residents' proposal
    collects co-signatures first (the proposer signs first)."""
    _community_council(council)
    community_id = council.community_id
    allowed = {
        Proposal.Route.PARTY: lambda: access.is_party(actor, community_id),
        Proposal.Route.COMMITTEE: lambda: access.is_committee(actor, community_id),
        Proposal.Route.MEMBER: lambda: access.current_seat(actor, council) is not None,
        Proposal.Route.RESIDENTS: lambda: (resident_profile(actor) or Resident()).community_id == community_id,
    }
    if route not in allowed:
        raise ValidationError({"route": _("未知的提出方式。")})
    if not allowed[route]():
        raise PermissionDenied({
            Proposal.Route.PARTY: _("只有社区党组织可以以党组织名义提出议题。"),
            Proposal.Route.COMMITTEE: _("只有居委会可以以居委会名义提出议题。"),
            Proposal.Route.MEMBER: _("只有本议事会成员可以以成员身份提出议题。"),
            Proposal.Route.RESIDENTS: _("只有本社区居民可以发起联名议题。"),
        }[route])
    proposal = Proposal(council=council, route=route, title=(title or "").strip(), body=(body or "").strip(),
                        proposer=actor)
    proposal.full_clean()
    proposal.save()
    audit.record(actor=actor, obj=proposal, action="proposal.raise", to_state=proposal.status)
    if route == Proposal.Route.RESIDENTS:
        _cosign(proposal, resident_profile(actor), actor)
    else:
        proposal = proposal_machine.fire(proposal, "submit", actor=actor, system=True)
    return Proposal.objects.get(pk=proposal.pk)


def _cosign(proposal: Proposal, resident: Resident, actor) -> int:
    try:
        with transaction.atomic():
            CoSignature.objects.create(proposal=proposal, resident=resident)
    except IntegrityError:
        raise ValidationError(_("您已联名过该议题。")) from None
    count = CoSignature.objects.filter(proposal=proposal).count()
    audit.record(actor=actor, obj=proposal, action="proposal.cosign", data={"count": count})
    if count >= selectors.rules_for(proposal.council.community).cosign_threshold:
        proposal_machine.fire(proposal, "submit", actor=actor, system=True, data={"cosigners": count})
    return count


@transaction.atomic
def proposal_cosign(*, actor, proposal: Proposal) -> int:
    """A resident of the community co-signs once; at the threshold the proposal goes
    to the party organisation's review. Returns the number of co-signers."""
    proposal = Proposal.objects.select_for_update().select_related("council__community").get(pk=proposal.pk)
    resident = resident_profile(actor)
    if resident is None or resident.community_id != proposal.council.community_id:
        raise PermissionDenied(_("只有本社区居民可以联名。"))
    if proposal.status != Proposal.Status.COLLECTING:
        raise ValidationError(_("该议题已不在征集联名阶段。"))
    return _cosign(proposal, resident, actor)


def proposal_accept(*, actor, proposal: Proposal, reason: str = "") -> Proposal:
    return proposal_machine.fire(proposal, "accept", actor=actor, reason=reason,
                                 updates={"decision_reason": (reason or "")[:1000]})


@transaction.atomic
def proposal_merge(*, actor, proposal: Proposal, into: Proposal, reason: str) -> Proposal:
    if into.pk == proposal.pk or into.council_id != proposal.council_id:
        raise ValidationError({"into": _("只能并入同一议事会的其他议题。")})
    if into.status not in (Proposal.Status.REVIEW, Proposal.Status.ACCEPTED):
        raise ValidationError({"into": _("只能并入审查中或已列为正式议题的议题。")})
    merged = proposal_machine.fire(proposal, "merge", actor=actor, reason=reason,
                                   updates={"merged_into": into, "decision_reason": (reason or "")[:1000]})
    _tell_proposer(merged, _("您提出的议题已并入“%(t)s”") % {"t": into.title}, reason)
    return merged


@transaction.atomic
def proposal_reject(*, actor, proposal: Proposal, reason: str) -> Proposal:
    rejected = proposal_machine.fire(proposal, "reject", actor=actor, reason=reason,
                                     updates={"decision_reason": (reason or "")[:1000]})
    _tell_proposer(rejected, _("您提出的议题未予采纳"), reason)
    return rejected


def _tell_proposer(proposal: Proposal, title: str, body: str) -> None:
    notify(users=[proposal.proposer], kind=NotificationKind.PROPOSAL_REVIEWED, title=title, body=body,
           url=reverse("councils:proposal_detail", args=[proposal.pk]))


@transaction.atomic
def proposal_publish(*, actor, proposal: Proposal) -> Proposal:
    """Publish the result to every resident of the community (表决结果公示)."""
    published = proposal_machine.fire(proposal, "publish", actor=actor)
    users = [r.user for r in Resident.objects.filter(community_id=published.council.community_id)
             .select_related("user")]
    notify(users=users, kind=NotificationKind.RESULT_PUBLISHED,
           title=_("议题表决结果公示：%(t)s（%(o)s）") % {"t": published.title, "o": published.get_outcome_display()},
           url=reverse("councils:proposal_detail", args=[published.pk]))
    return published
