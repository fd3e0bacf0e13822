"""Writes for residents' self-organisations (居民自组织).

Who may call these is decided by the caller's access layer: community and bureau staff
through organizations.access, an agency for the communities of its projects through
projects.access (this app cannot know about projects)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit import services as audit

from .models import SelfOrganization, SelfOrganizationLeader, SelfOrganizationStageChange


@transaction.atomic
def selforg_create(*, actor, community, name: str, category: str, stage: str = SelfOrganization.Stage.FOUND,
                   members: int = 0, founded_on: datetime.date | None = None, description: str = "",
                   leaders: list[tuple[str, str]] = ()) -> SelfOrganization:
    name = name.strip()
    if SelfOrganization.objects.filter(community=community, name=name).exists():
        raise ValidationError({"name": _("%(c)s已有名为“%(n)s”的自组织。") % {"c": community.name, "n": name}})
    selforg = SelfOrganization(community=community, name=name, category=category, stage=stage, members=members,
                               founded_on=founded_on, description=description, registered_by=actor)
    selforg.full_clean()
    selforg.save()
    SelfOrganizationLeader.objects.bulk_create(
        SelfOrganizationLeader(self_organization=selforg, name=leader, role=role) for leader, role in leaders)
    SelfOrganizationStageChange.objects.create(
        self_organization=selforg,
        changed_on=founded_on or datetime.date.today(),
        to_stage=stage,
        members=members,
        note=_("登记"),
        actor=actor,
    )
    audit.record(actor=actor, obj=selforg, action="selforg.create", to_state=stage)
    return selforg


@transaction.atomic
def selforg_progress(*, selforg: SelfOrganization, actor, stage: str, members: int, on: datetime.date,
                     note: str = "") -> SelfOrganization:
    """Record the group's stage and headcount on a date; the history keeps every step."""
    if stage not in SelfOrganization.Stage.values:
        raise ValidationError({"stage": _("请选择发展阶段。")})
    selforg = SelfOrganization.objects.select_for_update().get(pk=selforg.pk)
    from_stage = selforg.stage
    if (from_stage, selforg.members) == (stage, members):
        return selforg
    SelfOrganizationStageChange.objects.create(self_organization=selforg, changed_on=on, from_stage=from_stage,
                                               to_stage=stage, members=members, note=note, actor=actor)
    SelfOrganization.objects.filter(pk=selforg.pk).update(stage=stage, members=members)
    selforg.refresh_from_db()
    if from_stage != stage:
        audit.record(actor=actor, obj=selforg, action="selforg.stage", from_state=from_stage, to_state=stage,
                     reason=note)
    return selforg
