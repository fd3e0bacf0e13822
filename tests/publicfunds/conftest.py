"""高桥社区 (urban, 1,200 households on its profile) with the city's rules, six
registered residents in four households (two households have two members each), and
the community staff as the council keeper."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from places.models import Community
from publicfunds import services
from publicfunds.demo import load_rules
from publicfunds.models import Collection, YearFund
from residents import services as resident_services
from residents.models import Resident
from tests.projects.fixtures import _eager_celery, build, funding_round, review_form, second_reviewer  # noqa: F401


@dataclass
class FundWorld:
    fund: YearFund
    residents: list[Resident]
    staff: object


def register(cast, community, n, household):
    return resident_services.resident_register(actor=cast["community"], community=community, real_name=f"居民{n}",
                                               phone=f"1390000{n:04d}", household_number=household)


@pytest.fixture
def fund_world(cast, places) -> FundWorld:
    load_rules()
    Community.objects.filter(pk=places.gaoqiao.pk).update(kind="urban", households=1200)
    places.gaoqiao.refresh_from_db()
    households = ["1-1", "1-1", "2-1", "2-1", "3-1", "4-1"]
    residents = [register(cast, places.gaoqiao, n, h) for n, h in enumerate(households)]
    fund = services.fund_open(actor=cast["community"], community=places.gaoqiao, year=timezone.localdate().year)
    return FundWorld(fund=fund, residents=residents, staff=cast["community"])


def open_collection(world) -> Collection:
    today = timezone.localdate()
    return services.collection_open(actor=world.staff, fund=world.fund, title="意见征集", opens_on=today,
                                    closes_on=today + datetime.timedelta(days=7),
                                    options=[("充电棚", Decimal("60000")), ("助餐", None)])


@pytest.fixture
def collecting(fund_world):
    """The notice is out and the collection is open."""
    today = timezone.localdate()
    services.evidence_save(actor=fund_world.staff, fund=fund_world.fund, notice="征集意见", notice_from=today,
                           notice_until=today + datetime.timedelta(days=7))
    collection = open_collection(fund_world)
    fund_world.fund = services.fund_step(actor=fund_world.staff, fund=fund_world.fund, name="collect")
    return collection


def advance_to_implementing(world, collection, meeting):
    """Close the collection and take the steps up to 组织实施 (publicity backdated by the caller)."""
    staff = world.staff
    services.collection_close(actor=staff, collection=collection)
    fund = services.fund_step(actor=staff, fund=world.fund, name="discuss")
    fund = services.evidence_save(actor=staff, fund=fund, discussion_meeting=meeting, discussion_minutes="纪要",
                                  decision="方案", publicity_days=7)
    fund = services.fund_step(actor=staff, fund=fund, name="publicise")
    YearFund.objects.filter(pk=fund.pk).update(publicised_on=timezone.localdate() - datetime.timedelta(days=7))
    fund = services.fund_step(actor=staff, fund=fund, name="hear")
    fund = services.evidence_save(actor=staff, fund=fund, hearing_on=timezone.localdate(), hearing_record="听证")
    world.fund = services.fund_step(actor=staff, fund=fund, name="implement")
    return world.fund


def make_meeting(community, staff):
    """A council meeting of `community` (built directly: the council's own rules are tested in tests/councils)."""
    from councils.models import Council, Meeting

    council = Council.objects.create(community=community, kind="community", name=f"{community.name}议事会",
                                     term_start=datetime.date(2025, 1, 1), term_end=datetime.date(2028, 1, 1),
                                     created_by=staff)
    return Meeting.objects.create(council=council, title="议事会", starts_at=timezone.now(), location="活动室",
                                  checkin_token=f"t-{community.pk}", called_by=staff)


@pytest.fixture
def meeting(fund_world, places):
    return make_meeting(places.gaoqiao, fund_world.staff)
