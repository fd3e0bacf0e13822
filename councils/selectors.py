"""Reads: the rules of a community, seat-rule checks, live quorum, and the council
figures the bureau's reports use."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from places.models import Community, ResidentGroup

from .models import Attendance, CoSignature, Council, CouncilRules, ExecutionItem, Meeting, Proposal, Seat, Vote


def rules_for(community) -> CouncilRules:
    """The community's rules row, or the sources' defaults (unsaved) when it has none."""
    return CouncilRules.objects.filter(community=community).first() or CouncilRules(community=community)


def current_seats(council: Council):
    return Seat.objects.filter(council=council, ended_on__isnull=True)


def seat_rule_problems(council: Council, rules: CouncilRules | None = None) -> list[str]:
    """Every seat rule the council's current seats break, each as the Chinese reason."""
    rules = rules or rules_for(council.community)
    seats = list(current_seats(council).select_related("resident"))
    n = len(seats)
    problems = []
    if council.kind == Council.Kind.GROUP and n < rules.group_min_members:
        problems.append(_("居民小组议事会成员不少于 %(m)s 人，现有 %(n)s 人。") % {
            "m": rules.group_min_members, "n": n})
    if council.kind == Council.Kind.COMMUNITY:
        if n < rules.community_min_members:
            problems.append(_("社区协商议事会成员一般不少于 %(m)s 人，现有 %(n)s 人。") % {
                "m": rules.community_min_members, "n": n})
        by_group: dict[int | None, int] = {}
        for seat in seats:
            by_group[seat.resident.group_id] = by_group.get(seat.resident.group_id, 0) + 1
        for group in ResidentGroup.objects.filter(community_id=council.community_id):
            if by_group.get(group.pk, 0) < rules.min_seats_per_group:
                problems.append(_("结构席位制：每个居民小组至少 %(m)s 名代表，“%(g)s”现有 %(n)s 名。") % {
                    "m": rules.min_seats_per_group, "g": group.name, "n": by_group.get(group.pk, 0)})
    cadres = sum(1 for seat in seats if seat.resident.is_cadre)
    if n and cadres * 100 > rules.max_cadre_percent * n:
        problems.append(_("社区、小组干部不得超过议事会成员的 %(p)s%%，现有干部 %(c)s 人 / 共 %(n)s 人。") % {
            "p": rules.max_cadre_percent, "c": cadres, "n": n})
    return problems


@dataclass(frozen=True)
class Quorum:
    members: int  # all members who should attend
    present: int
    needed: int

    @property
    def met(self) -> bool:
        return self.members > 0 and self.present >= self.needed


def quorum_needed(members: int, rules: CouncilRules) -> int:
    """The fewest present members that make ≥ numerator/denominator of all members:
    21 members at 4/5 → 17."""
    return -(-members * rules.quorum_numerator // rules.quorum_denominator)


def pass_needed(members: int) -> int:
    """More than half of all members who should attend: 21 → 11, 20 → 11."""
    return members // 2 + 1


def quorum_for(meeting) -> Quorum:
    rules = rules_for(meeting.council.community)
    members = current_seats(meeting.council).count()
    present = Attendance.objects.filter(meeting=meeting, seat__ended_on__isnull=True).count()
    return Quorum(members=members, present=present, needed=quorum_needed(members, rules))


def council_figures(communities_q: Q | None = None, *, today=None) -> dict:
    """Council figures for the bureau's reports, for the communities selected by
    `communities_q` (a Q on Community, e.g. scope.community_filter()), all if None:
    councils seated, proposals by route, votes taken and passed, execution rate."""
    today = today or timezone.localdate()
    councils = Council.objects.all()
    if communities_q is not None:
        councils = councils.filter(community__in=Community.objects.filter(communities_q))
    proposals = Proposal.objects.filter(council__in=councils)
    votes = Vote.objects.filter(meeting__council__in=councils, status=Vote.Status.CLOSED)
    executions = ExecutionItem.objects.filter(proposal__council__in=councils)
    routes = dict(Proposal.Route.choices)
    by_route = {routes[r["route"]]: r["n"] for r in proposals.order_by().values("route").annotate(n=Count("id"))}
    execution = executions.aggregate(total=Count("id"), done=Count("id", filter=Q(status=ExecutionItem.Status.DONE)),
                                     overdue=Count("id", filter=Q(status=ExecutionItem.Status.OVERDUE)))
    return {
        "councils": councils.filter(status=Council.Status.SEATED).count(),
        "proposals": proposals.count(),
        "proposals_by_route": by_route,
        "votes": votes.count(),
        "votes_passed": votes.filter(passed=True).count(),
        "executions": execution["total"],
        "executions_done": execution["done"],
        "executions_overdue": execution["overdue"],
        "execution_rate": round(100 * execution["done"] / execution["total"], 1) if execution["total"] else None,
    }


def resident_home(user, resident) -> dict:
    """What the resident home shows from the councils: proposals collecting signatures
    (with the count and whether this resident signed), the resident's meetings and open
    votes if they hold a seat, and published results."""
    community_id = resident.community_id
    proposals = Proposal.objects.filter(council__community_id=community_id)
    collecting = list(proposals.filter(status=Proposal.Status.COLLECTING)
                      .annotate(n=Count("cosignatures")).order_by("-created_at")[:10])
    signed = set(CoSignature.objects.filter(resident=resident, proposal__in=collecting)
                 .values_list("proposal_id", flat=True))
    for proposal in collecting:
        proposal.signed = proposal.pk in signed
    seats = Seat.objects.filter(resident=resident, ended_on__isnull=True)
    meetings = list(Meeting.objects.filter(council__seats__in=seats).exclude(status=Meeting.Status.CLOSED)
                    .select_related("council").order_by("starts_at")[:5])
    open_votes = list(Vote.objects.filter(meeting__council__seats__in=seats, status=Vote.Status.OPEN)
                      .exclude(register__seat__in=seats).select_related("proposal")[:5])
    results = list(proposals.filter(status=Proposal.Status.PUBLISHED).order_by("-created_at")[:5])
    return {"council_collecting": collecting, "council_meetings": meetings, "council_open_votes": open_votes,
            "council_results": results, "council_threshold": rules_for(resident.community).cosign_threshold,
            "council_is_member": seats.exists()}
