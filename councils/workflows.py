"""The council's machines: councils (forming → seated → ended), proposals, meetings,
votes and execution items. Guards return the Chinese reason."""

from django.utils.translation import gettext_lazy as _

from workflow.engine import Machine, Transition, nobody, register

from . import access, selectors
from .models import Attendance, Council, ExecutionItem, Meeting, Proposal, Vote

C, P, M, V, E = Council.Status, Proposal.Status, Meeting.Status, Vote.Status, ExecutionItem.Status


def _keeper(user, council) -> bool:
    return access.can_keep_councils(user, council.community_id)


def _seat_rules(council, user, ctx):
    problems = selectors.seat_rule_problems(council)
    return str(_("；")).join(problems) if problems else None


def _officers_seated(council, user, ctx):
    if not council.chair_id:
        return _("请先推选议事长。")
    seated = set(selectors.current_seats(council).values_list("resident_id", flat=True))
    if council.chair_id not in seated or (council.vice_chair_id and council.vice_chair_id not in seated):
        return _("议事长、副议事长须为本议事会成员。")
    return None


council_machine = register(Machine(
    name="council", model=Council, states=C, initial=C.FORMING, verbose_name=_("议事会"), transitions=[
        Transition("seat", frozenset({C.FORMING}), C.SEATED, _("确认组成"), who=_keeper,
                   refusal=_("只有本社区工作人员可以确认议事会组成。"), guards=(_seat_rules, _officers_seated),
                   confirm=_("确认议事会组成并开始履职吗？")),
        Transition("end", frozenset({C.SEATED}), C.ENDED, _("届满"), who=_keeper,
                   refusal=_("只有本社区工作人员可以办理议事会届满。"), confirm=_("确认本届议事会届满吗？"),
                   style="secondary"),
    ]))


def _party(user, proposal) -> bool:
    return access.is_party(user, proposal.council.community_id)


def _publisher(user, proposal) -> bool:
    community_id = proposal.council.community_id
    return access.is_party(user, community_id) or access.is_committee(user, community_id)


proposal_machine = register(Machine(
    name="proposal", model=Proposal, states=P, initial=P.COLLECTING, verbose_name=_("议题"), transitions=[
        # Fired by the service: at once for the three organised routes, at the
        # co-signature threshold for residents.
        Transition("submit", frozenset({P.COLLECTING}), P.REVIEW, _("提交党组织审查"), who=nobody),
        Transition("accept", frozenset({P.REVIEW}), P.ACCEPTED, _("同意列为正式议题"), who=_party,
                   refusal=_("只有社区党组织可以审查议题。")),
        Transition("merge", frozenset({P.REVIEW}), P.MERGED, _("合并到其他议题"), who=_party,
                   refusal=_("只有社区党组织可以审查议题。"), reason_required=True, style="secondary"),
        Transition("reject", frozenset({P.REVIEW}), P.REJECTED, _("不予采纳"), who=_party,
                   refusal=_("只有社区党组织可以审查议题。"), reason_required=True, style="danger",
                   confirm=_("不予采纳该议题吗？提出人会看到您填写的理由。")),
        Transition("decide", frozenset({P.ACCEPTED}), P.DECIDED, _("表决"), who=nobody),
        Transition("publish", frozenset({P.DECIDED}), P.PUBLISHED, _("公示表决结果"), who=_publisher,
                   refusal=_("只有社区党组织或居委会可以公示表决结果。"),
                   confirm=_("向本社区全体居民公示表决结果吗？")),
    ]))


def _runner(user, meeting) -> bool:
    return access.can_run_meetings(user, meeting.council)


meeting_machine = register(Machine(
    name="meeting", model=Meeting, states=M, initial=M.CALLED, verbose_name=_("议事会会议"), transitions=[
        Transition("open", frozenset({M.CALLED}), M.OPEN, _("宣布开会"), who=_runner,
                   refusal=_("只有议事长、副议事长或社区工作人员可以主持会议。")),
        Transition("close", frozenset({M.OPEN}), M.CLOSED, _("宣布散会"), who=_runner,
                   refusal=_("只有议事长、副议事长或社区工作人员可以主持会议。"), style="secondary",
                   guards=(lambda m, u, c: _("还有未结束的表决。") if m.votes.exclude(
                       status__in=[V.CLOSED]).exists() else None,)),
    ]))


def _vote_runner(user, vote) -> bool:
    return access.can_run_meetings(user, vote.meeting.council)


def _meeting_open(vote, user, ctx):
    return None if vote.meeting.status == M.OPEN else _("会议尚未开始或已结束。")


def _quorum(vote, user, ctx):
    quorum = selectors.quorum_for(vote.meeting)
    if not quorum.met:
        return _("到会 %(p)s 人，未达到全体成员 %(m)s 人的五分之四（%(n)s 人），不能表决。") % {
            "p": quorum.present, "m": quorum.members, "n": quorum.needed}
    return None


def _electronic(vote, user, ctx):
    return _("纸质选票由计票人录入票数。") if vote.mode == Vote.Mode.PAPER else None


def _paper(vote, user, ctx):
    return None if vote.mode == Vote.Mode.PAPER else _("只有纸质选票需要录入票数。")


def _confirmer(user, vote) -> bool:
    """A second member present at the meeting, not the teller."""
    seat = access.current_seat(user, vote.meeting.council)
    return (seat is not None and user.pk != vote.teller_id
            and Attendance.objects.filter(meeting=vote.meeting_id, seat=seat).exists())


vote_machine = register(Machine(
    name="vote", model=Vote, states=V, initial=V.PREPARED, verbose_name=_("表决"), transitions=[
        Transition("open", frozenset({V.PREPARED}), V.OPEN, _("开始投票"), who=_vote_runner,
                   refusal=_("只有议事长、副议事长或社区工作人员可以主持表决。"),
                   guards=(_meeting_open, _electronic, _quorum)),
        Transition("close", frozenset({V.OPEN}), V.CLOSED, _("结束投票并计票"), who=_vote_runner,
                   refusal=_("只有议事长、副议事长或社区工作人员可以主持表决。"),
                   confirm=_("结束投票后不能再投票，确定计票吗？")),
        Transition("enter_counts", frozenset({V.PREPARED}), V.COUNTED, _("录入纸质票数"), who=_vote_runner,
                   refusal=_("只有议事长、副议事长或社区工作人员可以录入票数。"),
                   guards=(_meeting_open, _paper, _quorum)),
        Transition("confirm_counts", frozenset({V.COUNTED}), V.CLOSED, _("复核票数无误"), who=_confirmer,
                   refusal=_("须由计票人以外的另一名到会成员复核。"), confirm=_("确认票数与纸质选票一致吗？")),
        Transition("reject_counts", frozenset({V.COUNTED}), V.PREPARED, _("票数有误，退回重录"), who=_confirmer,
                   refusal=_("须由计票人以外的另一名到会成员复核。"), reason_required=True, style="danger"),
    ]))


def _executor(user, item) -> bool:
    community_id = item.proposal.council.community_id
    return (access.can_keep_councils(user, community_id) or access.is_committee(user, community_id)
            or access.is_party(user, community_id))


execution_machine = register(Machine(
    name="execution", model=ExecutionItem, states=E, initial=E.OPEN, verbose_name=_("执行事项"), transitions=[
        Transition("complete", frozenset({E.OPEN, E.OVERDUE}), E.DONE, _("标记完成"), who=_executor,
                   refusal=_("只有居委会、党组织或社区工作人员可以登记执行情况。")),
        Transition("overdue", frozenset({E.OPEN}), E.OVERDUE, _("逾期转整改"), who=nobody),
    ]))
