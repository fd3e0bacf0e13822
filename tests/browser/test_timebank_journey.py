"""On phones (360 px): a resident raises a need → staff publish a task for it → a
merchant responds → the volunteer opens the QR check-in URL → the organiser confirms →
points credited → redeemed at the merchant with a one-time code."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.browser.conftest import new_context
from tests.conftest import PASSWORD
from tests.timebank.fixtures import make_merchant, make_resident
from timebank import ledger, services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone_as(browser, live_server):
    contexts = []

    def login(username):
        context = new_context(browser, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.goto(live_server.url + reverse("login"))
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(live_server.url + "/")
        return page

    yield login
    for context in contexts:
        context.close()


def test_need_to_task_to_checkin_to_redemption(phone_as, live_server, cast, places, screenshots_dir):
    community = places.jiahonglu
    staff_user = cast["other_community"]  # 佳宏路社区's staff
    resident = make_resident(community, "li_ayi")
    partner = make_merchant(community=community, admin=cast["admin"], staff=staff_user, name="阿芳理发店",
                            body="92510104MA6C1H2Q3", username="afang")
    services.reward_create(actor=staff_user, partner=partner, name="义剪一次", points=50, stock=3)
    url = live_server.url

    # 1. The resident raises a need on the phone.
    phone = phone_as("li_ayi")
    phone.goto(url + reverse("timebank:home"))
    phone.get_by_role("link", name="我有需求").click()
    phone.locator("#id_title").fill("楼里老人想理发")
    phone.locator("#id_category").select_option("haircut")
    phone.get_by_role("button", name="保存").click()
    phone.wait_for_url(re.compile(r".*/timebank/needs/\d+/$"))
    need_url = phone.url

    # 2. Community staff publish a task serving it.
    staff = phone_as("other_community")
    staff.goto(need_url)
    staff.get_by_role("link", name="据此发布任务").click()
    staff.locator("#id_title").fill("上门义剪")
    staff.locator("#id_place").fill("比华利一期")
    staff.locator("#id_starts_at").fill((timezone.localtime() + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    staff.get_by_role("button", name="保存").click()
    staff.wait_for_url(re.compile(r".*/timebank/tasks/\d+/$"))
    task_url = staff.url
    staff.wait_for_function("document.querySelector('img.tb-qr').naturalWidth > 0")  # the QR code renders
    checkin_url = staff.locator("#checkin-link").get_attribute("href")

    # 3. The merchant responds in one step.
    shop = phone_as("afang")
    shop.goto(task_url)
    shop.get_by_role("button", name="一键响应").click()
    assert "阿芳理发店" in shop.locator("#responses").inner_text()

    # 4. The volunteer scans the QR code (opens its URL) and checks in.
    phone.goto(checkin_url)
    phone.get_by_role("button", name="确认签到").click()
    assert phone.get_by_text("等待组织方确认").is_visible()

    # 5. The organiser confirms attendance: points credited.
    staff.goto(task_url)
    staff.get_by_role("button", name="确认出勤").click()
    assert staff.locator("#checkins").get_by_text("已确认").is_visible()
    assert ledger.resident_account(resident).balance == 50

    # 6. The resident redeems and shows the one-time code …
    phone.goto(url + reverse("timebank:home"))
    assert phone.locator("#my-balance").inner_text() == "50"
    phone.get_by_role("link", name="兑换", exact=True).click()
    phone.get_by_role("button", name="兑换").click()
    code = phone.locator("#redemption-code").inner_text().strip()
    assert re.fullmatch(r"\d{8}", code)
    phone.screenshot(path=f"{screenshots_dir}/timebank_code_phone.png", full_page=True)

    # 7. … which the merchant confirms at the counter.
    shop.goto(url + reverse("timebank:home"))
    shop.locator("input[name=code]").fill(code)
    shop.get_by_role("button", name="核销", exact=True).click()
    assert shop.get_by_text("核销成功").is_visible()
    phone.goto(url + reverse("timebank:home"))
    assert phone.locator("#my-balance").inner_text() == "0"
    overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
