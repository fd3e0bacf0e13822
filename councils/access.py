"""Who may see and act on councils, proposals, meetings and votes.

- Staff whose place covers a community (bureau, street, community) read its councils;
  the community's own staff keep them (form councils, call meetings). The party
  organisation and the residents' committee are explicit `GovernanceRole`s.
- A resident reads the councils of their own community and nothing else; council
  members act on their council's meetings and votes.
- Council members' names are public within the community (a council is a public
  body); phone numbers and households never appear here.
Outside the scope: 404; visible but not allowed: 403.
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from places.access import scope_for
from residents.access import community_life_q, resident_profile

from .models import Council, ExecutionItem, GovernanceRole, Meeting, Proposal, Seat, Vote


def _community_q(user, prefix: str) -> Q | None:
    return community_life_q(user, prefix)


def councils_for_user(user) -> QuerySet[Council]:
    q = _community_q(user, "")
    return Council.objects.filter(q) if q is not None else Council.objects.none()


def proposals_for_user(user) -> QuerySet[Proposal]:
    q = _community_q(user, "council__")
    return Proposal.objects.filter(q) if q is not None else Proposal.objects.none()


def meetings_for_user(user) -> QuerySet[Meeting]:
    q = _community_q(user, "council__")
    return Meeting.objects.filter(q) if q is not None else Meeting.objects.none()


def votes_for_user(user) -> QuerySet[Vote]:
    q = _community_q(user, "meeting__council__")
    return Vote.objects.filter(q) if q is not None else Vote.objects.none()


def executions_for_user(user) -> QuerySet[ExecutionItem]:
    q = _community_q(user, "proposal__council__")
    return ExecutionItem.objects.filter(q) if q is not None else ExecutionItem.objects.none()


# --- roles ------------------------------------------------------------------------------


def _roles(user) -> set[tuple[int, str]]:
    cached = getattr(user, "_governance_roles", None)
    if cached is None:
        cached = set(GovernanceRole.objects.filter(user=user).values_list("community_id", "kind")) \
            if getattr(user, "is_authenticated", False) else set()
        user._governance_roles = cached
    return cached


def is_party(user, community_id: int) -> bool:
    return (community_id, GovernanceRole.Kind.PARTY) in _roles(user)


def is_committee(user, community_id: int) -> bool:
    return (community_id, GovernanceRole.Kind.COMMITTEE) in _roles(user)


def can_keep_councils(user, community_id: int) -> bool:
    """The community's own staff (and admins) form councils and call meetings."""
    scope = scope_for(user)
    return scope.is_admin or community_id in scope.community_ids


def current_seat(user, council: Council) -> Seat | None:
    resident = resident_profile(user)
    if resident is None or resident.community_id != council.community_id:
        return None
    return Seat.objects.filter(council=council, resident=resident, ended_on__isnull=True).first()


def is_chair(user, council: Council) -> bool:
    resident = resident_profile(user)
    return resident is not None and resident.pk in (council.chair_id, council.vice_chair_id)


def can_run_meetings(user, council: Council) -> bool:
    return can_keep_councils(user, council.community_id) or is_chair(user, council)


# --- lookups ----------------------------------------------------------------------------


def _get(qs, pk, message):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404(message) from None


def get_council_for_user(user, pk) -> Council:
    return _get(councils_for_user(user).select_related("community", "group", "chair__user", "vice_chair__user"), pk,
                _("未找到该议事会，或不在您的范围内。"))


def get_proposal_for_user(user, pk) -> Proposal:
    return _get(proposals_for_user(user).select_related("council__community", "proposer", "merged_into"), pk,
                _("未找到该议题，或不在您的范围内。"))


def get_meeting_for_user(user, pk) -> Meeting:
    return _get(meetings_for_user(user).select_related("council__community"), pk, _("未找到该会议，或不在您的范围内。"))


def get_vote_for_user(user, pk) -> Vote:
    return _get(votes_for_user(user).select_related("meeting__council__community", "proposal"), pk,
                _("未找到该表决，或不在您的范围内。"))


def get_execution_for_user(user, pk) -> ExecutionItem:
    return _get(executions_for_user(user).select_related("proposal__council__community"), pk,
                _("未找到该执行事项，或不在您的范围内。"))
