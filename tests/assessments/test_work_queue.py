"""The evaluator's and the agency's home pages list their evaluation work."""

import pytest
from django.urls import reverse

from assessments.models import Evaluation

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


def test_a_published_evaluation_can_be_unpublished_with_a_reason(evaluation, evaluators, cast, client_for):
    from assessments import services
    from tests.assessments.test_evaluation import close

    evaluation = close(evaluation, evaluators, "0.8")
    url = reverse("assessments:publish", args=[evaluation.pk])
    page = client_for("city_bureau").post(url, {"feedback": "总体良好"}).content.decode()
    assert "良好" in page and "80.00" in page  # the grade and total, before publishing
    assert Evaluation.objects.get(pk=evaluation.pk).status == Evaluation.Status.FEEDBACK
    client_for("city_bureau").post(url, {"feedback": "总体良好", "confirmed": "1"})
    assert Evaluation.objects.get(pk=evaluation.pk).status == Evaluation.Status.PUBLISHED
    unpublish = reverse("assessments:unpublish", args=[evaluation.pk])
    assert client_for("agency").get(unpublish).status_code == 403
    assert client_for("city_bureau").post(unpublish, {"reason": ""}).status_code == 400
    assert client_for("city_bureau").post(unpublish, {"reason": "反馈有误"}).status_code == 302
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.published_at) == (Evaluation.Status.FEEDBACK, None)
    services.evaluation_publish(evaluation=evaluation, actor=cast["city_bureau"], feedback="修改后")
    response = client_for("city_bureau").post(f"/api/evaluations/{evaluation.pk}/unpublish/", {"reason": "再改"})
    assert response.status_code == 200 and response.json()["status"] == "feedback"
