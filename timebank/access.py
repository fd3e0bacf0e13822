"""Who may see and do what in the time bank, built on places.access and
organizations.access.

- Place staff (bureau, street, community) read the time bank of the communities in
  their scope; community staff and bureau staff covering the community keep it
  (publish tasks, record needs, confirm check-ins, announce redemption days).
- A resident reads their own community's needs, tasks and rewards, raises needs,
  checks in, redeems, and sees their own points only.
- Merchant staff (members of an organisation that is an active partner, or one based
  in the community) read that community's tasks and needs, respond to tasks, confirm
  redemptions of their rewards and read their statement.
Anything outside these communities is 404; visible but not allowed is 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from organizations.access import organization_ids_for_member
from organizations.models import Organization
from places.access import can_edit_community, communities_for_user, scope_for
from places.models import Community
from residents.models import Resident

from .models import Account, Need, Partner, Redemption, Resource, Reward, Task


def resident_of(user) -> Resident | None:
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_timebank_resident"):
        user._timebank_resident = Resident.objects.filter(user=user).select_related("community").first()
    return user._timebank_resident


def merchant_org_ids(user, community_id: int | None = None) -> frozenset[int]:
    """Organisations the user works for that take part in a community's time bank."""
    org_ids = organization_ids_for_member(user)
    if not org_ids:
        return frozenset()
    partners = Partner.objects.filter(organization_id__in=org_ids, is_active=True)
    if community_id is not None:
        partners = partners.filter(community_id=community_id)
    return frozenset(partners.values_list("organization_id", flat=True))


def responder_org_ids(user, community_id: int) -> frozenset[int]:
    """Organisations that may answer a community's tasks: its partner merchants and
    the organisations based in the community (social organisations, units)."""
    org_ids = organization_ids_for_member(user)
    if not org_ids:
        return frozenset()
    local = Organization.objects.filter(pk__in=org_ids, community_id=community_id, is_active=True)
    return merchant_org_ids(user, community_id) | frozenset(local.values_list("pk", flat=True))


def _member_community_ids(user) -> set[int]:
    ids = set()
    resident = resident_of(user)
    if resident is not None:
        ids.add(resident.community_id)
    org_ids = organization_ids_for_member(user)
    if org_ids:
        ids.update(Partner.objects.filter(organization_id__in=org_ids, is_active=True)
                   .values_list("community_id", flat=True))
    return ids


def community_filter(user, prefix: str = "community__") -> Q:
    """Communities whose time bank the user may read, for a queryset reaching a community via `prefix`."""
    scope = scope_for(user)
    q = scope.community_filter(prefix) if scope.has_place else Q(pk__in=[])
    ids = _member_community_ids(user)
    if ids:
        q |= Q(**{f"{prefix}id__in": ids})
    return q


def timebank_communities_for_user(user) -> QuerySet[Community]:
    if not getattr(user, "is_authenticated", False):
        return Community.objects.none()
    return Community.objects.filter(community_filter(user, prefix=""))


def can_keep(user, community: Community) -> bool:
    return can_edit_community(user, community)


def keepable_communities(user) -> QuerySet[Community]:
    scope = scope_for(user)
    communities = communities_for_user(user).filter(merged_into__isnull=True)
    if scope.is_bureau:
        return communities
    return communities.filter(pk__in=scope.community_ids)


def is_staff_reader(user, community_id: int) -> bool:
    scope = scope_for(user)
    return scope.has_place and communities_for_user(user).filter(pk=community_id).exists()


# --- rows -------------------------------------------------------------------------------

def needs_for_user(user) -> QuerySet[Need]:
    if not getattr(user, "is_authenticated", False):
        return Need.objects.none()
    return Need.objects.filter(community_filter(user))


def resources_for_user(user) -> QuerySet[Resource]:
    if not getattr(user, "is_authenticated", False):
        return Resource.objects.none()
    return Resource.objects.filter(community_filter(user))


def tasks_for_user(user) -> QuerySet[Task]:
    if not getattr(user, "is_authenticated", False):
        return Task.objects.none()
    return Task.objects.filter(community_filter(user))


