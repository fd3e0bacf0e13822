"""Writes for council meetings and what follows them: calling and running a meeting,
attendance, votes (secret ballots and counted hands), and the execution of decisions."""

import datetime
import logging
import random
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from notifications.services import notify
from projects.services import rectification_raise

from .. import access, selectors
from ..models import (
    Attendance,
    Ballot,
    BallotRegister,
    Council,
    ExecutionItem,
    Meeting,
    Proposal,
    Seat,
    Vote,
)
from ..notification_kinds import NotificationKind
from ..workflows import execution_machine, meeting_machine, proposal_machine, vote_machine
from .common import _plausible

logger = logging.getLogger(__name__)


# --- meetings -----------------------------------------------------------------------------


def _members(council: Council):
    return [seat.resident.user for seat in selectors.current_seats(council).select_related("resident__user")]


@transaction.atomic
def meeting_call(*, actor, council: Council, title: str, starts_at: datetime.datetime, location: str,
                 proposals: list[Proposal]) -> Meeting:
    """Call a meeting with its agenda (accepted proposals); every member is notified."""
    if not access.can_run_meetings(actor, council):
        raise PermissionDenied(_("只有议事长、副议事长或社区工作人员可以召集会议。"))
    if council.status != Council.Status.SEATED:
        raise ValidationError(_("议事会尚未组成或已届满，不能召集会议。"))
    if not proposals:
        raise ValidationError({"proposals": _("请至少选择一个正式议题列入议程。")})
    for proposal in proposals:
        if proposal.council_id != council.pk or proposal.status != Proposal.Status.ACCEPTED:
            raise ValidationError({"proposals": _("只能把本议事会已列为正式议题的议题列入议程：%(t)s") % {
                "t": proposal.title}})
    _plausible(starts_at.date(), "starts_at")
    meeting = Meeting(council=council, title=(title or "").strip(), starts_at=starts_at,
                      location=(location or "").strip(), checkin_token=secrets.token_urlsafe(24), called_by=actor)
    meeting.full_clean()
    meeting.save()
    meeting.agenda.set(proposals)
    audit.record(actor=actor, obj=meeting, action="meeting.call", to_state=meeting.status)
    notify(users=_members(council), kind=NotificationKind.MEETING_CALLED,
           title=_("议事会会议通知：%(t)s") % {"t": meeting.title},
           body=_("%(when)s 在 %(where)s 召开。议程：%(a)s") % {
               "when": timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M"), "where": meeting.location,
               "a": "；".join(p.title for p in proposals)},
           url=reverse("councils:meeting_detail", args=[meeting.pk]))
    return meeting


def meeting_open(*, actor, meeting: Meeting, reason: str = "") -> Meeting:
    return meeting_machine.fire(meeting, "open", actor=actor, reason=reason)


def meeting_close(*, actor, meeting: Meeting, reason: str = "") -> Meeting:
    return meeting_machine.fire(meeting, "close", actor=actor, reason=reason)


@transaction.atomic
def attendance_check_in(*, actor, meeting: Meeting, seat: Seat | None = None, token: str = "") -> Attendance:
    """A member checks in by scanning the meeting's QR code (their own seat, with the
    token), or the chair / staff check a member in."""
    meeting = Meeting.objects.select_related("council").get(pk=meeting.pk)
    if meeting.status == Meeting.Status.CLOSED:
        raise ValidationError(_("会议已结束，不能签到。"))
    if seat is None:
        seat = access.current_seat(actor, meeting.council)
        if seat is None:
            raise PermissionDenied(_("您不是本议事会成员，无需签到。"))
        if not secrets.compare_digest(token or "", meeting.checkin_token):
            raise PermissionDenied(_("签到码无效，请扫描会场的二维码。"))
    else:
        if not access.can_run_meetings(actor, meeting.council):
            raise PermissionDenied(_("只有议事长、副议事长或社区工作人员可以为成员签到。"))
        if seat.council_id != meeting.council_id or seat.ended_on is not None:
            raise ValidationError({"seat": _("该成员不是本议事会现任成员。")})
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(meeting=meeting, seat=seat, checked_in_by=actor)
    except IntegrityError:
        return Attendance.objects.get(meeting=meeting, seat=seat)  # checked in already: nothing to do
    audit.record(actor=actor, obj=attendance, action="meeting.check_in", data={"seat": seat.pk})
    return attendance


# --- votes --------------------------------------------------------------------------------


