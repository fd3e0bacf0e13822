"""The evaluator's and the agency's home pages list their evaluation work."""

import pytest

pytestmark = pytest.mark.django_db


def queue(response) -> dict:
    return {group.title: group for group in response.context["assessments_queue"]}


def test_evaluator_home_lists_open_sheets_with_date_and_progress(evaluation, client_for):
    response = client_for("evaluator").get("/")
    group = queue(response)["待完成的评估表"]
    assert group.count == 1
    assert group.items[0].due == evaluation.scheduled_on
    total = evaluation.rubric.categories.values("indicators").count()
    assert f"已评 0 / {total} 项" in response.content.decode()


def test_bureau_home_lists_evaluations_to_publish(evaluation, client_for):
    assert queue(client_for("city_bureau").get("/"))["待发布的评估"].count == 0
    assert "待完成的评估表" not in queue(client_for("agency").get("/"))
