"""A 高桥社区 micro-grant contest paid from its public-service fund: three courtyards,
residents in them, a self-organisation, a five-member residents' review committee (the
community staff as chair), and helpers to bring an application to a state."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.utils import timezone

from organizations.models import SelfOrganization
from places.models import Community, Courtyard
from projects.models import Application, FundingRound, ReviewCommittee
from projects.services import contests
from publicfunds import services as fund_services
from publicfunds.demo import load_rules
from publicfunds.models import YearFund
from residents import services as resident_services


@dataclass
class ContestWorld:
    contest: FundingRound
    committee: ReviewCommittee
    fund: YearFund
    staff: object
    residents: dict = field(default_factory=dict)  # name → Resident
    courtyards: dict = field(default_factory=dict)  # name → Courtyard
    selforg: SelfOrganization | None = None


RESIDENTS = [("甲", "碧水苑"), ("乙", "碧水苑"), ("丙", "红原农行小区"), ("丁", "启明花园"), ("戊", "启明花园"),
             ("己", "")]


def make_contest_world(cast, places, review_form) -> ContestWorld:
    load_rules()
    Community.objects.filter(pk=places.gaoqiao.pk).update(kind="urban", households=1200)
    places.gaoqiao.refresh_from_db()
    staff = cast["community"]
    for name in ("碧水苑", "红原农行小区", "启明花园"):
        Courtyard.objects.get_or_create(community=places.gaoqiao, name=name, defaults={"households": 60})
    residents = {}
    for n, (name, courtyard) in enumerate(RESIDENTS):
        residents[name] = resident_services.resident_register(
            actor=staff, community=places.gaoqiao, real_name=f"居民{name}", phone=f"1391111{n:04d}",
            household_number=f"{n}-1", courtyard_name=courtyard)
    courtyards = {c.name: c for c in Courtyard.objects.filter(community=places.gaoqiao)}
    selforg = SelfOrganization.objects.create(community=places.gaoqiao, name="启明花园护卫队", category="sanitation",
                                              members=40)
    selforg.member_accounts.add(residents["丁"].user)
    today = timezone.localdate()
    fund = fund_services.fund_open(actor=staff, community=places.gaoqiao, year=today.year)
    committee = contests.committee_create(actor=staff, community=places.gaoqiao, name="院落美化评审会",
                                          formed_on=today - datetime.timedelta(days=60), max_members=6,
                                          join_rule="居民骨干经两名成员推荐加入", exit_rule="书面申请退出")
    joined = today - datetime.timedelta(days=30)
    contests.committee_join(actor=staff, committee=committee, user=staff, role="chair", joined_on=joined,
                            background="社区工作人员")
    contests.committee_join(actor=staff, committee=committee, user=residents["丙"].user, role="vice_chair",
                            joined_on=joined, background="院落骨干")
    for name in ("甲", "丁", "己"):
        contests.committee_join(actor=staff, committee=committee, user=residents[name].user, joined_on=joined)
    now = timezone.now()
    contest = contests.contest_create(
        actor=staff, community=places.gaoqiao, name="院落美化大赛", year=today.year,
        funder_source="public_service_fund", committee=committee, review_form=review_form,
        total_budget=Decimal("30000"), per_project_cap=Decimal("12000"),
        opens_at=now - datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=20))
    return ContestWorld(contest=contest, committee=committee, fund=fund, staff=staff, residents=residents,
                        courtyards=courtyards, selforg=selforg)


@pytest.fixture
def world(cast, places, review_form) -> ContestWorld:
    return make_contest_world(cast, places, review_form)


def apply(world, *, courtyard="碧水苑", by="乙", amount=Decimal("10000"), title="碧水苑墙绘"):
    return contests.contest_apply(actor=world.residents[by].user, contest=world.contest, title=title,
                                  summary="墙绘美化院落", requested_amount=amount,
                                  courtyard=world.courtyards[courtyard])


def score_all(application, points="8"):
    from projects import services

    for sheet in application.review_sheets.all():
        scores = {s.criterion_id: (Decimal(points), "") for s in sheet.scores.all()}
        services.review_save(sheet=sheet, actor=sheet.reviewer, scores=scores, recommendation="approve")
        services.review_submit(sheet=sheet, actor=sheet.reviewer)


def reviewed(world, **kwargs) -> Application:
    application = apply(world, **kwargs)
    application = contests.contest_screen(actor=world.staff, application=application, passed=True)
    score_all(application)
    return application
