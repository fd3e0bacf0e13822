"""Allocation from the profile by the rule of the year, the nine steps in order with
their evidence, one household one vote, and a ledger that never goes negative."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEvent
from places.models import Community, Household
from publicfunds import selectors, services
from publicfunds.models import AllocationRule, HouseholdVote, YearFund

from .conftest import advance_to_implementing, make_meeting, open_collection

S = YearFund.Status
pytestmark = pytest.mark.django_db


# --- allocation ---------------------------------------------------------------------------


def test_urban_allocation_is_households_times_the_rate_of_the_year(fund_world, places):
    community = places.gaoqiao
    assert selectors.allocation_for(community, 2015).amount == Decimal("36000")  # 1,200 ÷ 100 × 3,000
    later = selectors.allocation_for(community, 2020)
    assert later.amount == Decimal("48000")
    assert "1,200 户 ÷ 100 × 4,000 元 = 48,000 元" in later.calculation
    assert fund_world.fund.allocated == fund_world.fund.balance == Decimal("48000")


def test_rates_are_data_a_new_row_changes_the_allocation(fund_world, places):
    AllocationRule.objects.create(kind="urban", effective_from=datetime.date(2021, 1, 1),
                                  per_100_households=Decimal("5000"))
    assert selectors.allocation_for(places.gaoqiao, 2021).amount == Decimal("60000")
    assert selectors.allocation_for(places.gaoqiao, 2020).amount == Decimal("48000")


def test_rural_allocation_is_the_fixed_amount(fund_world, places):
    Community.objects.filter(pk=places.nanqiao.pk).update(kind="rural", households=800)
    places.nanqiao.refresh_from_db()
    assert selectors.allocation_for(places.nanqiao, 2012).amount == Decimal("200000")
    assert selectors.allocation_for(places.nanqiao, 2016).amount == Decimal("400000")


def test_no_rule_no_fund(cast, places):
    with pytest.raises(ValidationError, match="尚无适用"):
        services.fund_open(actor=cast["community"], community=places.gaoqiao, year=2020)


def test_one_fund_per_community_and_year(fund_world, cast, places):
    with pytest.raises(ValidationError, match="已经设立"):
        services.fund_open(actor=cast["community"], community=places.gaoqiao, year=fund_world.fund.year)


def test_other_community_staff_cannot_open(fund_world, cast, places):
    with pytest.raises(PermissionDenied):
        services.fund_open(actor=cast["other_community"], community=places.gaoqiao, year=2019)


def test_bureau_overrides_with_a_reason_and_it_is_audited(fund_world, cast):
    fund = fund_world.fund
    with pytest.raises(ValidationError, match="理由"):
        services.fund_override(actor=cast["district_bureau"], fund=fund, amount=Decimal("50000"), reason=" ")
    with pytest.raises(PermissionDenied):
        services.fund_override(actor=cast["community"], fund=fund, amount=Decimal("50000"), reason="多给")
    with pytest.raises(PermissionDenied):
        services.fund_override(actor=cast["other_district_bureau"], fund=fund, amount=Decimal("50000"), reason="x")
    fund = services.fund_override(actor=cast["district_bureau"], fund=fund, amount=Decimal("52000"),
                                  reason="新建小区入住，户数按 1,300 户核定")
    assert (fund.amount, fund.balance, fund.allocated) == (Decimal("52000"), Decimal("52000"), Decimal("48000"))
    event = AuditEvent.objects.get(action="public_fund.override")
    assert event.reason.startswith("新建小区") and event.data["from"] == "48000.00"


# --- the nine steps -----------------------------------------------------------------------


def test_skipping_a_step_is_refused_with_the_reason(fund_world):
    with pytest.raises(ValidationError, match="须依次完成，不能跳到“决议公示”"):
        services.fund_step(actor=fund_world.staff, fund=fund_world.fund, name="publicise")
    assert YearFund.objects.get(pk=fund_world.fund.pk).status == S.MOBILISING


def test_each_step_needs_its_evidence(fund_world, meeting, places):
    staff, fund = fund_world.staff, fund_world.fund
    with pytest.raises(ValidationError, match="宣传动员通知"):
        services.fund_step(actor=staff, fund=fund, name="collect")
    today = timezone.localdate()
    services.evidence_save(actor=staff, fund=fund, notice="通知", notice_from=today, notice_until=today)
    with pytest.raises(ValidationError, match="意见征集"):
        services.fund_step(actor=staff, fund=fund, name="collect")
    collection = open_collection(fund_world)
    fund = services.fund_step(actor=staff, fund=fund, name="collect")
    with pytest.raises(ValidationError, match="尚未结束"):
        services.fund_step(actor=staff, fund=fund, name="discuss")
    services.collection_close(actor=staff, collection=collection)
    fund = services.fund_step(actor=staff, fund=fund, name="discuss")
    with pytest.raises(ValidationError, match="议事会会议"):
        services.fund_step(actor=staff, fund=fund, name="publicise")
    elsewhere = make_meeting(places.nanqiao, staff)
    with pytest.raises(ValidationError):
        services.evidence_save(actor=staff, fund=fund, discussion_meeting=elsewhere)
    fund = services.evidence_save(actor=staff, fund=fund, discussion_meeting=meeting, discussion_minutes="纪要",
                                  decision="方案", publicity_days=5)
    fund = services.fund_step(actor=staff, fund=fund, name="publicise")
    assert fund.publicised_on == today
    with pytest.raises(ValidationError, match="公示期 5 天"):
        services.fund_step(actor=staff, fund=fund, name="hear")
    YearFund.objects.filter(pk=fund.pk).update(publicised_on=today - datetime.timedelta(days=5))
    fund = services.fund_step(actor=staff, fund=fund, name="hear")
    with pytest.raises(ValidationError, match="听证"):
        services.fund_step(actor=staff, fund=fund, name="implement")
    # Evidence belongs to its own step: the notice can't be rewritten at the hearing.
    with pytest.raises(ValidationError, match="不能填写"):
        services.evidence_save(actor=staff, fund=fund, notice="改写")
    fund = services.evidence_save(actor=staff, fund=fund, hearing_on=today, hearing_record="记录")
    fund = services.fund_step(actor=staff, fund=fund, name="implement")
    with pytest.raises(ValidationError, match="实施项目"):
        services.fund_step(actor=staff, fund=fund, name="supervise")
    services.item_add(actor=staff, fund=fund, title="充电棚", use="facilities", budget=Decimal("30000"))
    fund = services.fund_step(actor=staff, fund=fund, name="supervise")
    for name, field in (("evaluate", "supervision_record"), ("archive", "evaluation"), ("close", "archive_note")):
        with pytest.raises(ValidationError):
            services.fund_step(actor=staff, fund=fund, name=name)
        fund = services.evidence_save(actor=staff, fund=fund, **{field: "已完成"})
        fund = services.fund_step(actor=staff, fund=fund, name=name)
    assert fund.status == S.ARCHIVED
    assert AuditEvent.objects.filter(action__startswith="public_fund.", object_id=str(fund.pk)).count() >= 9 + 7


def test_only_the_community_staff_move_the_steps(fund_world, cast):
    for role in ("street", "district_bureau", "other_community"):
        with pytest.raises(PermissionDenied):
            services.evidence_save(actor=cast[role], fund=fund_world.fund, notice="x")
        with pytest.raises(PermissionDenied):
            services.fund_step(actor=cast[role], fund=fund_world.fund, name="collect")
    with pytest.raises(PermissionDenied):
        services.fund_step(actor=fund_world.residents[0].user, fund=fund_world.fund, name="collect")


# --- one household, one vote ---------------------------------------------------------------


def test_one_household_one_vote_online_and_on_paper(fund_world, collecting):
    first, second = fund_world.residents[0], fund_world.residents[1]  # the same household
    option = collecting.options.get(title="充电棚")
    services.vote_cast(actor=first.user, collection=collecting, option=option)
    with pytest.raises(ValidationError) as refused:
        services.vote_cast(actor=second.user, collection=collecting, option=collecting.options.get(title="助餐"))
    message = " ".join(refused.value.messages)
    assert "已经投过票" in message and "充电棚" not in message
    with pytest.raises(ValidationError, match="已经投过票"):
        services.vote_enter_paper(actor=fund_world.staff, collection=collecting, household_number="1-1",
                                  option=option)
    services.vote_enter_paper(actor=fund_world.staff, collection=collecting, household_number="2-1", option=option)
    with pytest.raises(ValidationError, match="没有这个户号"):
        services.vote_enter_paper(actor=fund_world.staff, collection=collecting, household_number="99", option=option)
    turnout = selectors.turnout(collecting)
    assert (turnout.voted, turnout.households) == (2, 4)
    assert turnout.percent == Decimal("50.0")
    assert [(o.title, o.households) for o in selectors.tallies(collecting)] == [("充电棚", 2), ("助餐", 0)]
    # The audit log names the household, never the choice.
    assert all("option" not in e.data for e in AuditEvent.objects.filter(action__startswith="public_fund.vote"))


def test_the_unique_constraint_is_the_real_guard(fund_world, collecting):
    household = Household.objects.get(community=fund_world.fund.community, number="3-1")
    option = collecting.options.first()
    HouseholdVote.objects.create(collection=collecting, household=household, option=option, channel="paper",
                                 cast_by=fund_world.staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        HouseholdVote.objects.create(collection=collecting, household=household, option=option, channel="online",
                                     cast_by=fund_world.staff)


def test_no_vote_outside_the_collection_step_or_community(fund_world, cast, places):
    collection = open_collection(fund_world)  # still 宣传动员
    with pytest.raises(ValidationError, match="不在收集意见"):
        services.vote_cast(actor=fund_world.residents[0].user, collection=collection,
                           option=collection.options.first())
    with pytest.raises(PermissionDenied):
        services.vote_cast(actor=cast["community"], collection=collection, option=collection.options.first())
    with pytest.raises(PermissionDenied):
        services.vote_enter_paper(actor=cast["street"], collection=collection, household_number="1-1",
                                  option=collection.options.first())


def test_a_closed_collection_takes_no_votes_and_freezes_its_households(fund_world, collecting):
    services.collection_close(actor=fund_world.staff, collection=collecting)
    Household.objects.create(community=fund_world.fund.community, number="5-1")
    with pytest.raises(ValidationError, match="已经结束"):
        services.vote_cast(actor=fund_world.residents[4].user, collection=collecting,
                           option=collecting.options.first())
    collecting.refresh_from_db()
    assert selectors.turnout(collecting).households == 4


# --- the ledger ---------------------------------------------------------------------------


@pytest.fixture
def implementing(fund_world, collecting, meeting):
    return advance_to_implementing(fund_world, collecting, meeting)


def test_spending_keeps_the_balance_and_refuses_an_overdraft(fund_world, implementing, cast):
    staff = fund_world.staff
    shed = services.item_add(actor=staff, fund=implementing, title="充电棚", use="facilities",
                             budget=Decimal("40000"))
    with pytest.raises(ValidationError, match="合计不能超过"):
        services.item_add(actor=staff, fund=implementing, title="助餐", use="volunteer", budget=Decimal("8000.01"))
    services.spend(actor=staff, item=shed, amount=Decimal("30000"), voucher="V1", spent_on=timezone.localdate(),
                   purpose="首期")
    with pytest.raises(ValidationError, match="凭证号 V1"):
        services.spend(actor=staff, item=shed, amount=Decimal("1"), voucher="V1", spent_on=timezone.localdate(),
                       purpose="")
    with pytest.raises(ValidationError, match="超出项目预算"):
        services.spend(actor=staff, item=shed, amount=Decimal("10000.01"), voucher="V2",
                       spent_on=timezone.localdate(), purpose="")
    with pytest.raises(PermissionDenied):
        services.spend(actor=cast["street"], item=shed, amount=Decimal("1"), voucher="V3",
                       spent_on=timezone.localdate(), purpose="")
    fund = YearFund.objects.get(pk=implementing.pk)
    assert (fund.spent, fund.balance) == (Decimal("30000"), Decimal("18000"))
    # An override below what was spent is refused.
    with pytest.raises(ValidationError, match="不能少于已支出"):
        services.fund_override(actor=cast["city_bureau"], fund=fund, amount=Decimal("29999"), reason="压减")


def test_the_balance_check_constraint_is_the_last_guard(implementing):
    with pytest.raises(IntegrityError), transaction.atomic():
        YearFund.objects.filter(pk=implementing.pk).update(balance=Decimal("-1"))


def test_no_spending_before_implementation(fund_world, collecting):
    with pytest.raises(ValidationError):
        services.item_add(actor=fund_world.staff, fund=fund_world.fund, title="x", use="other", budget=Decimal("1"))


def test_an_item_may_be_co_funded_by_a_bureau_project_in_the_community(fund_world, implementing, build):
    from projects.models import Application, Project

    project = Project.objects.get(application=build(Application.Status.APPROVED, title="P", amount=Decimal("50000")))
    assert project.community_id == implementing.community_id
    item = services.item_add(actor=fund_world.staff, fund=implementing, title="配套", use="selforg",
                             budget=Decimal("1000"), project=project)
    assert item.project_id == project.pk


def test_figures_by_area_for_the_reports(fund_world, collecting, cast):
    services.vote_cast(actor=fund_world.residents[0].user, collection=collecting, option=collecting.options.first())
    services.collection_close(actor=fund_world.staff, collection=collecting)
    services.fund_override(actor=cast["district_bureau"], fund=fund_world.fund, amount=Decimal("50000"), reason="核定")
    for level in ("district", "street", "community"):
        row, = selectors.figures_by_area(fund_world.fund.year, level)
        assert (row["allocated"], row["spent"], row["voted"], row["households"], row["turnout"]) == (
            Decimal("50000"), Decimal("0"), 1, 4, Decimal("25.0"))


def test_the_public_funds_report_kind_equals_a_direct_sum(fund_world, implementing, cast, places):
    """#18 reports: allocated, spent, turnout and the share of items the residents decided,
    registered as a report kind by publicfunds and equal to a direct sum over the rows."""
    from places.reporting import Filters, report_kind
    from publicfunds.models import FundItem

    staff = fund_world.staff
    voted_option = implementing.collections.first().options.first()
    decided = services.item_add(actor=staff, fund=implementing, title="充电棚", use="facilities",
                                budget=Decimal("20000"), option=voted_option)
    services.item_add(actor=staff, fund=implementing, title="助餐", use="volunteer", budget=Decimal("8000"))
    services.spend(actor=staff, item=decided, amount=Decimal("5000"), voucher="V9", spent_on=timezone.localdate(),
                   purpose="首期")
    for region in (places.city, places.dujiangyan):
        data = report_kind("public_funds").build(Filters(region=region, year=implementing.year))
        summary = {str(label): value for label, value, _kind in data.summary}
        funds = YearFund.objects.filter(year=implementing.year)
        assert summary["核定金额（元）"] == sum(f.amount for f in funds)
        assert summary["已支出（元）"] == sum(f.spent for f in funds) == Decimal("5000")
        items = FundItem.objects.filter(fund__year=implementing.year)
        assert summary["资金项目"] == items.count() == 2
        assert summary["居民投票决定的项目占比（%）"] == Decimal("50.0")
        community_table = next(t for t in data.tables if str(t.name) == "按社区")
        assert community_table.rows[0][0] == places.gaoqiao.name
    elsewhere = report_kind("public_funds").build(Filters(region=places.jinjiang, year=implementing.year))
    assert elsewhere.summary[1][1] == Decimal("0")  # another district's report has none of 高桥's money
