import datetime
from decimal import Decimal

import pytest

from accounts import services as account_services
from accounts.models import Role
from assessments import services
from assessments.demo import load_default_rubric
from projects.models import Application, Project
from tests.conftest import make_user


@pytest.fixture
def rubric(db):
    return load_default_rubric()


@pytest.fixture
def evaluators(cast):
    users = [cast["evaluator"]]
    for name in ("evaluator2", "evaluator3"):
        user = make_user(name)
        account_services.role_assign(user=user, role=Role.EVALUATOR, actor=cast["admin"])
        users.append(user)
    return users


@pytest.fixture
def project(build, cast):
    from projects import services as project_services

    project = Project.objects.get(application=build(Application.Status.APPROVED))
    return project_services.agreement_sign(project=project, actor=cast["city_bureau"],
                                           signed_on=project.starts_on)


@pytest.fixture
def evaluation(project, cast, rubric, evaluators):
    return services.evaluation_create(project=project, actor=cast["city_bureau"], stage="midterm",
                                      scheduled_on=datetime.date(2016, 9, 1), place="高桥社区",
                                      evaluators=evaluators, lead_evaluator=evaluators[0])


def score_all(sheet, points_for, submit=True):
    """points_for(indicator) → Decimal."""
    scores = {
        row.indicator_id: {"score": points_for(row.indicator)} for row in sheet.scores.select_related("indicator")
    }
    services.sheet_save(sheet=sheet, actor=sheet.evaluator, scores=scores)
    return services.sheet_submit(sheet=sheet, actor=sheet.evaluator) if submit else sheet


def full(indicator):
    return indicator.max_score


def ratio(value):
    return lambda indicator: (indicator.max_score * Decimal(value))
