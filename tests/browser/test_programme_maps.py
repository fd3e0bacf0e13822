"""The programme's maps draw from vendored files only: with every request outside the
test server refused, the district choropleth and the community points still render."""

import pytest
from django.urls import reverse

from programme import demo as programme_demo
from tests.browser.test_community_journey import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def offline(page, live_server):
    outside = []

    def handle(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", handle)
    return outside


def test_coverage_choropleth_and_story_map_render_offline(phone_page, live_server, cast, places, screenshots_dir):
    programme_demo.seed({})
    page = phone_page
    outside = offline(page, live_server)
    log_in(page, live_server, "city_bureau")
    page.goto(live_server.url + reverse("programme:coverage"))
    page.wait_for_selector("#coverage-map svg path")
    # 20 districts and counties drawn, plus the legend.
    assert page.locator("#coverage-map svg path").count() >= 20
    assert "都江堰市" in page.locator("#coverage-map svg text").evaluate_all("els => els.map(e => e.textContent)")
    page.screenshot(path=f"{screenshots_dir}/programme_coverage_phone.png", full_page=True)

    page.goto(live_server.url + reverse("programme:story_map"))
    page.wait_for_selector("#story-map svg path")
    labels = page.locator("#story-map svg text").evaluate_all("els => els.map(e => e.textContent)")
    assert {"高桥社区", "铁门社区", "佳宏路社区", "南桥社区"} <= set(labels)
    page.screenshot(path=f"{screenshots_dir}/programme_map_phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1
    assert outside == []
