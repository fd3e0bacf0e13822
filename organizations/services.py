from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from audit import services as audit

from .access import can_manage, can_place_organization_in, can_waive_credit_check, require_can_create_organization
from .models import Membership, Organization
from .uscc import normalize, passes_check, validate_credit_code

ORGANIZATION_FIELDS = (
    "name",
    "kind",
    "region",
    "community",
    "legal_representative",
    "contact_name",
    "contact_phone",
    "address",
    "established_on",
    "description",
    "is_active",
)


def _checked_credit_code(*, actor: User, raw: str, waiver: str) -> tuple[str, str]:
    """The normalised code and the waiver to store. A code that fails only its check
    character is accepted when a bureau user gives a reason; everyone else is refused."""
    waiver = (waiver or "").strip()
    may_waive = bool(waiver) and can_waive_credit_check(actor)
    try:
        code = validate_credit_code(raw, accept_failed_check=may_waive)
    except ValidationError as exc:
        raise ValidationError({"credit_code": exc.messages}) from None
    return code, (waiver if not passes_check(code) else "")


def _ensure_unique_code(code: str, *, exclude_pk=None) -> None:
    clash = Organization.objects.filter(credit_code=code).exclude(pk=exclude_pk).first()
    if clash:
        raise ValidationError({"credit_code": _("该统一社会信用代码已登记为“%(name)s”。") % {"name": clash.name}})


@transaction.atomic
def organization_create(*, actor: User, credit_code: str, credit_code_waiver: str = "", **data) -> Organization:
    require_can_create_organization(actor)
    if not can_place_organization_in(actor, data.get("region")):
        raise PermissionDenied(_("您只能在本级民政局管辖的区（市）县登记组织。"))
    code, waiver = _checked_credit_code(actor=actor, raw=credit_code, waiver=credit_code_waiver)
    _ensure_unique_code(code)
    organization = Organization(credit_code=code, credit_code_waiver=waiver,
                                **{k: v for k, v in data.items() if k in ORGANIZATION_FIELDS})
    organization.full_clean()
    try:
        with transaction.atomic():
            organization.save()
    except IntegrityError:
        # Two clerks registering the same code at once: the database unique constraint decides.
        raise ValidationError({"credit_code": _("该统一社会信用代码已被登记。")}) from None
    audit.record(actor=actor, obj=organization, action="organization.create",
                 reason=waiver, data={"credit_code": code})
    return organization


@transaction.atomic
def organization_update(
    *, organization: Organization, actor: User, data: dict, credit_code: str | None = None,
    credit_code_waiver: str = "",
) -> Organization:
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if not can_manage(actor, organization):
        raise PermissionDenied(_("只有该组织负责人和管辖的民政局工作人员可以修改。"))
    if "region" in data and data["region"] != organization.region and not can_place_organization_in(
            actor, data["region"]):
        # Where the organisation ends up must be in the actor's scope too: a leader can't move it,
        # a district bureau can't move it to another district.
        raise PermissionDenied(_("登记地只能由民政局工作人员在其管辖范围内变更。"))
    changes = {}
    if credit_code is not None:
        if not can_waive_credit_check(actor) and normalize(credit_code) != organization.credit_code:
            raise ValidationError({"credit_code": _("统一社会信用代码只能由民政局工作人员修改。")})
        code, waiver = _checked_credit_code(actor=actor, raw=credit_code, waiver=credit_code_waiver)
        _ensure_unique_code(code, exclude_pk=organization.pk)
        if code != organization.credit_code:
            changes["credit_code"] = [organization.credit_code, code]
        organization.credit_code, organization.credit_code_waiver = code, waiver
    for name in ORGANIZATION_FIELDS:
        if name in data and getattr(organization, name) != data[name]:
            old = getattr(organization, name)
            changes[name] = [str(old) if old is not None else None, str(data[name]) if data[name] is not None else None]
            setattr(organization, name, data[name])
    organization.full_clean()
    organization.save()
    if changes:
        audit.record(actor=actor, obj=organization, action="organization.update", data={"changes": changes})
    return organization


@transaction.atomic
def membership_add(
    *, organization: Organization, user: User, actor: User, position: str = Membership.Position.STAFF, title: str = ""
) -> Membership:
    membership, created = Membership.objects.get_or_create(
        organization=organization, user=user, defaults={"position": position, "title": title}
    )
    if not created:
        raise ValidationError({"user": _("%(user)s 已是该组织成员。") % {"user": user.display_name}})
    audit.record(actor=actor, obj=organization, action="membership.add", to_state=position,
                 data={"user": user.username})
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User, reason: str = "") -> None:
    audit.record(actor=actor, obj=membership.organization, action="membership.remove",
                 from_state=membership.position, reason=reason, data={"user": membership.user.username})
    membership.delete()