def rewards_for_user(user) -> QuerySet[Reward]:
    if not getattr(user, "is_authenticated", False):
        return Reward.objects.none()
    return Reward.objects.filter(community_filter(user, "partner__community__"))


def redemptions_for_user(user) -> QuerySet[Redemption]:
    """Own redemptions for a resident, the merchant's for its staff, all in scope for place staff."""
    if not getattr(user, "is_authenticated", False):
        return Redemption.objects.none()
    scope = scope_for(user)
    q = scope.community_filter("reward__partner__community__") if scope.has_place else Q(pk__in=[])
    resident = resident_of(user)
    if resident is not None:
        q |= Q(resident=resident)
    org_ids = merchant_org_ids(user)
    if org_ids:
        q |= Q(reward__partner__organization_id__in=org_ids)
    return Redemption.objects.filter(q)


def accounts_for_user(user) -> QuerySet[Account]:
    if not getattr(user, "is_authenticated", False):
        return Account.objects.none()
    scope = scope_for(user)
    q = scope.community_filter("community__") if scope.has_place else Q(pk__in=[])
    resident = resident_of(user)
    if resident is not None:
        q |= Q(kind=Account.Kind.RESIDENT, resident=resident)
    org_ids = merchant_org_ids(user)
    if org_ids:
        q |= Q(kind=Account.Kind.MERCHANT, organization_id__in=org_ids)
    return Account.objects.filter(q)


def _get(queryset, pk, message):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404(message) from None


def get_need_for_user(user, pk) -> Need:
    return _get(needs_for_user(user).select_related("community", "courtyard", "raised_by"), pk, _("未找到该需求。"))


def get_task_for_user(user, pk) -> Task:
    return _get(tasks_for_user(user).select_related("community", "courtyard", "publisher_organization", "team",
                                                    "published_by"), pk, _("未找到该任务。"))


def get_reward_for_user(user, pk) -> Reward:
    return _get(rewards_for_user(user).select_related("partner__organization", "partner__community"), pk,
                _("未找到该兑换项目。"))


def get_redemption_for_user(user, pk) -> Redemption:
    return _get(redemptions_for_user(user).select_related("reward__partner__organization", "resident__user"), pk,
                _("未找到该兑换。"))


def get_community_for_timebank(user, pk) -> Community:
    return _get(timebank_communities_for_user(user), pk, _("未找到该社区，或不在您的范围内。"))


def get_community_for_dashboard(user, pk) -> Community:
    community = get_community_for_timebank(user, pk)
    if not is_staff_reader(user, community.pk):
        raise PermissionDenied(_("时间银行看板供社区和民政工作人员查看；居民请在“我的积分”查看自己的记录。"))
    return community


# --- actions ------------------------------------------------------------------------------

def can_publish_task(user, community: Community) -> bool:
    return can_keep(user, community) or bool(merchant_org_ids(user, community.pk))


def can_run_task(user, task: Task) -> bool:
    """Start, finish, cancel, confirm check-ins: the community's keepers and the publishing organisation."""
    if can_keep(user, task.community):
        return True
    return task.publisher_organization_id is not None and \
        task.publisher_organization_id in organization_ids_for_member(user)


def can_respond(user, task: Task) -> bool:
    return bool(responder_org_ids(user, task.community_id))


def can_raise_need(user, community: Community) -> bool:
    resident = resident_of(user)
    return can_keep(user, community) or (resident is not None and resident.community_id == community.pk)


def can_check_in(user, task: Task) -> bool:
    resident = resident_of(user)
    return resident is not None and resident.community_id == task.community_id


def can_confirm_redemption(user, redemption: Redemption) -> bool:
    return redemption.reward.partner.organization_id in organization_ids_for_member(user)


def can_cancel_redemption(user, redemption: Redemption) -> bool:
    resident = resident_of(user)
    return (resident is not None and redemption.resident_id == resident.pk) or can_confirm_redemption(user, redemption)
