"""Who may see or change which organisations, built on places.access.

- The directory (name, kind, credit code, public profile) is public registry
  information: every signed-in user reads it.
- The private side (members and their phones, editing) belongs to the organisation's
  own staff and to bureau staff covering the organisation's registration district;
  for anyone else it does not exist (404).
- Changing the profile: bureau staff in scope and the organisation's leaders.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from places.access import scope_for
from web.access import get_in_scope
from web.archive import LIVE

from .models import Membership, Organization


def organization_ids_for_member(user) -> frozenset[int]:
    """Organisations the user works for, read once per request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_organization_ids", None)
    if cached is None:
        rows = Membership.objects.filter(user=user).values_list("organization_id", "position")
        cached = {org_id: position for org_id, position in rows}
        user._organization_ids = cached
    return frozenset(cached)


def is_leader_of(user, organization_id: int) -> bool:
    organization_ids_for_member(user)
    return getattr(user, "_organization_ids", {}).get(organization_id) == Membership.Position.LEADER


def is_agency_staff(user) -> bool:
    return bool(organization_ids_for_member(user))


def organizations_for_user(user) -> QuerySet[Organization]:
    if not getattr(user, "is_authenticated", False):
        return Organization.objects.none()
    return Organization.objects.filter(LIVE)


def can_see_private(user, organization: Organization) -> bool:
    scope = scope_for(user)
    return (
        scope.city_wide
        or organization.region_id in scope.bureau_district_ids
        or organization.pk in organization_ids_for_member(user)
    )


def can_manage(user, organization: Organization) -> bool:
    scope = scope_for(user)
    return scope.city_wide or organization.region_id in scope.bureau_district_ids or is_leader_of(user, organization.pk)


def can_place_organization_in(user, region) -> bool:
    """Where an organisation may be registered or moved by `user`: a city-wide bureau
    anywhere, a district bureau only within its own districts; nobody else."""
    scope = scope_for(user)
    return region is not None and (scope.city_wide or region.pk in scope.bureau_district_ids)


def can_create_organization(user) -> bool:
    return scope_for(user).is_bureau


def can_waive_credit_check(user) -> bool:
    """Only bureau staff may accept a code that fails the check character."""
    return scope_for(user).is_bureau


def get_organization_for_user(user, pk) -> Organization:
    return get_in_scope(
        organizations_for_user(user).select_related("region", "community"),
        pk,
        _("未找到该组织。"),
    )


def get_organization_private_for_user(user, pk) -> Organization:
    organization = get_organization_for_user(user, pk)
    if not can_see_private(user, organization):
        raise Http404(_("未找到该组织的内部信息。"))
    return organization


def get_organization_for_edit(user, pk) -> Organization:
    organization = get_organization_private_for_user(user, pk)
    if not can_manage(user, organization):
        raise PermissionDenied(_("只有该组织负责人和管辖的民政局工作人员可以修改。"))
    return organization


def require_can_create_organization(user) -> None:
    if not can_create_organization(user):
        raise PermissionDenied(_("只有民政局工作人员可以登记新组织。"))


# --- Residents' self-organisations ---------------------------------------------------
# Place staff see the groups of their place. Agency staff and the expert roles work
# across the city and read every group (a group's name, stage and leaders are posted
# on community notice boards); users with no role see none. Community staff and bureau
# staff covering the community keep the record.


def selforgs_for_user(user) -> QuerySet:
    from .models import SelfOrganization

    scope = scope_for(user)
    if scope.has_place:
        return SelfOrganization.objects.filter(scope.community_filter("community__"))
    if scope.roles or is_agency_staff(user):
        return SelfOrganization.objects.all()
    return SelfOrganization.objects.none()


def get_selforg_for_user(user, pk):

    return get_in_scope(
        selforgs_for_user(user).select_related("community__street__parent"),
        pk,
        _("未找到该居民自组织。"),
    )


def can_keep_selforgs(user, community) -> bool:
    scope = scope_for(user)
    return community.pk in scope.community_ids or (
        scope.is_bureau and scope.covers_district(community.street.parent_id))


def get_selforg_for_edit(user, pk):
    selforg = get_selforg_for_user(user, pk)
    if not can_keep_selforgs(user, selforg.community):
        raise PermissionDenied(_("只有所在社区和属地民政局工作人员可以更新自组织档案。"))
    return selforg


def conflicts_of_interest(users, organization_ids=(), *, self_organization_ids=(),
                          courtyard_ids=()) -> set[tuple[int, object]]:
    """The platform's one conflict-of-interest rule — nobody reviews, supervises or
    evaluates the work of an applicant they belong to. Returns (user id, applicant) pairs:
    the organisation's id for a social organisation (a staff member), ("selforg", id) for
    a residents' self-organisation (a member with an account) and ("courtyard", id) for a
    courtyard (a registered resident of it). One query per kind of applicant asked about."""
    from residents.models import Resident

    from .models import SelfOrganization

    user_ids = [u.pk for u in users]
    pairs: set[tuple[int, object]] = set()
    if organization_ids:
        pairs |= set(Membership.objects.filter(user_id__in=user_ids, organization_id__in=organization_ids)
                     .values_list("user_id", "organization_id"))
    if self_organization_ids:
        rows = SelfOrganization.member_accounts.through.objects.filter(
            user_id__in=user_ids, selforganization_id__in=self_organization_ids)
        pairs |= {(u, ("selforg", s)) for u, s in rows.values_list("user_id", "selforganization_id")}
    if courtyard_ids:
        rows = Resident.objects.filter(user_id__in=user_ids, courtyard_id__in=courtyard_ids)
        pairs |= {(u, ("courtyard", c)) for u, c in rows.values_list("user_id", "courtyard_id")}
    return pairs


def organizations_managed_by(user) -> QuerySet[Organization]:
    """Organisations (archived or not) a bureau role manages, for archive/restore: the
    city bureau all of them, a district bureau those registered in its district."""
    scope = scope_for(user)
    if scope.city_wide:
        return Organization.objects.all()
    return Organization.objects.filter(region_id__in=scope.bureau_district_ids)


def register_archive() -> None:
    from django.urls import reverse
    from django.utils.translation import gettext_lazy

    from web import archive

    archive.register(Organization, kind="organization", label=gettext_lazy("社会组织"), order=10,
                     visible=organizations_for_user, managed=organizations_managed_by,
                     url=lambda o: reverse("organizations:organization_detail", args=[o.pk]))
