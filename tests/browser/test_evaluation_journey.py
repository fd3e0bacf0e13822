"""An evaluator scores all 53 indicators on a tablet-sized screen and submits; the
bureau closes scoring and writes feedback; the agency answers; the bureau publishes."""

import datetime
import re

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Evaluation
from projects.models import Application, Project
from tests.assessments.fixtures import rubric  # noqa: F401
from tests.projects.fixtures import _eager_celery, build, funding_round, review_form, second_reviewer  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_score_feedback_answer_publish(as_user, live_server, cast, build, rubric, screenshots_dir):
    from projects import services as project_services

    project = Project.objects.get(application=build(Application.Status.APPROVED))
    project = project_services.agreement_sign(project=project, actor=cast["city_bureau"], signed_on=project.starts_on)
    evaluation = services.evaluation_create(project=project, actor=cast["city_bureau"], stage="midterm",
                                            scheduled_on=datetime.date(2016, 9, 1), evaluators=[cast["evaluator"]],
                                            lead_evaluator=cast["evaluator"])
    detail = live_server.url + reverse("assessments:evaluation_detail", args=[evaluation.pk])

    page = as_user("evaluator")
    page.set_viewport_size({"width": 800, "height": 1200})  # a tablet in the field
    page.goto(detail)
    page.get_by_role("link", name="去评分").click()
    inputs = page.locator("input[name^='score_']")
    assert inputs.count() == 53
    for index in range(53):
        inputs.nth(index).fill("1")
        inputs.nth(index).dispatch_event("change")
    # Autosave: the last one says so, and a reload keeps every value.
    # 53 autosaves, queued one after another: give a loaded CI machine time.
    page.wait_for_function("document.querySelectorAll('[id^=saved-] .text-success').length === 53", timeout=90000)
    assert page.locator("[id^=saved-] .text-danger").count() == 0
    page.reload()
    assert page.locator("input[name^='score_'][value='1']").count() == 53
    page.locator("details").first.click()
    page.locator("button.level").first.click()  # 优 fills the first indicator's full marks
    page.wait_for_function("document.querySelector('[id^=saved-] .text-success') !== null")
    page.screenshot(path=f"{screenshots_dir}/evaluation_sheet.png")
    page.get_by_role("button", name="提交评估表").click()
    page.wait_for_url(detail)
    sheet = evaluation.sheets.get()
    assert sheet.status == "submitted" and sheet.total == 54  # 52 × 1 + 2

    page = as_user("city_bureau")
    page.goto(detail)
    page.get_by_role("button", name="结束评分，进入反馈").click()
    assert page.locator("#evaluation-status").inner_text() == "反馈与问答"
    assert page.locator("#evaluation-grade").inner_text() == "不合格"
    page.get_by_label("类型").select_option(label="问题")
    page.get_by_label("内容").fill("活动记录不全，居民参与深度不足")
    page.get_by_role("button", name="添加反馈要点").click()

    page = as_user("agency")
    page.goto(detail)
    page.get_by_label("回应").fill("已补齐签到表，下阶段每次活动安排居民议事环节")
    page.get_by_role("button", name="回应", exact=True).click()
    assert "已补齐签到表" in page.content()

    page = as_user("city_bureau")
    page.goto(detail)
    page.get_by_label("综合反馈").fill("中期评估不合格，需限期整改")
    page.get_by_role("button", name="发布", exact=True).click()
    page.get_by_role("button", name="确认办理").click()
    assert page.locator("#evaluation-status").inner_text() == "已发布"
    assert "待民政局作出是否终止资助的决定" in page.content()
    assert Evaluation.objects.get(pk=evaluation.pk).needs_termination_decision

    page = as_user("street")
    page.goto(detail)
    assert re.search("54", page.locator("#evaluation-total").inner_text())
