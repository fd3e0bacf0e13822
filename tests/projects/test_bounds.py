"""Bounded input (issue 14): a zero expense is a Chinese field error, not a constraint
name; a project with an implausible span generates no periods."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from projects import services
from projects.models import Application, Expense, Project
from projects.services.progress import report_periods

pytestmark = pytest.mark.django_db
D = datetime.date


def test_a_project_longer_than_five_years_generates_no_periods():
    assert len(report_periods(D(2020, 1, 1), D(2024, 12, 31), "monthly")) == 60
    with pytest.raises(ValidationError) as exc:
        report_periods(D(2020, 1, 1), D(2920, 1, 1), "monthly")
    assert "超过 5 年" in exc.value.message_dict["ends_on"][0]


def test_a_zero_expense_is_a_chinese_field_error(build, cast, client_for):
    project = Project.objects.get(application=build(Application.Status.APPROVED))
    services.agreement_sign(project=project, actor=cast["city_bureau"], signed_on=D(2016, 3, 10))
    report = project.progress_reports.order_by("number").first()
    line = project.application.budget_lines.first()
    response = client_for("agency").post(reverse("projects:expense_add", args=[report.pk]), {
        "budget_line": line.pk, "amount": "0", "spent_on": report.period_start.isoformat(), "voucher": "凭证-1"})
    page = response.content.decode()
    assert response.status_code in (200, 400)
    assert response.context["expense_form"].errors == {"amount": ["金额须大于 0。"]}
    assert "金额须大于 0" in page and "expense_amount_positive" not in page and "约束" not in page
    assert not Expense.objects.exists()
