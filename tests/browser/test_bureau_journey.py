"""The bureau's daily job at phone and tablet sizes, counting the clicks: from the home
page's work queue, screen → assign → decide (confirm) → sign → pay (confirm)."""

import pytest
from django.urls import reverse

from projects.models import Application, Project
from tests.projects import fixtures
from tests.projects.fixtures import _eager_celery, build, funding_round, review_form, second_reviewer  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [{"width": 768, "height": 1024}, {"width": 360, "height": 740}],
                         ids=["tablet", "phone"])
def test_screen_assign_decide_pay(as_user, live_server, cast, build, viewport):
    application = build(Application.Status.SUBMITTED, title="活力夜经济")
    page = as_user("city_bureau")
    page.set_viewport_size(viewport)
    clicks = 0

    def click(locator):
        nonlocal clicks
        locator.click()
        clicks += 1

    page.goto(live_server.url + "/")
    queue = page.locator(".work-queue[data-queue='待形式审查']")
    assert queue.locator(".badge").inner_text() == "1"
    click(queue.get_by_role("link", name="活力夜经济 · ", exact=False))
    click(page.get_by_label("通过，进入专家评审"))
    click(page.get_by_role("button", name="提交审查结论"))
    assert page.locator("#application-status").inner_text() == "专家评审中"
    click(page.locator("form[action$='/assign/']").get_by_label("reviewer", exact=True))
    click(page.get_by_role("button", name="分配", exact=True))
    fixtures.score_sheet(application.review_sheets.get(), 9)  # the reviewer's part, not the bureau's

    page.reload()
    click(page.get_by_label("立项", exact=True))
    page.get_by_label("结论理由").fill("需求扎实，同意立项")
    click(page.get_by_role("button", name="保存结论"))
    assert "90,000.00 元" in page.locator("#confirm-summary").inner_text()
    click(page.get_by_role("button", name="确认办理"))
    assert page.locator("#application-status").inner_text() == "已立项"

    project = Project.objects.get(application=application)
    page.goto(live_server.url + reverse("projects:project_detail", args=[project.pk]))
    click(page.get_by_role("button", name="登记", exact=True))  # the agreement, dated today by default
    page.get_by_label("拨付批次").select_option(index=1)
    page.get_by_label("金额（元）").fill("45000")
    page.get_by_label("凭证号").fill("CDMZ-1")
    click(page.get_by_role("button", name="登记拨付"))
    assert "45,000.00 元" in page.locator("#confirm-summary").inner_text()
    click(page.get_by_role("button", name="确认办理"))
    assert page.locator("#disbursed").inner_text() == "45,000.00"
    assert Project.objects.get(pk=project.pk).disbursed_amount == 45000
    assert clicks <= 12, clicks
