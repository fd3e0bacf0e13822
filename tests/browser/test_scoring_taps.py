"""Scoring on a tablet and a phone: a full 53-indicator sheet in at most 60 taps — one
tap per indicator on its level, then submit — with every target at least 44 px, every
category open, a live counter and running totals, and a visible 已保存."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from assessments import services
from projects.models import Application, Project
from tests.assessments.fixtures import rubric  # noqa: F401
from tests.projects.fixtures import _eager_celery, build, funding_round, review_form, second_reviewer  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [{"width": 768, "height": 1024}, {"width": 360, "height": 740}],
                         ids=["tablet", "phone"])
def test_full_sheet_in_at_most_60_taps(as_user, live_server, cast, build, rubric, viewport):
    from projects import services as project_services

    project = Project.objects.get(application=build(Application.Status.APPROVED))
    project = project_services.agreement_sign(project=project, actor=cast["city_bureau"], signed_on=project.starts_on)
    evaluation = services.evaluation_create(project=project, actor=cast["city_bureau"], stage="midterm",
                                            scheduled_on=datetime.date(2016, 9, 1), evaluators=[cast["evaluator"]],
                                            lead_evaluator=cast["evaluator"])
    sheet = evaluation.sheets.get()
    page = as_user("evaluator")
    page.set_viewport_size(viewport)
    page.goto(live_server.url + reverse("assessments:sheet", args=[sheet.pk]))
    taps = 0
    indicators = page.locator("li.indicator")
    assert indicators.count() == 53
    # Every category is open: no collapsed sections to expand.
    assert page.locator(".sheet-category .collapse:not(.show)").count() == 0
    box = indicators.first.locator("button.level").first.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    for index in range(53):
        indicators.nth(index).locator("button.level").first.click()  # 优: full marks
        taps += 1
        if index == 0:
            assert page.locator("#sheet-filled").inner_text() == "1"
    assert page.locator("#sheet-filled").inner_text() == "53"
    assert page.locator("#sheet-total").inner_text() == "100"
    assert all(t != "—" for t in page.locator(".category-total").all_inner_texts())
    page.wait_for_function("document.querySelectorAll('[id^=saved-] .text-success').length === 53", timeout=90000)
    # The status line settles once the last queued save has answered.
    expect(page.locator("#save-state")).to_have_text("已保存", timeout=30000)
    # Resume where left: a reload opens with every score kept.
    page.reload()
    assert page.locator("#sheet-filled").inner_text() == "53"
    page.get_by_role("button", name="提交评估表").click()  # the confirm dialog is accepted by the fixture
    taps += 1
    page.wait_for_url(live_server.url + reverse("assessments:evaluation_detail", args=[evaluation.pk]))
    sheet.refresh_from_db()
    assert sheet.status == "submitted" and sheet.total == 100
    assert taps <= 60
