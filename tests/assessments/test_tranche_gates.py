"""Tranches with conditions from the domain: the first on the agreement, the second after
the mid-term evaluation is published, the last after 结项 — set per round (TrancheRule)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import services
from projects import gates
from projects import services as project_services
from projects.models import Project
from tests.assessments.test_evaluation import close
from tests.projects.test_progress import fill_and_submit

pytestmark = pytest.mark.django_db


def pay(project, cast, order, voucher):
    tranche = project.tranches.get(order=order)
    return project_services.disbursement_record(project=project, tranche=tranche, amount=tranche.amount,
                                                paid_on=project.agreement_signed_on, voucher_number=voucher,
                                                actor=cast["city_bureau"])


def test_second_tranche_waits_for_the_published_midterm(evaluation, evaluators, cast, client_for):
    project = evaluation.project
    pay(project, cast, 1, "V1")
    with pytest.raises(ValidationError, match="中期评估尚未发布"):
        pay(project, cast, 2, "V2")
    # The page says it at the tranche field, before any confirmation.
    response = client_for("city_bureau").post(reverse("projects:project_disburse", args=[project.pk]), {
        "tranche": project.tranches.get(order=2).pk, "amount": "27000", "paid_on": "2016-09-02",
        "voucher_number": "V2"})
    assert response.status_code == 400 and "中期评估尚未发布" in response.content.decode()
    evaluation = close(evaluation, evaluators, "0.8")
    with pytest.raises(ValidationError, match="中期评估尚未发布"):
        pay(project, cast, 2, "V2")  # closed for scoring is not published
    services.evaluation_publish(evaluation=evaluation, actor=cast["city_bureau"], feedback="良好")
    pay(project, cast, 2, "V2")
    assert Project.objects.get(pk=project.pk).disbursed_amount == Decimal("72000")


def test_last_tranche_waits_for_the_project_to_close(project, cast):
    pay(project, cast, 1, "V1")
    with pytest.raises(ValidationError, match="结项后"):
        pay(project, cast, 3, "V3")
    for report in project.progress_reports.order_by("number"):
        project_services.progress_accept(report=fill_and_submit(report, cast), actor=cast["city_bureau"])
    project = project_services.project_close(project=project, actor=cast["city_bureau"])
    pay(project, cast, 3, "V3")  # a closed project still receives its final tranche
    assert Project.objects.get(pk=project.pk).disbursed_amount == Decimal("63000")


def test_a_trigger_without_a_check_is_refused(project, cast, monkeypatch):
    monkeypatch.setattr(gates, "_checks", {})
    with pytest.raises(ValidationError, match="尚无核验规则"):
        pay(project, cast, 1, "V1")
