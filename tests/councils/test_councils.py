"""The 居民议事会 by the rules of seed 003: seats, the four routes, co-signing, review,
quorum at 4/5 of all members, the pass rule against all members, paper and open
votes, publication and execution."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from councils import selectors, services
from councils.models import Council, CouncilRules, Proposal, Vote
from notifications.models import Notification
from projects.models import Rectification
from residents import services as resident_services
from tests.councils.conftest import TERM_START, check_in

pytestmark = pytest.mark.django_db


# --- seats --------------------------------------------------------------------------------


def _group_council(cast, world, group, members):
    council = services.council_create(actor=cast["community"], community=world.council.community, kind="group",
                                      group=group, name="测试小组议事会", term_start=TERM_START,
                                      term_end=TERM_START.replace(year=2028))
    for resident in members:
        services.seat_add(actor=cast["community"], council=council, resident=resident)
    services.council_officers_set(actor=cast["community"], council=council, chair=members[0])
    return council


def test_group_council_needs_five_members(cast, world):
    group = world.groups[0]
    council = _group_council(cast, world, group, [r for r in world.others if r.group == group][:4])
    with pytest.raises(ValidationError, match="不少于 5 人，现有 4 人"):
        services.council_seat(actor=cast["community"], council=council)
    assert Council.objects.get(pk=council.pk).status == "forming"


def test_thresholds_are_data_per_community(cast, world):
    CouncilRules.objects.create(community=world.council.community, group_min_members=3)
    group = world.groups[0]
    council = _group_council(cast, world, group, [r for r in world.others if r.group == group][:3])
    assert services.council_seat(actor=cast["community"], council=council).status == "seated"


def test_community_council_needs_21_and_two_seats_per_group_and_at_most_half_cadres(cast, world):
    council = services.council_create(actor=cast["community"], community=world.council.community, kind="community",
                                      name="第二届", term_start=TERM_START, term_end=TERM_START.replace(year=2028))
    group_one = [r for r in world.members if r.group == world.groups[0]]
    for resident in [r for r in world.members if r.group != world.groups[0]] + group_one[:1]:
        services.seat_add(actor=cast["community"], council=council, resident=resident)
    problems = selectors.seat_rule_problems(council)
    assert any("不少于 21 人，现有 15 人" in p for p in problems)
    assert any("结构席位制" in p and "第1居民小组" in p and "现有 1 名" in p for p in problems)
    assert not any("干部" in p for p in problems)  # 4 cadres of 15
    CouncilRules.objects.create(community=council.community, max_cadre_percent=10)
    assert any("干部不得超过议事会成员的 10%" in p for p in selectors.seat_rule_problems(council))


def test_community_council_members_come_from_group_councils(cast, world):
    council = services.council_create(actor=cast["community"], community=world.council.community, kind="community",
                                      name="第二届", term_start=TERM_START, term_end=TERM_START.replace(year=2028))
    with pytest.raises(ValidationError, match="从居民小组议事会成员中推选"):
        services.seat_add(actor=cast["community"], council=council, resident=world.others[0])


def test_the_seated_21_member_council_meets_every_rule(world):
    assert world.council.status == "seated"
    assert selectors.seat_rule_problems(world.council) == []


def test_replacement_keeps_history_and_the_rules(cast, world):
    leaving = world.members[5]
    newcomer = [r for r in world.others if r.group_id == leaving.group_id][0]
    old = world.council.seats.get(resident=leaving)
    with pytest.raises(ValidationError, match="从居民小组议事会成员中推选"):
        services.seat_replace(actor=cast["community"], seat=old, resident=newcomer, on=datetime.date(2025, 6, 1),
                              reason="搬离")
    group_seat = Council.objects.get(kind="group", group_id=leaving.group_id).seats.get(resident=leaving)
    services.seat_replace(actor=cast["community"], seat=group_seat, resident=newcomer, on=datetime.date(2025, 6, 1),
                          reason="搬离")
    new = services.seat_replace(actor=cast["community"], seat=old, resident=newcomer, on=datetime.date(2025, 6, 1),
                                reason="搬离")
    assert new.replaces == old
    old.refresh_from_db()
    assert old.ended_on == datetime.date(2025, 6, 1) and old.end_reason == "搬离"
    assert world.council.seats.count() == 22 and selectors.current_seats(world.council).count() == 21


def test_a_replacement_that_breaks_the_rules_changes_nothing(cast, world):
    # A group-three member leaves and a group-one member would take the seat: still ≥ 2
    # seats per group, but cadres over a 10 % cap refuse it.
    CouncilRules.objects.create(community=world.council.community, max_cadre_percent=10)
    seat = world.council.seats.get(resident=world.members[5])
    with pytest.raises(ValidationError, match="干部不得超过"):
        services.seat_replace(actor=cast["community"], seat=seat, resident=world.members[5], on=datetime.date(2025, 6,
                                                                                                             1),
                              reason="测试")
    seat.refresh_from_db()
    assert seat.ended_on is None


def test_only_the_communitys_staff_form_councils(cast, world):
    with pytest.raises(PermissionDenied):
        services.council_create(actor=cast["street"], community=world.council.community, kind="community",
                                name="x", term_start=TERM_START, term_end=TERM_START.replace(year=2028))


# --- proposals ----------------------------------------------------------------------------


@pytest.mark.parametrize("route,who", [("party", "staff"), ("committee", "staff"), ("member", "member")])
def test_organised_routes_go_straight_to_review(cast, world, route, who):
    actor = cast["community"] if who == "staff" else world.members[3].user
    proposal = services.proposal_raise(actor=actor, council=world.council, route=route, title="议题", body="内容")
    assert proposal.status == Proposal.Status.REVIEW


@pytest.mark.parametrize("route", ["party", "committee", "member"])
def test_a_plain_resident_cannot_use_the_organised_routes(world, route):
    with pytest.raises(PermissionDenied):
        services.proposal_raise(actor=world.others[0].user, council=world.council, route=route, title="议题",
                                body="内容")


def test_ten_residents_cosigning_send_it_to_review(cast, world):
    proposal = services.proposal_raise(actor=world.others[0].user, council=world.council, route="residents",
                                       title="座椅", body="老人等车没地方坐")
    assert proposal.status == Proposal.Status.COLLECTING
    for resident in world.others[1:9]:
        services.proposal_cosign(actor=resident.user, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.COLLECTING and proposal.cosignatures.count() == 9
    with pytest.raises(ValidationError, match="已联名"):
        services.proposal_cosign(actor=world.others[0].user, proposal=proposal)
    assert services.proposal_cosign(actor=world.others[9].user, proposal=proposal) == 10
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REVIEW
    with pytest.raises(ValidationError, match="不在征集联名"):
        services.proposal_cosign(actor=world.others[10].user, proposal=proposal)


def test_residents_of_other_communities_and_staff_cannot_cosign(cast, world, places):
    proposal = services.proposal_raise(actor=world.others[0].user, council=world.council, route="residents",
                                       title="座椅", body="内容")
    outsider = resident_services.resident_register(actor=cast["other_community"], community=places.jiahonglu,
                                                   real_name="外社区居民", phone="13500000001", household_number="1")
    with pytest.raises(PermissionDenied):
        services.proposal_cosign(actor=outsider.user, proposal=proposal)
    with pytest.raises(PermissionDenied):
        services.proposal_cosign(actor=cast["community"], proposal=proposal)


def test_party_organisation_accepts_merges_or_rejects_with_a_reason_the_proposer_sees(cast, world, client):
    raise_ = lambda t: services.proposal_raise(actor=world.members[0].user, council=world.council,  # noqa: E731
                                               route="member", title=t, body="内容")
    first, second, third = raise_("甲"), raise_("乙"), raise_("丙")
    with pytest.raises(PermissionDenied, match="党组织"):
        services.proposal_accept(actor=world.members[1].user, proposal=first)
    services.proposal_accept(actor=cast["community"], proposal=first)
    merged = services.proposal_merge(actor=cast["community"], proposal=second, into=first, reason="同一件事")
    assert merged.merged_into_id == first.pk
    with pytest.raises(ValidationError):
        services.proposal_reject(actor=cast["community"], proposal=third, reason="")
    rejected = services.proposal_reject(actor=cast["community"], proposal=third, reason="不属于居民自治事项")
    assert rejected.status == "rejected"
    assert Notification.objects.filter(user=world.members[0].user, kind="council_proposal_reviewed").count() == 2
    client.force_login(world.members[0].user)
    page = client.get(reverse("councils:proposal_detail", args=[third.pk]))
    assert "不属于居民自治事项" in page.content.decode()


# --- meetings, quorum, votes ------------------------------------------------------------------


def test_calling_a_meeting_notifies_every_member(cast, world, open_meeting):
    assert Notification.objects.filter(kind="council_meeting_called").count() == 21


def test_quorum_is_four_fifths_of_all_members(cast, world, open_meeting, accepted):
    vote = services.vote_prepare(actor=cast["community"], meeting=open_meeting, proposal=accepted)
    check_in(cast, open_meeting, world.members[:16])
    quorum = selectors.quorum_for(open_meeting)
    assert (quorum.members, quorum.present, quorum.needed, quorum.met) == (21, 16, 17, False)
    with pytest.raises(ValidationError, match="到会 16 人，未达到全体成员 21 人的五分之四（17 人）"):
        services.vote_open(actor=cast["community"], vote=vote)
    check_in(cast, open_meeting, world.members[16:17])
    assert services.vote_open(actor=cast["community"], vote=vote).status == Vote.Status.OPEN
    assert Notification.objects.filter(kind="council_vote_open").count() == 17


@pytest.mark.parametrize("yes,no,abstain,passed", [(10, 0, 7, False), (11, 6, 0, True), (10, 1, 6, False)])
def test_passes_only_with_more_than_half_of_all_members(cast, world, open_meeting, accepted, yes, no, abstain,
                                                        passed):
    check_in(cast, open_meeting, world.members[:17])
    vote = services.vote_prepare(actor=cast["community"], meeting=open_meeting, proposal=accepted)
    services.vote_open(actor=cast["community"], vote=vote)
    choices = ["yes"] * yes + ["no"] * no + ["abstain"] * abstain
    for resident, choice in zip(world.members[:17], choices, strict=True):
        services.ballot_cast(actor=resident.user, vote=vote, choice=choice)
    closed = services.vote_close(actor=cast["community"], vote=vote)
    assert (closed.yes, closed.no, closed.abstain, closed.members_count, closed.passed) == (yes, no, abstain, 21,
                                                                                           passed)
    proposal = Proposal.objects.get(pk=accepted.pk)
    assert proposal.status == "decided" and proposal.outcome == ("passed" if passed else "failed")


def test_a_member_votes_once_and_only_when_present(cast, world, open_meeting, accepted):
    check_in(cast, open_meeting, world.members[:17])
    vote = services.vote_prepare(actor=cast["community"], meeting=open_meeting, proposal=accepted)
    with pytest.raises(ValidationError, match="尚未开始"):
        services.ballot_cast(actor=world.members[0].user, vote=vote, choice="yes")
    services.vote_open(actor=cast["community"], vote=vote)
    services.ballot_cast(actor=world.members[0].user, vote=vote, choice="yes")
    with pytest.raises(ValidationError, match="已经投过票"):
        services.ballot_cast(actor=world.members[0].user, vote=vote, choice="no")
    with pytest.raises(PermissionDenied, match="请先签到"):
        services.ballot_cast(actor=world.members[20].user, vote=vote, choice="yes")
    with pytest.raises(PermissionDenied):
        services.ballot_cast(actor=world.others[0].user, vote=vote, choice="yes")
    assert vote.ballots.count() == 1


def test_tally_is_hidden_until_the_vote_closes(cast, world, open_meeting, accepted, client):
    check_in(cast, open_meeting, world.members[:17])
    vote = services.vote_prepare(actor=cast["community"], meeting=open_meeting, proposal=accepted)
    services.vote_open(actor=cast["community"], vote=vote)
    for resident in world.members[:12]:
        services.ballot_cast(actor=resident.user, vote=vote, choice="yes")
    client.force_login(world.members[0].user)
    api = client.get(f"/api/council-votes/{vote.pk}/")
    assert api.status_code == 200 and api.json()["tally"] is None
    assert Vote.objects.get(pk=vote.pk).yes is None
    services.vote_close(actor=cast["community"], vote=vote)
    assert client.get(f"/api/council-votes/{vote.pk}/").json()["tally"]["yes"] == 12


def test_paper_ballots_need_a_second_member_to_confirm(cast, world, open_meeting, accepted):
    check_in(cast, open_meeting, world.members[:18])
    vote = services.vote_prepare(actor=cast["community"], meeting=open_meeting, proposal=accepted, mode="paper")
    with pytest.raises(ValidationError, match="纸质选票"):
        services.vote_open(actor=cast["community"], vote=vote)
    with pytest.raises(ValidationError, match="超过实到人数"):
        services.vote_enter_counts(actor=cast["community"], vote=vote, yes=15, no=3, abstain=1)
    counted = services.vote_enter_counts(actor=world.members[0].user, vote=vote, yes=12, no=3, abstain=3)
    assert counted.status == "counted"
    with pytest.raises(PermissionDenied):  # the teller does not confirm their own count
        services.vote_confirm_counts(actor=world.members[0].user, vote=vote)
    with pytest.raises(PermissionDenied):  # absent members don't either
        services.vote_confirm_counts(actor=world.members[20].user, vote=vote)
    closed = services.vote_confirm_counts(actor=world.members[5].user, vote=vote)
    assert closed.status == "closed" and closed.passed and closed.confirmed_by == world.members[5].user


def test_open_votes_only_by_council_decision_and_record_names(cast, world, open_meeting, accepted):
    check_in(cast, open_meeting, world.members[:17])
    with pytest.raises(ValidationError, match="无记名投票"):
        services.vote_prepare(actor=cast["community"], meeting=open_meeting, proposal=accepted, mode="open")
    vote = services.vote_prepare(actor=cast["community"], meeting=open_meeting, proposal=accepted, mode="open",
                                 open_mode_basis="2025-06-01 议事会决定本议题记名表决")
    services.vote_open(actor=cast["community"], vote=vote)
    services.ballot_cast(actor=world.members[0].user, vote=vote, choice="no")
    assert vote.register.get().named_choice == "no"


def test_results_are_published_to_residents_and_overdue_execution_becomes_rectification(cast, world, open_meeting,
                                                                                        accepted):
    check_in(cast, open_meeting, world.members[:17])
    vote = services.vote_prepare(actor=cast["community"], meeting=open_meeting, proposal=accepted)
    services.vote_open(actor=cast["community"], vote=vote)
    for resident in world.members[:11]:
        services.ballot_cast(actor=resident.user, vote=vote, choice="yes")
    services.vote_close(actor=cast["community"], vote=vote)
    with pytest.raises(PermissionDenied):
        services.proposal_publish(actor=world.members[0].user, proposal=accepted)
    published = services.proposal_publish(actor=cast["community"], proposal=accepted)
    assert Notification.objects.filter(kind="council_result_published").count() == 33  # every resident
    today = timezone.localdate()
    item = services.execution_add(actor=cast["community"], proposal=published, description="建棚", owner="居委会",
                                  due_on=today + datetime.timedelta(days=10))
    assert services.executions_overdue_sweep(today=today) == 0
    assert services.executions_overdue_sweep(today=today + datetime.timedelta(days=11)) == 1
    item.refresh_from_db()
    assert item.status == "overdue"
    assert Rectification.objects.get(pk=item.rectification_id).source == "resident"
    assert services.executions_overdue_sweep(today=today + datetime.timedelta(days=12)) == 0  # idempotent
    assert services.execution_complete(actor=cast["community"], item=item).status == "done"
    figures = selectors.council_figures()
    assert figures["votes_passed"] == 1 and figures["execution_rate"] == 100.0


def test_failed_results_do_not_go_to_execution(cast, world, open_meeting, accepted):
    check_in(cast, open_meeting, world.members[:17])
    vote = services.vote_prepare(actor=cast["community"], meeting=open_meeting, proposal=accepted)
    services.vote_open(actor=cast["community"], vote=vote)
    services.vote_close(actor=cast["community"], vote=vote)
    published = services.proposal_publish(actor=cast["community"], proposal=accepted)
    with pytest.raises(ValidationError, match="表决通过"):
        services.execution_add(actor=cast["community"], proposal=published, description="x", owner="y",
                               due_on=timezone.localdate())


def test_qr_check_in_needs_the_meetings_token(cast, world, open_meeting):
    member = world.members[0].user
    with pytest.raises(PermissionDenied, match="签到码无效"):
        services.attendance_check_in(actor=member, meeting=open_meeting, token="wrong")
    services.attendance_check_in(actor=member, meeting=open_meeting, token=open_meeting.checkin_token)
    assert selectors.quorum_for(open_meeting).present == 1
    assert AuditEvent.objects.filter(action="meeting.check_in").count() == 1
