"""Role management for bureau staff (#14): who may see, grant and revoke which role
assignments. The writes call accounts.services (role_assign / role_revoke, audited);
this module adds what accounts cannot know, the place scope:

- admins and city bureau staff: every assignment; they grant any role (the 系统管理员
  role only an admin);
- district bureau staff: assignments placed in their district (its bureau, its streets,
  its communities); they grant bureau (their district), street and community roles
  there, never the city-wide or placeless expert roles.
Outside the scope: 404; not bureau staff: 403.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts import services as account_services
from accounts.models import Role, RoleAssignment, User
from web.access import get_in_scope

from .access import scope_for
from .models import Community, Region

PLACED_ROLES = (Role.BUREAU, Role.STREET, Role.COMMUNITY)
REASON_MAX_LENGTH = 500


def require_role_management(user) -> None:
    if not scope_for(user).is_bureau:
        raise PermissionDenied(_("只有民政局工作人员可以管理角色授权。"))


def role_assignments_for_user(user) -> QuerySet[RoleAssignment]:
    scope = scope_for(user)
    if not scope.is_bureau:
        return RoleAssignment.objects.none()
    rows = RoleAssignment.objects.all()
    if not scope.city_wide:
        districts = scope.bureau_district_ids
        rows = rows.filter(Q(region_id__in=districts) | Q(region__parent_id__in=districts)
                           | Q(community__street__parent_id__in=districts))
    return rows.select_related("user", "region", "community__street__parent")


def get_assignment_for_revoke(user, pk) -> RoleAssignment:
    require_role_management(user)
    return get_in_scope(role_assignments_for_user(user), pk, _("未找到该角色授权，或不在您的管辖范围内。"))


def grantable_roles(user) -> list[tuple[str, str]]:
    scope = scope_for(user)
    if scope.city_wide:
        return [(value, label) for value, label in Role.choices if value != Role.ADMIN or scope.is_admin]
    if scope.is_bureau:
        return [(value, label) for value, label in Role.choices if value in PLACED_ROLES]
    return []


def regions_for_grant(user) -> QuerySet[Region]:
    """The city, districts and streets where the user may place a bureau or street role."""
    scope = scope_for(user)
    regions = Region.objects.filter(level__in=[Region.Level.CITY, Region.Level.DISTRICT, Region.Level.STREET])
    if scope.city_wide:
        return regions
    return regions.filter(Q(pk__in=scope.bureau_district_ids) | Q(parent_id__in=scope.bureau_district_ids))


def communities_for_grant(user) -> QuerySet[Community]:
    scope = scope_for(user)
    communities = Community.objects.filter(merged_into__isnull=True)
    if scope.city_wide:
        return communities
    return communities.filter(street__parent_id__in=scope.bureau_district_ids)


@transaction.atomic
def role_grant(*, actor, user: User, role: str, region: Region | None = None,
               community: Community | None = None) -> RoleAssignment:
    """Grant `role` to `user` at a place within the actor's scope (audited by
    accounts.services.role_assign). Granting a role the user already holds there is refused."""
    require_role_management(actor)
    if role not in dict(grantable_roles(actor)):
        raise PermissionDenied(_("您不能授予该角色。"))
    if role in (Role.BUREAU, Role.STREET) and region is not None \
            and not regions_for_grant(actor).filter(pk=region.pk).exists():
        raise PermissionDenied(_("该区划不在您的管辖范围内。"))
    if role == Role.COMMUNITY and community is not None \
            and not communities_for_grant(actor).filter(pk=community.pk).exists():
        raise PermissionDenied(_("该社区不在您的管辖范围内。"))
    if not user.is_active:
        raise ValidationError({"user": _("该用户已停用。")})
    existing = RoleAssignment.objects.filter(
        user=user, role=role,
        region=region if role in (Role.BUREAU, Role.STREET) else None,
        community=community if role == Role.COMMUNITY else None)
    if existing.exists():
        raise ValidationError(_("该用户已有这一角色授权。"))
    return account_services.role_assign(user=user, role=role, actor=actor, region=region, community=community)


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment, reason: str) -> None:
    """Revoke an assignment in the actor's scope, with a reason kept in the audit row."""
    assignment = get_assignment_for_revoke(actor, assignment.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写撤销原因。")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": _("撤销原因不能超过 %(n)s 个字。") % {"n": REASON_MAX_LENGTH}})
    if assignment.role == Role.ADMIN and not scope_for(actor).is_admin:
        raise PermissionDenied(_("只有系统管理员可以撤销系统管理员角色。"))
    account_services.role_revoke(assignment=assignment, actor=actor, reason=reason)
