"""Demo: 佳宏路社区's councils — three resident groups, a group council of seven in
each, the 21-member community council chosen from them, and a proposal that went the
whole way: raised by residents, co-signed, accepted, voted on in secret, published
and being carried out. `build_councils` is shared with the tests."""

import datetime

from django.utils import timezone

from accounts.models import User
from places.demo import JIAHONGLU
from places.models import Community, ResidentGroup
from residents.models import Resident

from . import services
from .models import Council, GovernanceRole, Proposal

GROUP_NAMES = ["第一居民小组", "第二居民小组", "第三居民小组"]


def build_councils(*, community: Community, actor: User, residents: list[Resident], term_start: datetime.date):
    """Group councils of the residents (by their group) and a community council of
    all of them, seated; the first resident chairs it, the second is vice chair.
    Returns the community council."""
    by_group: dict[int, list[Resident]] = {}
    for resident in residents:
        by_group.setdefault(resident.group_id, []).append(resident)
    term_end = term_start.replace(year=term_start.year + 3)
    for group_id, members in by_group.items():
        group = ResidentGroup.objects.get(pk=group_id)
        council = services.council_create(actor=actor, community=community, kind=Council.Kind.GROUP, group=group,
                                          name=f"{group.name}议事会", term_start=term_start, term_end=term_end)
        for resident in members:
            services.seat_add(actor=actor, council=council, resident=resident)
        services.council_officers_set(actor=actor, council=council, chair=members[0])
        services.council_seat(actor=actor, council=council)
    council = services.council_create(actor=actor, community=community, kind=Council.Kind.COMMUNITY,
                                      name=f"{community.name}协商议事会", term_start=term_start, term_end=term_end)
    for resident in residents:
        services.seat_add(actor=actor, council=council, resident=resident)
    services.council_officers_set(actor=actor, council=council, chair=residents[0], vice_chair=residents[1])
    return services.council_seat(actor=actor, council=council)


def seed(users):
    from residents.demo import demo_residents

    community = Community.objects.filter(code=JIAHONGLU).first()
    staff = users.get("jiahonglu")
    if community is None or staff is None or Council.objects.filter(community=community).exists():
        return
    residents = demo_residents(community)
    if len(residents) < 21:
        return
    for kind in GovernanceRole.Kind.values:
        services.governance_role_assign(actor=staff, community=community, user=staff, kind=kind)
    today = timezone.localdate()
    council = build_councils(community=community, actor=staff, residents=residents[:21],
                             term_start=today - datetime.timedelta(days=200))
    # A proposal that went all the way: 10 residents co-sign, the party organisation
    # accepts it, the meeting has its quorum, a secret vote passes, the result is out.
    proposal = services.proposal_raise(actor=residents[21].user, council=council, route=Proposal.Route.RESIDENTS,
                                       title="3 号院增设非机动车充电棚",
                                       body="电动自行车在楼道充电有火灾隐患，建议在 3 号院空地增设充电棚，"
                                            "费用从社区公共服务资金列支。")
    for resident in residents[22:31]:
        services.proposal_cosign(actor=resident.user, proposal=proposal)
    services.proposal_accept(actor=staff, proposal=proposal, reason="关系居民安全，同意列为正式议题。")
    meeting = services.meeting_call(actor=staff, council=council, title="第三季度议事会",
                                    starts_at=timezone.now() - datetime.timedelta(days=30), location="社区活动室",
                                    proposals=[proposal])
    services.meeting_open(actor=staff, meeting=meeting)
    seats = list(council.seats.filter(ended_on__isnull=True).select_related("resident__user"))
    for seat in seats[:19]:
        services.attendance_check_in(actor=staff, meeting=meeting, seat=seat)
    vote = services.vote_prepare(actor=staff, meeting=meeting, proposal=proposal)
    services.vote_open(actor=staff, vote=vote)
    for n, seat in enumerate(seats[:19]):
        services.ballot_cast(actor=seat.resident.user, vote=vote, choice="yes" if n < 15 else ("no" if n < 17
                                                                                                 else "abstain"))
    services.vote_close(actor=staff, vote=vote)
    services.meeting_close(actor=staff, meeting=meeting)
    proposal = services.proposal_publish(actor=staff, proposal=Proposal.objects.get(pk=proposal.pk))
    services.execution_add(actor=staff, proposal=proposal, description="选址、招标并建成充电棚", owner="社区居委会",
                           due_on=today + datetime.timedelta(days=60))
    # One waiting for signatures, one under review: the resident home has something to show.
    collecting = services.proposal_raise(actor=residents[31].user, council=council, route=Proposal.Route.RESIDENTS,
                                         title="小区门口增设爱心座椅", body="老人等公交没有地方坐，建议增设两张座椅。")
    for resident in residents[32:35]:
        services.proposal_cosign(actor=resident.user, proposal=collecting)
    services.proposal_raise(actor=staff, council=council, route=Proposal.Route.COMMITTEE,
                            title="楼道堆放杂物清理公约", body="拟定院落公约，约定楼道杂物清理时间和办法。")
