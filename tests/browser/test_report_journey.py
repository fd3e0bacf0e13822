"""The bureau requests a funding report, watches its progress bar, downloads the xlsx."""

from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from projects.models import Application
from tests.projects.fixtures import _eager_celery, build, funding_round, review_form, second_reviewer  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_request_watch_download(as_user, live_server, cast, build, places, tmp_path, screenshots_dir):
    build(Application.Status.APPROVED, amount=Decimal("90000"))
    page = as_user("city_bureau")
    page.goto(live_server.url + reverse("home"))
    assert page.locator(".chart canvas").count() >= 1  # ECharts drew the dashboard from static/vendor
    page.screenshot(path=f"{screenshots_dir}/dashboard.png", full_page=True)
    page.get_by_role("link", name="生成报表").click()
    page.get_by_label("报表").select_option(label="资金报告")
    page.get_by_label("格式").select_option("xlsx")
    page.get_by_role("button", name="生成").click()
    progress = page.get_by_role("progressbar", name="生成进度")
    assert progress.is_visible()
    page.locator("#report-state").filter(has_text="已完成").wait_for()
    assert progress.get_attribute("aria-valuenow") == "100"
    page.screenshot(path=f"{screenshots_dir}/report.png")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.suffix == ".xlsx" and "资金报告" in path.name
    book = load_workbook(path, read_only=True)
    summary = [row for row in book["汇总"].iter_rows(values_only=True)]
    assert summary[0][0] == "成都市社区营造项目资金报告"
    assert ("立项金额（元）", 90000) in [tuple(r[:2]) for r in summary if r and len(r) > 1]
