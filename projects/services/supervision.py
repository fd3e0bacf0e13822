"""Supervision and rectification: assigning supervisors, recording visits, and the
rectification items raised, answered, verified and reopened."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.selectors import users_with_role
from audit import services as audit
from organizations.access import conflicts_of_interest

from .. import access
from ..models import (
    Project,
    Rectification,
    SupervisionVisit,
    SupervisorAssignment,
)
from ..workflows import rectification_machine

# --- Supervision -----------------------------------------------------------------


@transaction.atomic
def supervisor_assign(*, project: Project, supervisor: User, position: str, actor: User) -> SupervisorAssignment:
    if not access.can_manage_round(actor, project.round):
        raise PermissionDenied(_("只有本轮资助方的民政局工作人员可以分配督导。"))
    if not users_with_role([supervisor], Role.SUPERVISOR):
        raise ValidationError({"supervisor": _("%(u)s 不是督导。") % {"u": supervisor.display_name}})
    if conflicts_of_interest([supervisor], [project.organization_id]):
        raise ValidationError({"supervisor": _("%(u)s 是执行机构成员，不能督导本项目（利益回避）。") % {
            "u": supervisor.display_name}})
    assignment, _created = SupervisorAssignment.objects.update_or_create(
        project=project, position=position, defaults={"supervisor": supervisor})
    audit.record(actor=actor, obj=project, action="supervision.assign", to_state=position,
                 data={"supervisor": supervisor.username})
    return assignment


@transaction.atomic
def visit_record(*, project: Project, actor: User, visited_on: datetime.date, mode: str, findings: str,
                 advice: str = "", follow_up_due: datetime.date | None = None) -> SupervisionVisit:
    if not access.is_project_supervisor(actor, project):
        raise PermissionDenied(_("只有本项目的督导可以记录督导。"))
    visit = SupervisionVisit(project=project, supervisor=actor, visited_on=visited_on, mode=mode, findings=findings,
                             advice=advice, follow_up_due=follow_up_due)
    visit.full_clean()
    visit.save()
    audit.record(actor=actor, obj=project, action="supervision.visit", data={"visit": visit.pk})
    return visit


# --- Rectification ---------------------------------------------------------------


@transaction.atomic
def rectification_raise(*, actor: User, community, source: str, owner: str, description: str,
                        due_on: datetime.date, project: Project | None = None,
                        visit: SupervisionVisit | None = None) -> Rectification:
    if not access.can_raise_rectification(actor, community=community, project=project):
        raise PermissionDenied(_("您不能为该社区或项目提出整改事项。"))
    if project is not None and project.community_id != community.pk:
        raise ValidationError({"project": _("项目不在该社区。")})
    item = Rectification(community=community, project=project, visit=visit, source=source, owner=owner,
                         description=description, due_on=due_on, raised_by=actor, raised_on=timezone.localdate())
    item.full_clean()
    item.save()
    audit.record(actor=actor, obj=item, action="rectification.raise", to_state=item.status)
    return item


@transaction.atomic
def rectification_respond(*, item: Rectification, actor: User, plan: str, evidence: str) -> Rectification:
    item = Rectification.objects.select_for_update().get(pk=item.pk)
    if not access.is_rectification_owner(actor, item):
        raise PermissionDenied(_("只有整改责任方可以填写整改方案和情况。"))
    if item.status != Rectification.Status.OPEN:
        raise ValidationError(_("整改事项已核验，不能再修改。"))
    plan, evidence = (plan or "").strip(), (evidence or "").strip()
    if not plan and not evidence:
        raise ValidationError({"plan": _("请填写整改方案或整改情况。")})
    item.plan, item.evidence = plan, evidence
    item.save(update_fields=["plan", "evidence"])
    return item


@transaction.atomic
def rectification_verify(*, item: Rectification, actor: User, fixed: bool, note: str = "") -> Rectification:
    """Whoever raised the item (or bureau staff covering its community) verifies it."""
    return rectification_machine.fire(item, "verify_fixed" if fixed else "verify_not_fixed", actor=actor,
                                      reason=note, updates={"verified_by": actor, "verified_at": timezone.now()})


@transaction.atomic
def rectification_reopen(*, item: Rectification, actor: User, reason: str) -> Rectification:
    """A verified item found not to hold: back to 整改中, with the reason."""
    return rectification_machine.fire(item, "reopen", actor=actor, reason=reason,
                                      updates={"verified_by": None, "verified_at": None})


def rectification_rate(queryset) -> dict:
    """fixed ÷ raised, as a percentage with one decimal; None when nothing was raised."""
    from django.db.models import Count, Q

    counts = queryset.aggregate(raised=Count("id"), fixed=Count("id", filter=Q(status=Rectification.Status.FIXED)))
    raised, fixed = counts["raised"], counts["fixed"]
    rate = (Decimal(fixed * 100) / raised).quantize(Decimal("0.1")) if raised else None
    return {"raised": raised, "fixed": fixed, "rate": rate}
