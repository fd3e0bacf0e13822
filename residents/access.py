"""Who may see residents, and what a resident may see.

- A resident's name, phone and household are personal data: only the staff of the
  resident's own community (and system admins) see them. Street and bureau staff see
  figures, never the people (the brief of issue #17).
- A resident sees only their own community: `resident_community_id(user)` is the one
  community a resident's pages and the API are filtered to. Being a resident gives no
  staff scope (places.access knows nothing of residents).
Outside the scope: 404; visible but not allowed: 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from places.access import communities_for_user, scope_for
from places.models import Community

from .models import Resident

_MISSING = object()


def resident_profile(user) -> Resident | None:
    """The user's resident profile (with its community), read once per request."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_resident_profile", _MISSING)
    if cached is not _MISSING:
        return cached
    profile = Resident.objects.select_related("community", "household", "group").filter(user=user).first()
    user._resident_profile = profile
    return profile


def resident_community_id(user) -> int | None:
    profile = resident_profile(user)
    return profile.community_id if profile else None


def is_resident_only(user) -> bool:
    """A resident with no staff role: the phone-first resident home is theirs."""
    # Staff first: their scope is already read, so they never pay for the profile query.
    if user.is_superuser or scope_for(user).roles:
        return False
    return resident_profile(user) is not None


def resident_keeper_community_ids(user) -> set[int] | None:
    """Communities whose residents the user keeps; None = all (admins)."""
    scope = scope_for(user)
    if scope.is_admin:
        return None
    return set(scope.community_ids)


def communities_for_resident_keeping(user) -> QuerySet[Community]:
    ids = resident_keeper_community_ids(user)
    qs = communities_for_user(user).filter(merged_into__isnull=True)
    return qs if ids is None else qs.filter(pk__in=ids)


def can_keep_residents(user, community: Community) -> bool:
    ids = resident_keeper_community_ids(user)
    return community.is_active and (ids is None or community.pk in ids)


def residents_for_user(user) -> QuerySet[Resident]:
    """Residents whose personal data the user may see."""
    if not getattr(user, "is_authenticated", False):
        return Resident.objects.none()
    ids = resident_keeper_community_ids(user)
    qs = Resident.objects.all()
    return qs if ids is None else qs.filter(community_id__in=ids)


def require_resident_keeper(user) -> None:
    if not communities_for_resident_keeping(user).exists():
        raise PermissionDenied(_("只有社区工作人员可以登记和管理本社区居民。"))


def get_community_for_residents(user, pk) -> Community:
    try:
        community = communities_for_user(user).get(pk=pk)
    except (Community.DoesNotExist, ValueError, TypeError):
        raise Http404(_("未找到该社区，或不在您的管辖范围内。")) from None
    if not can_keep_residents(user, community):
        raise PermissionDenied(_("居民的姓名、电话和户籍信息只对本社区工作人员开放。"))
    return community


def get_resident_for_user(user, pk) -> Resident:
    try:
        return residents_for_user(user).select_related("user", "community", "household", "courtyard", "group").get(
            pk=pk)
    except (Resident.DoesNotExist, ValueError, TypeError):
        raise Http404(_("未找到该居民，或不在您的管辖范围内。")) from None


def community_life_q(user, prefix: str) -> Q | None:
    """The one rule for the community's public life (councils, public funds …): staff
    whose place covers the community, and the community's own residents. A Q over
    objects that reach their community through `prefix`, or None when the user sees
    none at all."""
    if not getattr(user, "is_authenticated", False):
        return None
    scope = scope_for(user)
    q, has = Q(pk__in=[]), False
    if scope.has_place:
        q |= scope.community_filter(f"{prefix}community__")
        has = True
    own = resident_community_id(user)
    if own is not None:
        q |= Q(**{f"{prefix}community_id": own})
        has = True
    return q if has else None
