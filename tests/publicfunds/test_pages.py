"""The pages and the API: residents vote on their phone and read the accounts and the
decision; staff run the cycle; street and bureau read; nobody else sees anything."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from publicfunds import services
from publicfunds.models import HouseholdVote, Spending, YearFund

from .conftest import advance_to_implementing

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_fund_page_shows_the_calculation_and_the_blocked_next_step(fund_world, client_for):
    page = client_for("community").get(reverse("publicfunds:fund_detail", args=[fund_world.fund.pk]))
    html = page.content.decode()
    assert "1,200 户 ÷ 100 × 4,000 元 = 48,000 元" in html
    assert "请先发布宣传动员通知" in html
    street = client_for("street").get(reverse("publicfunds:fund_detail", args=[fund_world.fund.pk]))
    assert street.status_code == 200 and "请先发布宣传动员通知" not in street.content.decode()
    assert client_for("other_community").get(reverse("publicfunds:fund_detail",
                                                     args=[fund_world.fund.pk])).status_code == 404


def test_a_resident_votes_on_the_phone_page_once_for_the_household(fund_world, collecting):
    url = reverse("publicfunds:collection_detail", args=[collecting.pk])
    first, second = fund_world.residents[0], fund_world.residents[1]
    option = collecting.options.first()
    page = login(first.user).get(url)
    assert "一户一票" in page.content.decode()
    assert login(first.user).post(url, {"option": option.pk}).status_code == 302
    again = login(second.user).post(url, {"option": collecting.options.last().pk})
    assert "已经投过票" in again.content.decode()
    assert login(second.user).get(url).content.decode().count("您家已经投过票") == 1
    assert HouseholdVote.objects.filter(collection=collecting).count() == 1
    # Residents don't see tallies while the collection is open.
    assert "各候选项目得票" not in login(first.user).get(url).content.decode()


def test_staff_enter_a_paper_form_and_a_bad_number_keeps_what_was_typed(fund_world, collecting, client_for):
    url = reverse("publicfunds:collection_paper", args=[collecting.pk])
    client = client_for("community")
    bad = client.post(url, {"household_number": "不存在", "option": collecting.options.first().pk})
    assert bad.status_code == 200 and "本社区没有这个户号" in bad.content.decode() and "不存在" in bad.content.decode()
    assert client.post(url, {"household_number": "3-1", "option": collecting.options.first().pk}).status_code == 302
    assert client_for("street").post(url, {"household_number": "4-1",
                                           "option": collecting.options.first().pk}).status_code == 403
    assert HouseholdVote.objects.filter(collection=collecting, channel="paper").count() == 1


def test_the_step_page_refuses_a_skip_and_takes_the_next(fund_world, client_for):
    client = client_for("community")
    today = timezone.localdate()
    response = client.post(reverse("publicfunds:fund_evidence", args=[fund_world.fund.pk]),
                           {"notice": "通知", "notice_from": today.isoformat(), "notice_until": "1999-01-01"})
    assert response.status_code == 200 and YearFund.objects.get(pk=fund_world.fund.pk).notice == ""
    skip = client.post(reverse("publicfunds:fund_step", args=[fund_world.fund.pk, "publicise"]), {"reason": ""},
                       follow=True)
    assert "不能" in skip.content.decode()
    assert YearFund.objects.get(pk=fund_world.fund.pk).status == "mobilising"


def test_accounts_and_decision_are_public_to_the_community(fund_world, collecting, meeting, client_for):
    fund = advance_to_implementing(fund_world, collecting, meeting)
    item = services.item_add(actor=fund_world.staff, fund=fund, title="充电棚", use="facilities",
                             budget=Decimal("30000"))
    response = client_for("community").post(reverse("publicfunds:spending_create", args=[item.pk]), {
        "amount": "1200.50", "voucher": "PZ-1", "spent_on": timezone.localdate().isoformat(), "purpose": "材料"})
    assert response.status_code == 302 and Spending.objects.get().voucher == "PZ-1"
    resident = login(fund_world.residents[3].user)
    accounts = resident.get(reverse("publicfunds:fund_accounts", args=[fund.pk])).content.decode()
    assert "PZ-1" in accounts and "1,200.50" in accounts and "46,799.50" in accounts
    decision = resident.get(reverse("publicfunds:fund_decision", args=[fund.pk])).content.decode()
    assert "方案" in decision and "公示期 7 天" in decision
    overdraft = client_for("community").post(reverse("publicfunds:spending_create", args=[item.pk]), {
        "amount": "99999", "voucher": "PZ-2", "spent_on": timezone.localdate().isoformat()})
    assert "超出项目预算" in overdraft.content.decode() or "不足" in overdraft.content.decode()


def test_bureau_override_page(fund_world, client_for):
    url = reverse("publicfunds:fund_override", args=[fund_world.fund.pk])
    assert client_for("community").get(url).status_code == 403
    blank = client_for("district_bureau").post(url, {"amount": "50000", "reason": ""})
    assert blank.status_code == 200
    done = client_for("district_bureau").post(url, {"amount": "50000", "reason": "核定户数调整"})
    assert done.status_code == 302 and YearFund.objects.get(pk=fund_world.fund.pk).amount == Decimal("50000")


def test_api_vote_twice_and_step_and_spend(fund_world, collecting, client_for):
    option = collecting.options.first()
    url = reverse("api:public-fund-collection-vote", args=[collecting.pk])
    assert login(fund_world.residents[0].user).post(url, {"option": option.pk}).status_code == 201
    second = login(fund_world.residents[1].user).post(url, {"option": option.pk})
    assert second.status_code == 400 and "已经投过票" in second.content.decode()
    assert login(fund_world.residents[2].user).post(url, {"option": "x"}).status_code == 400
    detail = client_for("community").get(reverse("api:public-fund-detail", args=[fund_world.fund.pk])).json()
    assert detail["status"] == "collecting" and detail["amount"] == "48000.00"
    skip = client_for("community").post(reverse("api:public-fund-step", args=[fund_world.fund.pk, "hear"]))
    assert skip.status_code == 400 and "不能跳到" in skip.content.decode()
    assert client_for("street").post(reverse("api:public-fund-step", args=[fund_world.fund.pk, "discuss"])) \
        .status_code == 403
    assert client_for("community").get("/api/public-funds/abc/").status_code == 404
    turnout = client_for("community").get(reverse("api:public-fund-collection-detail", args=[collecting.pk])).json()
    assert turnout["turnout"] == {"voted": 1, "households": 4, "percent": "25.0"}


@pytest.mark.parametrize("size", [2, 6])
def test_fund_list_queries_do_not_grow(fund_world, cast, places, client_for, django_assert_max_num_queries, size):
    from places.models import Community

    others = Community.objects.filter(street=places.gaoqiao.street).exclude(pk=places.gaoqiao.pk)[:size]
    for community in others:
        YearFund.objects.create(community=community, year=2020, allocated=Decimal("1"), calculation="x",
                                balance=Decimal("1"))
    client = client_for("street")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("publicfunds:fund_list")).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("api:public-fund-list")).status_code == 200


def test_dates_are_bounded(fund_world, collecting, client_for):
    response = client_for("community").post(reverse("publicfunds:collection_create", args=[fund_world.fund.pk]), {
        "title": "二次征集", "opens_on": "1990-01-01", "closes_on": (timezone.localdate() + datetime.timedelta(
            days=3)).isoformat(), "options": "甲\n乙，abc"})
    assert response.status_code == 200 and "估算金额不是数字" in response.content.decode()


def test_the_resident_home_leads_to_the_vote(fund_world, collecting):
    client = login(fund_world.residents[4].user)
    assert "一户一票：为今年的项目投票" in client.get(reverse("home")).content.decode()
    client.post(reverse("publicfunds:collection_detail", args=[collecting.pk]),
                {"option": collecting.options.first().pk})
    assert "您家已投票" in client.get(reverse("home")).content.decode()


def test_a_double_submitted_spending_is_recorded_once(fund_world, collecting, meeting, client_for):
    """The spending form's page issues a one-time token; the same POST sent twice (two
    quick taps on a phone) records one spending and answers both with the same page."""
    import re

    fund = advance_to_implementing(fund_world, collecting, meeting)
    item = services.item_add(actor=fund_world.staff, fund=fund, title="充电棚", use="facilities",
                             budget=Decimal("30000"))
    client = client_for("community")
    url = reverse("publicfunds:spending_create", args=[item.pk])
    token = re.search(r'name="_once" value="([0-9a-f]{32})"', client.get(url).content.decode()).group(1)
    data = {"amount": "800", "voucher": "PZ-9", "spent_on": timezone.localdate().isoformat(), "purpose": "材料",
            "_once": token}
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302 and second["Location"] == first["Location"]
    assert Spending.objects.filter(voucher="PZ-9").count() == 1
