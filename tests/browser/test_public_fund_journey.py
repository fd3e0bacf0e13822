"""One year of 社区公共服务资金 in 高桥社区 at phone width (390 px), counting taps:
staff publish the notice and open the collection → a resident votes for the household
(and the other member of that household is told it already voted) → the decision is
publicised → hearing → an item and a spending entry → supervision → the residents'
evaluation → the archive dossier PDF. The fund is opened and the council meeting made
through the services; every step of the cycle is driven in the browser."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from publicfunds.models import YearFund
from tests.browser.conftest import new_context
from tests.conftest import PASSWORD
from tests.publicfunds.conftest import _eager_celery, fund_world, make_meeting  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


class Taps:
    """Counts the taps (clicks) a person makes: the journey's cost in the user's terms."""

    def __init__(self):
        self.count = 0

    def __call__(self, locator):
        self.count += 1
        locator.click()


def field(page, label):
    """The form field labelled exactly `label` (crispy marks required ones with an asterisk)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def login(browser, live_server, username, password):
    context = new_context(browser, **PHONE)
    page = context.new_page()
    page.set_default_timeout(20000)
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + "/")
    return context, page


def test_a_years_nine_steps_on_a_phone(browser, live_server, cast, places, fund_world, _eager_celery,  # noqa: F811
                                       settings, tmp_path, screenshots_dir):
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    fund = fund_world.fund
    meeting = make_meeting(places.gaoqiao, fund_world.staff)
    for resident in fund_world.residents[:2]:  # two members of household 1-1
        resident.user.set_password("test-pass-123")
        resident.user.save()
    tap = Taps()
    staff_ctx, staff = login(browser, live_server, "community", PASSWORD)
    detail = live_server.url + reverse("publicfunds:fund_detail", args=[fund.pk])

    def step(label, state):
        staff.goto(detail)
        tap(staff.get_by_role("link", name=label, exact=True))
        tap(staff.get_by_role("button", name=f"确认{label}"))
        staff.wait_for_url(detail)
        assert staff.locator("#fund-status").inner_text() == state

    def evidence(**fields):
        staff.goto(detail)
        tap(staff.get_by_role("link", name="填写本环节材料"))
        for label, value in fields.items():
            field(staff, label).fill(value)
        tap(staff.get_by_role("button", name="提交"))
        staff.wait_for_url(detail)

    # 1. 宣传动员: the notice, then the opinion collection with its candidates.
    evidence(宣传动员通知="今年公共服务资金 4.8 万元，请各户提出项目建议。", 通知开始=today.isoformat(),
             通知截止=(today + datetime.timedelta(days=7)).isoformat())
    staff.goto(detail)
    tap(staff.get_by_role("link", name="发起意见征集"))
    field(staff, "名称").fill("2026 年项目意见征集")
    field(staff, "开始日期").fill(today.isoformat())
    field(staff, "截止日期").fill((today + datetime.timedelta(days=7)).isoformat())
    field(staff, "候选项目").fill("3 号院充电棚，40000\n老年助餐点，40000")
    tap(staff.get_by_role("button", name="提交"))
    step("进入收集意见", "收集意见")

    # 2. 收集意见: one household, one vote, from the resident's home on a phone.
    resident_ctx, phone = login(browser, live_server, fund_world.residents[0].user.username, "test-pass-123")
    resident_taps = Taps()
    resident_taps(phone.get_by_role("link", name="一户一票：为今年的项目投票"))
    resident_taps(phone.get_by_label("3 号院充电棚"))
    resident_taps(phone.get_by_role("button", name="投票"))
    assert phone.locator("#household-voted").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert resident_taps.count == 3
    other_ctx, other = login(browser, live_server, fund_world.residents[1].user.username, "test-pass-123")
    other.get_by_role("link", name="您家已投票，查看征集进展").click()
    assert other.locator("#household-voted").is_visible() and "3 号院充电棚" not in other.locator(
        "#household-voted").inner_text()

    # 3. 梳理讨论 with the council's meeting; 4. 决议公示.
    staff.goto(live_server.url + reverse("publicfunds:collection_detail", args=[fund.collections.get().pk]))
    tap(staff.get_by_role("button", name="结束征集"))
    step("进入梳理讨论", "梳理讨论")
    staff.goto(detail)
    tap(staff.get_by_role("link", name="填写本环节材料"))
    field(staff, "议事会会议").select_option(str(meeting.pk))
    field(staff, "梳理讨论纪要").fill("议事会讨论：充电棚得票最多。")
    field(staff, "拟实施项目方案").fill("实施 3 号院充电棚，预算 4 万元。")
    tap(staff.get_by_role("button", name="提交"))
    step("公示决议", "决议公示")
    phone.goto(live_server.url + "/")
    resident_taps(phone.get_by_role("link", name="决议公示"))
    assert "充电棚" in phone.content()

    # The publicity period runs its days (the clock is moved, not waited for).
    YearFund.objects.filter(pk=fund.pk).update(publicised_on=today - datetime.timedelta(days=7))

    # 5. 项目听证; 6. 组织实施: an item and a spending entry with its voucher.
    step("进入项目听证", "项目听证")
    evidence(听证日期=today.isoformat(), 听证记录="听证会 32 户到会，无异议。")
    staff.goto(detail)
    tap(staff.get_by_role("link", name="登记资金项目"))
    field(staff, "项目").fill("3 号院充电棚")
    field(staff, "用途").select_option("facilities")
    field(staff, "预算（元）").fill("40000")
    tap(staff.get_by_role("button", name="提交"))
    staff.wait_for_url(detail)
    step("进入组织实施", "组织实施")
    staff.goto(detail)
    tap(staff.get_by_role("link", name="记账"))
    field(staff, "金额（元）").fill("38000")
    field(staff, "凭证号").fill("GQ-2026-001")
    tap(staff.get_by_role("button", name="提交"))
    staff.wait_for_url(live_server.url + reverse("publicfunds:fund_accounts", args=[fund.pk]))
    assert "GQ-2026-001" in staff.content()

    # 7. 监督; 8. 评议完善; 9. 档案归集 with the dossier PDF.
    step("进入监督", "监督")
    evidence(监督记录="监督委员会核对票据，账实相符。")
    step("进入评议完善", "评议完善")
    evidence(居民评议="居民评议：满意 29 户，基本满意 3 户。")
    step("进入档案归集", "档案归集")
    evidence(档案目录="通知、征集表、纪要、公示照片、听证记录、票据、评议表。")
    staff.goto(detail)
    # The request posts and comes back to this same page: wait for that navigation, or
    # the reload races it ("Not attached to an active page").
    with staff.expect_navigation():
        tap(staff.get_by_role("button", name="生成档案 PDF"))
    staff.reload()
    assert staff.locator("#dossier-download").is_visible()
    assert YearFund.objects.get(pk=fund.pk).dossier.name.endswith(".pdf")
    staff.screenshot(path=f"{screenshots_dir}/public_fund_dossier_phone.png", full_page=True)
    assert staff.evaluate("document.documentElement.scrollWidth") <= 390

    # The whole year took the staff this many taps (each step: link + confirm).
    assert tap.count <= 45, tap.count
    print(f"public fund year: staff {tap.count} taps, resident {resident_taps.count} taps")
    for context in (staff_ctx, resident_ctx, other_ctx):
        context.close()
