"""A seated community council of 21 in 高桥社区 (three resident groups of seven, each
with its group council), the community staff acting as party organisation and
residents' committee, and residents outside the council to co-sign."""

import datetime
from dataclasses import dataclass

import pytest

from councils import services
from councils.demo import build_councils
from councils.models import Council
from places.models import ResidentGroup
from residents import services as resident_services
from residents.models import Resident

TERM_START = datetime.date(2025, 1, 1)


@dataclass
class World:
    council: Council
    members: list[Resident]
    others: list[Resident]
    groups: list[ResidentGroup]


def register(cast, community, n, group, *, is_cadre=False, prefix="137"):
    resident = resident_services.resident_register(
        actor=cast["community"], community=community, real_name=f"居民{prefix}{n}", phone=f"{prefix}{n:08d}",
        household_number=f"{prefix}-{n}", group_name=group.name, is_cadre=is_cadre)
    resident.user.set_password("test-pass-123")
    resident.user.save()
    return resident


@pytest.fixture
def world(cast, places) -> World:
    community = places.gaoqiao
    groups = [ResidentGroup.objects.create(community=community, name=f"第{n}居民小组") for n in range(1, 4)]
    members = [register(cast, community, n, groups[n % 3], is_cadre=n < 4) for n in range(21)]
    others = [register(cast, community, n, groups[n % 3], prefix="136") for n in range(12)]
    for kind in ("party", "committee"):
        services.governance_role_assign(actor=cast["community"], community=community, user=cast["community"],
                                        kind=kind)
    council = build_councils(community=community, actor=cast["community"], residents=members,
                             term_start=TERM_START)
    return World(council=council, members=members, others=others, groups=groups)


@pytest.fixture
def accepted(world, cast):
    proposal = services.proposal_raise(actor=cast["community"], council=world.council, route="party",
                                       title="增设充电棚", body="楼道充电有隐患。")
    return services.proposal_accept(actor=cast["community"], proposal=proposal)


@pytest.fixture
def open_meeting(world, cast, accepted):
    from django.utils import timezone

    meeting = services.meeting_call(actor=cast["community"], council=world.council, title="季度会",
                                    starts_at=timezone.now(), location="活动室", proposals=[accepted])
    return services.meeting_open(actor=cast["community"], meeting=meeting)


def check_in(cast, meeting, members):
    for resident in members:
        seat = meeting.council.seats.get(resident=resident, ended_on__isnull=True)
        services.attendance_check_in(actor=cast["community"], meeting=meeting, seat=seat)