@transaction.atomic
def vote_prepare(*, actor, meeting: Meeting, proposal: Proposal, mode: str = Vote.Mode.SECRET,
                 open_mode_basis: str = "") -> Vote:
    if not access.can_run_meetings(actor, meeting.council):
        raise PermissionDenied(_("只有议事长、副议事长或社区工作人员可以主持表决。"))
    if meeting.status == Meeting.Status.CLOSED:
        raise ValidationError(_("会议已结束。"))
    if not meeting.agenda.filter(pk=proposal.pk, status=Proposal.Status.ACCEPTED).exists():
        raise ValidationError({"proposal": _("只能表决本次会议议程上尚未表决的议题。")})
    if meeting.votes.filter(proposal=proposal).exclude(status=Vote.Status.CLOSED).exists():
        raise ValidationError({"proposal": _("该议题已有待进行的表决。")})
    if mode not in Vote.Mode.values:
        raise ValidationError({"mode": _("未知的表决方式。")})
    basis = (open_mode_basis or "").strip()[:200]
    if mode == Vote.Mode.OPEN and not basis:
        raise ValidationError({"open_mode_basis": _("表决必须实行无记名投票；记名表决须写明议事会的决定。")})
    vote = Vote.objects.create(meeting=meeting, proposal=proposal, mode=mode, open_mode_basis=basis)
    audit.record(actor=actor, obj=vote, action="vote.prepare", to_state=vote.status, data={"mode": mode})
    return vote


@transaction.atomic
def vote_open(*, actor, vote: Vote, reason: str = "") -> Vote:
    """Open the vote: the quorum is the guard, and the number of members who should
    attend is fixed now — it is the bar the result is measured against."""
    quorum = selectors.quorum_for(vote.meeting)
    opened = vote_machine.fire(vote, "open", actor=actor, reason=reason,
                               updates={"members_count": quorum.members, "present_count": quorum.present})
    present = [a.seat.resident.user for a in vote.meeting.attendances.select_related("seat__resident__user")]
    notify(users=present, kind=NotificationKind.VOTE_OPEN, title=_("请投票：%(t)s") % {"t": vote.proposal.title},
           url=reverse("councils:vote_detail", args=[vote.pk]))
    return opened


@transaction.atomic
def ballot_cast(*, actor, vote: Vote, choice: str) -> None:
    """One member, one ballot. The register row (who) and the ballot (what) are
    written in this one transaction; nothing ties them together. The audit log gets
    the register entry only. Returns nothing: not even the ballot's id leaves here."""
    vote = Vote.objects.select_for_update().select_related("meeting__council").get(pk=vote.pk)
    if vote.status != Vote.Status.OPEN:
        raise ValidationError(_("投票尚未开始或已结束。"))
    seat = access.current_seat(actor, vote.meeting.council)
    if seat is None:
        raise PermissionDenied(_("只有本议事会成员可以投票。"))
    if not Attendance.objects.filter(meeting=vote.meeting_id, seat=seat).exists():
        raise PermissionDenied(_("请先签到再投票。"))
    if choice not in Ballot.Choice.values:
        raise ValidationError({"choice": _("请选择赞成、反对或弃权。")})
    named = choice if vote.mode == Vote.Mode.OPEN else ""
    try:
        with transaction.atomic():
            entry = BallotRegister.objects.create(vote=vote, seat=seat, named_choice=named)
    except IntegrityError:
        raise ValidationError(_("您已经投过票了。")) from None
    Ballot.objects.create(vote=vote, choice=choice)
    audit.record(actor=actor, obj=entry, action="vote.ballot_cast", data={"choice": named} if named else None)


