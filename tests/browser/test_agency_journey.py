"""The agency's daily job on a phone (360 px), counting the taps: from the home page's work
queue, draft → submit an application; then file a period with three activities, each with
a photo, and submit it. A tap is a click, a check, a field focused to type in, a file
picked; a drop-down is two (open, choose)."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from projects import services
from projects.models import Application, ProgressReport, Project
from tests.browser.test_progress_journey import JPEG
from tests.projects.fixtures import _eager_celery, build, funding_round, review_form, second_reviewer  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
# Measured on this journey: 31 taps for the application (22 of them the form's own fields),
# 28 for the period (3 to open and write it, 8 per activity with its photo, 1 to submit).
# The ceilings leave a small margin; a page that adds a step fails here.
APPLICATION_TAPS = 34
PERIOD_TAPS = 30


class Taps:
    def __init__(self):
        self.count = 0

    def click(self, locator):
        locator.click()
        self.count += 1

    def check(self, locator):
        locator.check()
        self.count += 1

    def fill(self, locator, text):
        locator.fill(text)
        self.count += 1

    def select(self, locator, **option):
        locator.select_option(**option)
        self.count += 2

    def pick(self, locator, path):
        locator.set_input_files(path)
        self.count += 1


def test_draft_and_submit_an_application_on_a_phone(as_user, live_server, cast, funding_round):
    page = as_user("agency")
    page.set_viewport_size(PHONE)
    taps = Taps()
    page.goto(live_server.url + "/")
    rounds = page.locator(".work-queue[data-queue='开放申报的资助轮次']")
    taps.click(rounds.get_by_role("link", name=funding_round.name))
    taps.click(page.get_by_role("link", name="我要申报"))
    taps.select(page.get_by_label("区（市）县"), label="都江堰市")
    page.wait_for_function("document.querySelectorAll('#id_community option').length > 1")
    taps.select(page.get_by_label("实施社区"), label="银杏街道 · 高桥社区")
    taps.fill(page.get_by_label("项目名称"), "院落微更新")
    taps.click(page.get_by_role("button", name="创建草稿"))
    page.wait_for_url(re.compile(r".*/edit/$"))
    taps.fill(page.get_by_label("项目概述"), "居民共同设计院落")
    taps.check(page.get_by_label("地", exact=True))
    taps.check(page.get_by_label("景", exact=True))
    taps.select(page.get_by_label("营造支点"), label="公共空间")
    taps.check(page.get_by_label("入户走访"))
    taps.check(page.get_by_label("坝坝会"))
    taps.fill(page.get_by_label("需求调研发现"), "走访 80 户，院坝杂物堆放")
    taps.fill(page.get_by_label("项目目标"), "院坝变成议事和活动的地方")
    taps.fill(page.get_by_label("实施策略"), "居民议事定方案，共同动手")
    taps.fill(page.get_by_label("活动计划与时间安排"), "4-10 月")
    taps.fill(page.get_by_label("计划开始日期"), "2016-04-01")
    taps.fill(page.get_by_label("计划结束日期"), "2016-10-31")
    taps.fill(page.get_by_label("项目负责人"), "周社工")
    taps.fill(page.get_by_label("社工团队"), "周、吴")
    taps.fill(page.get_by_label("高校专家"), "刘教授")
    taps.fill(page.get_by_label("资深督导"), "黄老师")
    taps.select(page.locator("#id_budget-0-category"), value="activities")
    taps.fill(page.locator("#id_budget-0-description"), "院坝改造材料")
    taps.fill(page.locator("#id_budget-0-amount"), "60000")
    # The running total keeps up as the agency types, before any save (it used to need a round trip).
    expect(page.locator(".budget-total")).to_have_text("60,000.00 元")
    taps.click(page.get_by_role("button", name="保存并预览"))
    page.wait_for_url(re.compile(r".*/applications/\d+/$"))
    taps.click(page.get_by_role("button", name="提交申报"))  # its confirm dialog is accepted by the fixture
    assert page.locator("#application-status").inner_text() == "待形式审查"
    assert Application.objects.get(title="院落微更新").status == Application.Status.SUBMITTED
    # Nothing is wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert taps.count <= APPLICATION_TAPS, taps.count


def test_file_a_period_with_three_activities_and_photos_on_a_phone(as_user, live_server, cast, build, tmp_path):
    project = Project.objects.get(application=build(Application.Status.APPROVED))
    services.agreement_sign(project=project, actor=cast["city_bureau"], signed_on=datetime.date(2016, 3, 10))
    report = (ProgressReport.objects.filter(project=project, status=ProgressReport.Status.DRAFT)
              .order_by("due_on", "pk").first())
    photos = []
    for name in ("坝坝会", "议事会", "清扫"):
        photos.append(tmp_path / f"{name}.jpg")
        photos[-1].write_bytes(JPEG)

    page = as_user("agency")
    page.set_viewport_size(PHONE)
    taps = Taps()
    page.goto(live_server.url + "/")
    queue = page.locator(".work-queue[data-queue='待填报的进度报告（含逾期）']")
    taps.click(queue.locator("a", has_text=project.title).first)
    page.wait_for_url(live_server.url + reverse("projects:progress_detail", args=[report.pk]))
    taps.fill(page.get_by_label("目标进展"), "院坝议事会成立")
    taps.click(page.get_by_role("button", name="保存正文"))
    for offset, (title, photo) in enumerate(zip(("院坝坝坝会", "院落议事会", "共同清扫"), photos, strict=True)):
        form = page.locator("#add-activity form")
        taps.fill(form.get_by_label("日期"), (report.period_start + datetime.timedelta(days=offset)).isoformat())
        taps.fill(form.get_by_label("活动名称"), title)
        taps.select(form.get_by_label("类型"), label="坝坝会")
        taps.fill(form.get_by_label("直接参与人次"), "40")
        taps.fill(form.get_by_label("间接服务人次"), "100")
        taps.pick(form.get_by_label("照片"), str(photo))
        taps.click(form.get_by_role("button", name="添加活动"))
        page.wait_for_load_state()
    taps.click(page.get_by_role("button", name="提交报告"))
    assert page.locator("#report-status").inner_text() == "待审核"
    report.refresh_from_db()
    assert report.activities.count() == 3
    assert sum(activity.photos.count() for activity in report.activities.all()) == 3
    assert taps.count <= PERIOD_TAPS, taps.count
