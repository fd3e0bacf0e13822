"""A bureau clerk logs in, opens the community directory in Chinese and filters it."""

import re

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + "/")


def test_bureau_filters_communities_by_district(page, live_server, cast, places, screenshots_dir):
    log_in(page, live_server, "city_bureau")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    page.get_by_role("link", name="社区", exact=True).first.click()
    page.wait_for_url(re.compile(r".*/communities/$"))
    assert page.get_by_role("heading", name="社区名录").is_visible()
    assert re.search(r"共 3,?047 条", page.content())

    page.get_by_label("区（市）县").select_option(label="都江堰市")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url(re.compile(r".*district=.*"))
    assert "共 166 条" in page.content()
    rows = page.locator("tbody tr")
    assert rows.count() == 25
    page.screenshot(path=f"{screenshots_dir}/community_list.png", full_page=True)

    page.get_by_label("名称/代码").fill("高桥")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url(re.compile(r".*q=.*"))
    page.get_by_role("link", name="高桥社区").click()
    assert page.get_by_role("heading", name="高桥社区").is_visible()
    assert "510181005009" in page.content()


def test_community_list_works_on_a_phone(phone_page, live_server, cast, places, screenshots_dir):
    page = phone_page
    log_in(page, live_server, "street")
    page.goto(live_server.url + reverse("places:community_list"))
    # No horizontal scrolling at 360 px: the table collapses to the essential columns.
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    page.screenshot(path=f"{screenshots_dir}/community_list_phone.png", full_page=True)
    # The menu is behind the toggler and still reachable.
    page.get_by_role("button", name="菜单").click()
    assert page.get_by_role("link", name="社会组织").is_visible()


def test_language_switch_to_english_keeps_the_page(page, live_server, cast, places):
    log_in(page, live_server, "city_bureau")
    with page.expect_navigation():
        page.get_by_label("语言").select_option("en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url == live_server.url + "/"
