"""Writes for users and roles. Each runs in one transaction and leaves an audit row."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit import services as audit

from .models import Role, RoleAssignment, User


@transaction.atomic
def role_assign(
    *,
    user: User,
    role: str,
    actor: User | None,
    region=None,
    community=None,
) -> RoleAssignment:
    """Give a user a role; the place must fit the role (bureau: city or district,
    street: a street, community: a community, the others: none). Levels are
    places.Region.Level codes, compared as strings: places sits above this app."""
    if role == Role.BUREAU and (region is None or region.level not in ("city", "district")):
        raise ValidationError({"region": _("民政局工作人员须指定市或一个区（市）县。")})
    if role == Role.STREET and (region is None or region.level != "street"):
        raise ValidationError({"region": _("街道工作人员须指定一个街道/乡镇。")})
    if role == Role.COMMUNITY and community is None:
        raise ValidationError({"community": _("社区工作人员须指定一个社区。")})
    if role not in (Role.BUREAU, Role.STREET):
        region = None
    if role != Role.COMMUNITY:
        community = None
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, region=region, community=community
    )
    if created:
        audit.record(actor=actor, obj=user, action="role.assign", to_state=role,
                     data={"region": getattr(region, "code", None), "community": getattr(community, "code", None)})
    return assignment


@transaction.atomic
def revoke_refusal(assignment: RoleAssignment, actor: User | None) -> str | None:
    """Why `actor` may not revoke `assignment`, or None: the one rule the service, the
    pages and the admin (which hides its delete button) all ask."""
    if actor is not None and actor.pk == assignment.user_id and assignment.role == Role.BUREAU:
        return _("不能撤销自己的民政局工作人员角色，请由其他管理员操作。")
    return None


def role_revoke(*, assignment: RoleAssignment, actor: User | None, reason: str = "") -> None:
    """Take a role away; the audit row keeps who had it, where, and who revoked it.
    Callers (a role-management page) check that the actor may manage that place."""
    assignment = (
        RoleAssignment.objects.select_for_update(of=("self",))
        .select_related("user", "region", "community")
        .get(pk=assignment.pk)
    )
    refusal = revoke_refusal(assignment, actor)
    if refusal:
        raise ValidationError(refusal)
    audit.record(actor=actor, obj=assignment.user, action="role.revoke", from_state=assignment.role, reason=reason,
                 data={"region": getattr(assignment.region, "code", None),
                       "community": getattr(assignment.community, "code", None)})
    assignment.delete()
