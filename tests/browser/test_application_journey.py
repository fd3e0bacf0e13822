"""The heart of the platform, end to end in Chromium: an agency drafts and submits, the
community endorses, the bureau screens and assigns, a reviewer scores, the bureau approves."""

import re

import pytest
from django.urls import reverse

from projects.models import Application, Project
from tests.projects.fixtures import _eager_celery, funding_round, review_form  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_apply_screen_review_approve(as_user, live_server, cast, places, funding_round, screenshots_dir):
    # 1. The agency drafts the application.
    page = as_user("agency")
    page.goto(live_server.url + reverse("projects:round_detail", args=[funding_round.pk]))
    page.get_by_role("link", name="我要申报").click()
    page.get_by_label("区（市）县").select_option(label="都江堰市")
    page.wait_for_function("document.querySelectorAll('#id_community option').length > 1")
    page.get_by_label("实施社区").select_option(label="银杏街道 · 高桥社区")
    page.get_by_label("项目名称").fill("活力夜经济 治理新动能")
    page.get_by_role("button", name="创建草稿").click()
    page.wait_for_url(re.compile(r".*/edit/$"))
    page.get_by_label("项目概述").fill("以夜市治理带动居民参与")
    page.get_by_label("人", exact=True).check()
    page.get_by_label("产", exact=True).check()
    page.get_by_label("营造支点").select_option(label="社区产业")
    page.get_by_label("入户走访").check()
    page.get_by_label("坝坝会").check()
    page.get_by_label("需求调研发现").fill("走访 120 户，夜市噪音与摊位管理是主要问题")
    page.get_by_label("项目目标").fill("成立夜市自治小组")
    page.get_by_label("实施策略").fill("商户与居民共同议事")
    page.get_by_label("活动计划与时间安排").fill("3-12 月")
    page.get_by_label("计划开始日期").fill("2016-03-01")
    page.get_by_label("计划结束日期").fill("2016-12-31")
    page.get_by_label("项目负责人").fill("周社工")
    page.get_by_label("社工团队").fill("周、吴")
    page.get_by_label("高校专家").fill("刘教授")
    page.get_by_label("资深督导").fill("黄老师")
    page.locator("#id_budget-0-category").select_option("activities")
    page.locator("#id_budget-0-description").fill("夜市活动")
    page.locator("#id_budget-0-amount").fill("90000")
    page.get_by_role("button", name="保存并预览").click()
    page.wait_for_url(re.compile(r".*/applications/\d+/$"))
    assert "90,000.00" in page.content() or "90000.00" in page.content()
    page.get_by_role("button", name="提交申报").click()
    assert page.locator("#application-status").inner_text() == "待形式审查"
    application = Application.objects.get(title="活力夜经济 治理新动能")
    detail = live_server.url + reverse("projects:application_detail", args=[application.pk])

    # 2. The community gives its opinion.
    page = as_user("community")
    page.goto(detail)
    page.get_by_role("link", name="填写社区意见").click()
    page.get_by_label("同意申报").check()
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(detail)

    # 3. The bureau screens and assigns a reviewer from the review queue.
    page = as_user("city_bureau")
    page.goto(live_server.url + reverse("projects:review_queue", args=[funding_round.pk]))
    page.get_by_role("link", name="活力夜经济 治理新动能").click()
    page.get_by_label("通过，进入专家评审").check()
    page.get_by_role("button", name="提交审查结论").click()
    assert page.locator("#application-status").inner_text() == "专家评审中"
    page.locator("form[action$='/assign/']").get_by_label("reviewer").check()
    page.get_by_role("button", name="分配", exact=True).click()
    page.screenshot(path=f"{screenshots_dir}/application_bureau.png", full_page=True)

    # 4. The reviewer scores every criterion and submits.
    page = as_user("reviewer")
    page.goto(live_server.url + reverse("projects:review_list"))
    page.get_by_role("link", name=re.compile("活力夜经济")).click()
    inputs = page.locator("input[name^='score_']")
    for index in range(inputs.count()):
        inputs.nth(index).fill("9")
    page.get_by_label("建议立项", exact=True).check()
    page.get_by_role("button", name="提交评审").click()
    page.wait_for_url(detail)
    assert "90.00" in page.content()

    # 5. The bureau approves.
    page = as_user("city_bureau")
    page.goto(detail)
    page.get_by_label("立项", exact=True).check()
    page.get_by_label("立项金额（元）").fill("85000")
    page.get_by_label("结论理由").fill("需求扎实，同意立项")
    page.get_by_role("button", name="保存结论").click()
    assert "85,000.00 元" in page.locator("#confirm-summary").inner_text()  # what will happen, first
    page.get_by_role("button", name="确认办理").click()
    assert page.locator("#application-status").inner_text() == "已立项"
    project = Project.objects.get(application=application)
    assert project.approved_amount == 85000
    page.get_by_role("link", name="查看立项项目").click()
    assert page.get_by_role("heading", name=re.compile("活力夜经济")).is_visible()
