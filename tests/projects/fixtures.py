"""Rounds and applications built through the services, as the product builds them."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Role
from projects import services
from projects.demo import load_default_review_form
from projects.models import Application, TrancheRule
from tests.conftest import make_user

TRANCHES = [(Decimal("50"), TrancheRule.Trigger.AGREEMENT), (Decimal("30"), TrancheRule.Trigger.MIDTERM),
            (Decimal("20"), TrancheRule.Trigger.FINAL)]


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    from shequ.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def review_form(db):
    return load_default_review_form()


@pytest.fixture
def funding_round(cast, places, review_form):
    now = timezone.now()
    return services.round_create(
        actor=cast["city_bureau"], tranches=TRANCHES, name="2016年市级社区营造示范项目", year=2016, funder=places.city,
        total_budget=Decimal("20000000"), per_project_cap=Decimal("100000"), per_community_cap=Decimal("300000"),
        opens_at=now - datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=30),
        review_form=review_form)


@pytest.fixture
def second_reviewer(cast):
    user = make_user("reviewer2")
    account_services.role_assign(user=user, role=Role.REVIEWER, actor=cast["admin"])
    return user


def fill(application, actor, amount=Decimal("90000"), **overrides):
    data = {
        "summary": "夜间经济带动社区治理",
        "dimensions": ["people", "livelihood"],
        "leverage_point": "industry",
        "needs_methods": ["home_visits", "courtyard_meeting"],
        "needs_findings": "走访 120 户",
        "goals": "培育 2 支自组织",
        "strategy": "骨干带动",
        "activity_plan": "3-12 月",
        "starts_on": datetime.date(2016, 3, 1),
        "ends_on": datetime.date(2016, 12, 31),
        "project_lead": "周社工",
        "social_workers": "周、吴",
        "university_expert": "刘教授",
        "senior_supervisor": "黄老师",
    }
    data.update(overrides)
    lines = [{"category": "activities", "description": "活动", "amount": amount - Decimal("10000")},
             {"category": "personnel", "description": "劳务", "amount": Decimal("10000"),
              "cofunding_amount": Decimal("5000"), "cofunding_source": "self_raised"}]
    return services.application_update(application=application, actor=actor, data=data, budget_lines=lines)


@pytest.fixture
def build(cast, places, organizations, funding_round, second_reviewer):
    """build(status) → an application brought to that status through the services."""

    def _build(status=Application.Status.DRAFT, *, community=None, amount=Decimal("90000"), title="活力夜经济",
               funding_round_=None, reviewers=None, agency="agency"):
        community = community or places.gaoqiao
        actor = cast[agency]
        organization = organizations["rongxiang" if agency == "agency" else "lelin"]
        application = services.application_create(actor=actor, funding_round=funding_round_ or funding_round,
                                                  organization=organization, community=community, title=title)
        fill(application, actor, amount)
        if status == Application.Status.DRAFT:
            return application
        if status == Application.Status.WITHDRAWN:
            return services.application_withdraw(application=application, actor=actor)
        staff = _community_staff(cast, places, community)
        services.application_endorse(application=application, actor=staff, endorsement="support")
        application = services.application_submit(application=application, actor=actor)
        if status == Application.Status.SUBMITTED:
            return application
        bureau = cast["city_bureau"]
        if status == Application.Status.RETURNED:
            return services.application_screen(
                application=application, actor=bureau, passed=False, reason="补充预算说明"
            )
        application = services.application_screen(application=application, actor=bureau, passed=True)
        if reviewers:
            services.review_assign(applications=[application], reviewers=reviewers, actor=bureau)
        if status == Application.Status.IN_REVIEW:
            return application
        decision = {"approved": "approve", "rejected": "reject"}[status]
        return services.application_decide(application=application, actor=bureau, decision=decision, reason="评审结论")

    return _build


def _community_staff(cast, places, community):
    if community == places.gaoqiao:
        return cast["community"]
    if community == places.jiahonglu:
        return cast["other_community"]
    from accounts.models import User

    user = User.objects.filter(username=f"staff-{community.code}").first() or make_user(f"staff-{community.code}")
    account_services.role_assign(user=user, role=Role.COMMUNITY, community=community, actor=cast["admin"])
    return user


def score_sheet(sheet, points, recommendation="approve"):
    scores = {s.criterion_id: (Decimal(points), "") for s in sheet.scores.all()}
    services.review_save(sheet=sheet, actor=sheet.reviewer, scores=scores, recommendation=recommendation)
    return services.review_submit(sheet=sheet, actor=sheet.reviewer)
