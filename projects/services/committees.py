"""Residents' review committees of community contests: seats under the committee's
rules (who may join, at most `max_members`, one chair and one vice chair serving) and
dated exits with their reason. Keyword-only, one transaction each, audited; re-exported
by projects.services.contests."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment, User
from audit import services as audit
from places.models import Community
from residents.models import Resident

from .. import contest_access
from ..models import CommitteeMember, ReviewCommittee


def _require_runner(actor: User, community: Community) -> None:
    if not contest_access.can_run_in(actor, community.pk):
        raise PermissionDenied(_("只有本社区工作人员可以办理社区微创投大赛和评审会。"))


# --- The committee -------------------------------------------------------------------


@transaction.atomic
def committee_create(*, actor: User, community: Community, name: str, formed_on: datetime.date,
                     max_members: int = 10, eligibility: str = ReviewCommittee.Eligibility.RESIDENTS_AND_STAFF,
                     duties: str = "", join_rule: str = "", exit_rule: str = "") -> ReviewCommittee:
    _require_runner(actor, community)
    committee = ReviewCommittee(community=community, name=(name or "").strip(), formed_on=formed_on,
                                max_members=max_members, eligibility=eligibility, duties=duties,
                                join_rule=join_rule, exit_rule=exit_rule, created_by=actor)
    committee.full_clean()
    committee.save()
    audit.record(actor=actor, obj=committee, action="committee.create", data={"max_members": max_members})
    return committee


def _eligible(committee: ReviewCommittee, user: User) -> bool:
    if Resident.objects.filter(user=user, community_id=committee.community_id).exists():
        return True
    return committee.eligibility == ReviewCommittee.Eligibility.RESIDENTS_AND_STAFF and RoleAssignment.objects.filter(
        user=user, role=Role.COMMUNITY, community_id=committee.community_id).exists()


def _seat_taken(committee: ReviewCommittee, role: str, *, exclude: int | None = None) -> CommitteeMember | None:
    if role == CommitteeMember.Role.MEMBER:
        return None
    seats = committee.members.filter(role=role, left_on__isnull=True).select_related("user")
    if exclude:
        seats = seats.exclude(pk=exclude)
    return seats.first()


@transaction.atomic
def committee_join(*, actor: User, committee: ReviewCommittee, user: User, joined_on: datetime.date,
                   role: str = CommitteeMember.Role.MEMBER, background: str = "") -> CommitteeMember:
    """Seat a member under the committee's rules: who may join, at most `max_members`
    serving, one chair and one vice chair. The committee row is locked, so two joins at
    once can't pass the limit."""
    committee = ReviewCommittee.objects.select_for_update().get(pk=committee.pk)
    _require_runner(actor, committee.community)
    if role not in CommitteeMember.Role.values:
        raise ValidationError({"role": _("请选择职务。")})
    if not _eligible(committee, user):
        raise ValidationError({"user": _("%(u)s 不符合加入条件（%(rule)s）。") % {
            "u": user.display_name, "rule": committee.get_eligibility_display()}})
    if committee.members.filter(user=user, left_on__isnull=True).exists():
        raise ValidationError({"user": _("%(u)s 已是本评审会成员。") % {"u": user.display_name}})
    serving = committee.members.filter(left_on__isnull=True).count()
    if serving >= committee.max_members:
        raise ValidationError({"user": _("评审会已有 %(n)s 名成员，达到上限 %(m)s 名。") % {
            "n": serving, "m": committee.max_members}})
    holder = _seat_taken(committee, role)
    if holder:
        raise ValidationError({"role": _("%(r)s由 %(u)s 担任，请先调整其职务。") % {
            "r": holder.get_role_display(), "u": holder.user.display_name}})
    if joined_on < committee.formed_on:
        raise ValidationError({"joined_on": _("加入日期不能早于评审会成立日期 %(d)s。") % {"d": committee.formed_on}})
    member = CommitteeMember(committee=committee, user=user, role=role, background=background, joined_on=joined_on)
    member.full_clean()
    member.save()
    audit.record(actor=actor, obj=committee, action="committee.join",
                 data={"user": user.username, "role": role, "joined_on": joined_on.isoformat()})
    return member


@transaction.atomic
def committee_exit(*, actor: User, member: CommitteeMember, left_on: datetime.date, reason: str) -> CommitteeMember:
    """The exit rule: a dated exit with its reason; the seat's history stays."""
    committee = ReviewCommittee.objects.select_for_update().get(pk=member.committee_id)
    _require_runner(actor, committee.community)
    member = CommitteeMember.objects.select_related("user").get(pk=member.pk)
    if member.left_on:
        raise ValidationError(_("%(u)s 已于 %(d)s 退出。") % {"u": member.user.display_name, "d": member.left_on})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"exit_reason": _("请写明退出原因。")})
    if left_on < member.joined_on:
        raise ValidationError({"left_on": _("退出日期不能早于加入日期 %(d)s。") % {"d": member.joined_on}})
    member.left_on, member.exit_reason = left_on, reason[:200]
    member.save(update_fields=["left_on", "exit_reason"])
    audit.record(actor=actor, obj=committee, action="committee.exit", reason=reason,
                 data={"user": member.user.username, "left_on": left_on.isoformat()})
    return member


@transaction.atomic
def committee_set_role(*, actor: User, member: CommitteeMember, role: str) -> CommitteeMember:
    committee = ReviewCommittee.objects.select_for_update().get(pk=member.committee_id)
    _require_runner(actor, committee.community)
    member = CommitteeMember.objects.select_related("user").get(pk=member.pk)
    if member.left_on:
        raise ValidationError(_("已退出的成员不能调整职务。"))
    if role not in CommitteeMember.Role.values:
        raise ValidationError({"role": _("请选择职务。")})
    holder = _seat_taken(committee, role, exclude=member.pk)
    if holder:
        raise ValidationError({"role": _("%(r)s由 %(u)s 担任，请先调整其职务。") % {
            "r": holder.get_role_display(), "u": holder.user.display_name}})
    previous, member.role = member.role, role
    member.save(update_fields=["role"])
    audit.record(actor=actor, obj=committee, action="committee.role", from_state=previous, to_state=role,
                 data={"user": member.user.username})
    return member
