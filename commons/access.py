"""Who sees and keeps the community's commons.

- 三有一公开 is public to the community: staff whose place covers the community and the
  community's own registered residents read every courtyard's organisation, compact,
  activities and accounts, and the community fund's ledger (the one rule in
  `residents.access.community_life_q`).
- The community's own staff (and admins) keep them: members, compact versions,
  activities, account entries, donations and grants.
Outside the scope: 404; visible but not allowed: 403 with the reason.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from organizations.models import Organization, SelfOrganization
from places.access import communities_for_user, scope_for
from places.models import Community, Courtyard
from residents.access import community_life_q
from web.access import get_in_scope

from .models import CommunityFund, CourtyardActivity, CourtyardMember

NOT_KEEPER = _("只有本社区工作人员可以登记院落和社区基金的信息。")


def can_keep(user, community_id: int) -> bool:
    scope = scope_for(user)
    return scope.is_admin or community_id in scope.community_ids


def require_keeper(user, community_id: int) -> None:
    if not can_keep(user, community_id):
        raise PermissionDenied(NOT_KEEPER)


def courtyards_for_user(user) -> QuerySet[Courtyard]:
    q = community_life_q(user, "")
    return Courtyard.objects.filter(q) if q is not None else Courtyard.objects.none()


def community_funds_for_user(user) -> QuerySet[CommunityFund]:
    q = community_life_q(user, "")
    return CommunityFund.objects.filter(q) if q is not None else CommunityFund.objects.none()


def get_courtyard_for_user(user, pk) -> Courtyard:
    return get_in_scope(courtyards_for_user(user).select_related("community"), pk,
                        _("未找到该院落，或不在您的范围内。"))


def get_courtyard_for_keeping(user, pk) -> Courtyard:
    courtyard = get_courtyard_for_user(user, pk)
    require_keeper(user, courtyard.community_id)
    return courtyard


def get_member_for_keeping(user, pk) -> CourtyardMember:
    q = community_life_q(user, "body__courtyard__")
    qs = CourtyardMember.objects.filter(q) if q is not None else CourtyardMember.objects.none()
    member = get_in_scope(qs.select_related("body__courtyard"), pk, _("未找到该成员，或不在您的范围内。"))
    require_keeper(user, member.body.courtyard.community_id)
    return member


def get_activity_for_user(user, pk) -> CourtyardActivity:
    q = community_life_q(user, "courtyard__")
    qs = CourtyardActivity.objects.filter(q) if q is not None else CourtyardActivity.objects.none()
    return get_in_scope(qs, pk, _("未找到该活动，或不在您的范围内。"))


def get_community_fund_for_user(user, pk) -> CommunityFund:
    return get_in_scope(community_funds_for_user(user).select_related("community"), pk,
                        _("未找到该社区基金，或不在您的范围内。"))


def get_community_for_fund_keeping(user, pk) -> Community:
    """The community whose fund the user records a donation in (the fund opens with it)."""
    community = get_in_scope(communities_for_user(user), pk, _("未找到该社区，或不在您的管辖范围内。"))
    require_keeper(user, community.pk)
    return community


def keeper_communities(user) -> QuerySet[Community]:
    scope = scope_for(user)
    qs = communities_for_user(user).filter(merged_into__isnull=True)
    return qs if scope.is_admin else qs.filter(pk__in=scope.community_ids)


def donors_for(community: Community) -> QuerySet[Organization]:
    """The social enterprises a keeper may record a donation from: active ones of the
    community, of its district, or of no place in particular."""
    return Organization.objects.filter(kind=Organization.Kind.SOCIAL_ENTERPRISE, is_active=True).filter(
        Q(community=community) | Q(community__isnull=True) | Q(region=community.street.parent_id)).order_by("name")


def grantees_for(community_id: int) -> QuerySet[SelfOrganization]:
    """The self-organisations a community's fund may pay: its own."""
    return SelfOrganization.objects.filter(community_id=community_id).order_by("name")
