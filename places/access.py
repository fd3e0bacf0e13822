"""The access layer for places: who may see or change which communities.

Every page and API endpoint asks these functions; none checks roles by itself.
`scope_for(user)` reads the user's role assignments once per request. Higher apps
(organizations, projects, …) build their own `access.py` on top of this scope, so the
rules for a place are written once.

Rules:
- admin and city bureau staff: the whole city;
- district bureau staff: their district; street staff: their street; community staff:
  their community (plus communities merged into it, whose history is theirs);
- agency staff and the expert roles work through their organisations and assignments,
  not through the community directory.
Objects outside the scope are 404; visible but not editable is 403.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment
from web.access import get_in_scope

from .models import Community, Region


@dataclass(frozen=True)
class PlaceScope:
    roles: frozenset[str] = field(default_factory=frozenset)
    is_admin: bool = False
    bureau_city: bool = False
    bureau_district_ids: frozenset[int] = field(default_factory=frozenset)
    street_ids: frozenset[int] = field(default_factory=frozenset)
    community_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def city_wide(self) -> bool:
        return self.is_admin or self.bureau_city

    @property
    def is_bureau(self) -> bool:
        return self.is_admin or self.bureau_city or bool(self.bureau_district_ids)

    @property
    def has_place(self) -> bool:
        return self.city_wide or bool(self.bureau_district_ids or self.street_ids or self.community_ids)

    def covers_district(self, district_id: int | None) -> bool:
        return self.city_wide or district_id in self.bureau_district_ids

    def community_filter(self, prefix: str = "") -> Q:
        """A Q object selecting the communities in scope, for querysets that reach a
        community through `prefix` (e.g. "community__")."""
        if self.city_wide:
            # Always true, and unlike an empty Q() it survives being OR-ed with others.
            return Q(**{f"{prefix}pk__isnull": False})
        q = Q(pk__in=[])
        if self.bureau_district_ids:
            q |= Q(**{f"{prefix}street__parent_id__in": self.bureau_district_ids})
        if self.street_ids:
            q |= Q(**{f"{prefix}street_id__in": self.street_ids})
        if self.community_ids:
            q |= Q(**{f"{prefix}id__in": self.community_ids})
            q |= Q(**{f"{prefix}merged_into_id__in": self.community_ids})
        return q


EMPTY_SCOPE = PlaceScope()


def scope_for(user) -> PlaceScope:
    """The user's place scope, read once and cached on the user object."""
    if not getattr(user, "is_authenticated", False):
        return EMPTY_SCOPE
    cached = getattr(user, "_place_scope", None)
    if cached is not None:
        return cached
    roles, districts, streets, communities = set(), set(), set(), set()
    bureau_city = False
    rows = RoleAssignment.objects.filter(user=user).values_list("role", "region_id", "region__level", "community_id")
    for role, region_id, level, community_id in rows:
        roles.add(role)
        if role == Role.BUREAU:
            if level == Region.Level.CITY:
                bureau_city = True
            else:
                districts.add(region_id)
        elif role == Role.STREET:
            streets.add(region_id)
        elif role == Role.COMMUNITY:
            communities.add(community_id)
    scope = PlaceScope(
        roles=frozenset(roles),
        is_admin=user.is_superuser or Role.ADMIN in roles,
        bureau_city=bureau_city,
        bureau_district_ids=frozenset(districts),
        street_ids=frozenset(streets),
        community_ids=frozenset(communities),
    )
    user._place_scope = scope
    return scope


def communities_for_user(user) -> QuerySet[Community]:
    scope = scope_for(user)
    if not scope.has_place:
        return Community.objects.none()
    return Community.objects.filter(scope.community_filter())


def can_browse_communities(user) -> bool:
    return scope_for(user).has_place


def require_community_directory(user) -> None:
    if not can_browse_communities(user):
        raise PermissionDenied(_("您的角色没有社区名录的查看范围；请通过项目页面查看相关社区。"))


def get_community_for_user(user, pk) -> Community:
    return get_in_scope(
        communities_for_user(user).select_related("street__parent", "merged_into"),
        pk,
        _("未找到该社区，或不在您的管辖范围内。"),
    )


def can_edit_community(user, community: Community) -> bool:
    """Bureau staff covering the community, and the community's own staff, keep the profile."""
    scope = scope_for(user)
    if scope.city_wide:
        return True
    if community.street.parent_id in scope.bureau_district_ids:
        return True
    return community.pk in scope.community_ids and community.is_active


def get_community_for_edit(user, pk) -> Community:
    community = get_community_for_user(user, pk)
    if not can_edit_community(user, community):
        raise PermissionDenied(_("您可以查看该社区，但无权修改其档案。"))
    return community


def can_merge_communities(user, community: Community) -> bool:
    scope = scope_for(user)
    return scope.is_bureau and scope.covers_district(community.street.parent_id)


def get_community_for_merge(user, pk) -> Community:
    community = get_community_for_user(user, pk)
    if not can_merge_communities(user, community):
        raise PermissionDenied(_("只有管辖该社区的民政局工作人员可以办理社区合并。"))
    return community


def regions_for_user(user) -> QuerySet[Region]:
    """Administrative divisions are public geography: every signed-in user reads them."""
    return Region.objects.all()