def _vacuum_ballots() -> None:
    """After the shuffle, the old ballot rows are dead tuples until vacuumed; clear them
    now rather than waiting for autovacuum (PostgreSQL only, outside a transaction)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {Ballot._meta.db_table}")
    except DatabaseError:  # not fatal: autovacuum will do it
        logger.warning("VACUUM of the ballot box failed", exc_info=True)


def _decide(vote: Vote, actor) -> None:
    proposal = Proposal.objects.get(pk=vote.proposal_id)
    outcome = Proposal.Outcome.PASSED if vote.passed else Proposal.Outcome.FAILED
    proposal_machine.fire(proposal, "decide", actor=actor, system=True, updates={"outcome": outcome},
                          data={"vote": vote.pk})


@transaction.atomic
def vote_close(*, actor, vote: Vote, reason: str = "") -> Vote:
    """Count the ballots and reveal the tally. Passes when yes > half of ALL members who
    should attend (fixed at opening): abstentions and absences don't lower the bar.

    The ballot box is re-written in shuffled order with fresh random ids, in this one
    transaction, so neither the physical order of rows nor their transaction ids
    follow the order in which members voted."""
    locked = Vote.objects.select_for_update().get(pk=vote.pk)
    choices = list(Ballot.objects.filter(vote=locked).values_list("choice", flat=True))
    counts = {c: choices.count(c) for c in Ballot.Choice.values}
    # (If the step is refused below, the atomic block undoes the re-write too.)
    Ballot.objects.filter(vote=locked).delete()
    random.SystemRandom().shuffle(choices)
    Ballot.objects.bulk_create([Ballot(vote=locked, choice=c) for c in choices])
    transaction.on_commit(_vacuum_ballots)
    passed = counts["yes"] > (locked.members_count or 0) // 2
    closed = vote_machine.fire(vote, "close", actor=actor, reason=reason, updates={
        "yes": counts["yes"], "no": counts["no"], "abstain": counts["abstain"], "passed": passed})
    _decide(closed, actor)
    return closed


@transaction.atomic
def vote_enter_counts(*, actor, vote: Vote, yes: int, no: int, abstain: int) -> Vote:
    """Paper ballots: the teller enters the counts; a second member confirms them."""
    quorum = selectors.quorum_for(vote.meeting)
    for name, value in (("yes", yes), ("no", no), ("abstain", abstain)):
        if value is None or not 0 <= value <= 1000:
            raise ValidationError({name: _("票数应为 0 或正整数。")})
    if yes + no + abstain > quorum.present:
        raise ValidationError(_("票数合计 %(t)s 超过实到人数 %(p)s。") % {"t": yes + no + abstain, "p": quorum.present})
    return vote_machine.fire(vote, "enter_counts", actor=actor, updates={
        "yes": yes, "no": no, "abstain": abstain, "teller": actor, "members_count": quorum.members,
        "present_count": quorum.present, "passed": yes > quorum.members // 2})


@transaction.atomic
def vote_confirm_counts(*, actor, vote: Vote, reason: str = "") -> Vote:
    closed = vote_machine.fire(vote, "confirm_counts", actor=actor, reason=reason, updates={"confirmed_by": actor})
    _decide(closed, actor)
    return closed


def vote_reject_counts(*, actor, vote: Vote, reason: str) -> Vote:
    return vote_machine.fire(vote, "reject_counts", actor=actor, reason=reason, updates={
        "yes": None, "no": None, "abstain": None, "passed": None, "teller": None})


def tally_visible(vote: Vote) -> bool:
    """The tally is revealed only when the vote is closed."""
    return vote.status == Vote.Status.CLOSED


def ballots_cast(vote: Vote) -> int:
    """How many have voted (the register, not the box): shown while the vote is open."""
    return BallotRegister.objects.filter(vote=vote).aggregate(n=Count("id"))["n"]


# --- execution ----------------------------------------------------------------------------


@transaction.atomic
def execution_add(*, actor, proposal: Proposal, description: str, owner: str, due_on: datetime.date,
                  project=None) -> ExecutionItem:
    community_id = proposal.council.community_id
    if not (access.can_keep_councils(actor, community_id) or access.is_committee(actor, community_id)
            or access.is_party(actor, community_id)):
        raise PermissionDenied(_("只有居委会、党组织或社区工作人员可以登记执行事项。"))
    if proposal.status != Proposal.Status.PUBLISHED or proposal.outcome != Proposal.Outcome.PASSED:
        raise ValidationError(_("只有表决通过并已公示的议题才进入执行。"))
    _plausible(due_on, "due_on")
    if project is not None and project.community_id != community_id:
        raise ValidationError({"project": _("关联项目须在本社区。")})
    item = ExecutionItem(proposal=proposal, description=(description or "").strip(), owner=(owner or "").strip(),
                         due_on=due_on, project=project, created_by=actor)
    item.full_clean()
    item.save()
    audit.record(actor=actor, obj=item, action="execution.add", to_state=item.status)
    return item


def execution_complete(*, actor, item: ExecutionItem, reason: str = "") -> ExecutionItem:
    return execution_machine.fire(item, "complete", actor=actor, reason=reason)


def executions_overdue_sweep(*, today: datetime.date | None = None) -> int:
    """Items past their due date become rectification items (source: residents), raised
    in the name of whoever registered the item. Idempotent; beat runs it daily."""
    today = today or timezone.localdate()
    done = 0
    for item in ExecutionItem.objects.filter(status=ExecutionItem.Status.OPEN, due_on__lt=today).select_related(
            "proposal__council__community", "created_by", "project"):
        with transaction.atomic():
            rectification = rectification_raise(
                actor=item.created_by, community=item.proposal.council.community, source="resident",
                owner="project" if item.project else "community", project=item.project,
                description=_("议事会决议执行逾期：%(p)s — %(d)s（责任人：%(o)s，期限 %(due)s）") % {
                    "p": item.proposal.title, "d": item.description, "o": item.owner, "due": item.due_on},
                due_on=today + datetime.timedelta(days=30))
            execution_machine.fire(item, "overdue", actor=item.created_by, system=True,
                                   updates={"rectification": rectification})
            done += 1
    return done
