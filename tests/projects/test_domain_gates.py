"""Gates from the domain: screening waits for the community's opinion (then goes on with
a recorded reason); approving less than requested sends the project to a budget
adjustment before the agreement."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from notifications.models import Notification
from projects import services
from projects.models import Application, Project

pytestmark = pytest.mark.django_db
S = Application.Status


def submitted_without_opinion(build, cast):
    application = build(S.DRAFT)
    return services.application_submit(application=application, actor=cast["agency"])


def test_submission_asks_the_community_for_its_opinion(build, cast):
    application = submitted_without_opinion(build, cast)
    note = Notification.objects.get(user=cast["community"], kind="endorsement_requested")
    due = services.endorsement_due(application)
    assert application.title in note.title and f"{due:%Y-%m-%d}" in note.body
    assert not Notification.objects.filter(user=cast["other_community"], kind="endorsement_requested").exists()
    # An application that already has the opinion asks nobody.
    build(S.SUBMITTED, title="已有意见")
    assert Notification.objects.filter(kind="endorsement_requested").count() == 1


def test_screening_waits_for_the_opinion_then_goes_on_with_a_reason(build, cast):
    application = submitted_without_opinion(build, cast)
    bureau = cast["city_bureau"]
    due = services.endorsement_due(application)
    assert due == timezone.localdate() + datetime.timedelta(days=application.round.endorsement_wait_days)
    with pytest.raises(ValidationError, match="正在等待"):
        services.application_screen(application=application, actor=bureau, passed=True, reason="急", today=due)
    after = due + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="逾期未填写社区意见"):
        services.application_screen(application=application, actor=bureau, passed=True, today=after)
    application = services.application_screen(application=application, actor=bureau, passed=True,
                                              reason="社区书记外出培训，已电话确认支持", today=after)
    assert application.status == S.IN_REVIEW
    assert AuditEvent.objects.get(action="application.screen_pass").reason == "社区书记外出培训，已电话确认支持"


def test_the_round_sets_the_wait(build, cast, funding_round):
    funding_round.endorsement_wait_days = 0
    funding_round.save()
    application = submitted_without_opinion(build, cast)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert services.application_screen(application=application, actor=cast["city_bureau"], passed=True,
                                       reason="不再等待", today=tomorrow).status == S.IN_REVIEW


@pytest.fixture
def cut(build, cast):
    """Requested 90,000, approved 60,000."""
    application = build(S.IN_REVIEW)
    services.application_decide(application=application, actor=cast["city_bureau"], decision="approve",
                                reason="压缩规模", approved_amount=Decimal("60000"))
    return Project.objects.get(application=application)


def lines(*amounts):
    return [{"category": "activities", "description": f"活动{i}", "amount": Decimal(a)} for i, a in enumerate(amounts)]


def test_no_agreement_until_the_budget_fits_the_approved_amount(cut, cast, client_for):
    assert services.needs_budget_adjustment(cut)
    with pytest.raises(ValidationError, match="调整预算"):
        services.agreement_sign(project=cut, actor=cast["city_bureau"], signed_on=datetime.date(2016, 5, 1))
    page = client_for("agency").get(reverse("projects:project_detail", args=[cut.pk])).content.decode()
    assert "须先调整预算" in page and reverse("projects:budget_adjust", args=[cut.pk]) in page
    with pytest.raises(ValidationError, match="须等于立项金额"):
        services.budget_adjust(project=cut, actor=cast["agency"], budget_lines=lines("50000", "20000"))
    with pytest.raises(PermissionDenied):
        services.budget_adjust(project=cut, actor=cast["city_bureau"], budget_lines=lines("60000"))
    services.budget_adjust(project=cut, actor=cast["agency"], budget_lines=lines("40000", "20000"))
    assert not services.needs_budget_adjustment(cut)
    # The submitted budget stays readable in the first revision; the adjusted one is the next.
    revisions = list(cut.application.revisions.order_by("number"))
    assert "80000" in revisions[0].content["budget"] and "40000" in revisions[-1].content["budget"]
    signed = services.agreement_sign(project=cut, actor=cast["city_bureau"], signed_on=datetime.date(2016, 5, 1))
    assert signed.status == Project.Status.ACTIVE
    with pytest.raises(ValidationError, match="不能再调整"):
        services.budget_adjust(project=cut, actor=cast["agency"], budget_lines=lines("60000"))


def test_budget_adjustment_page(cut, client_for):
    url = reverse("projects:budget_adjust", args=[cut.pk])
    client = client_for("agency")
    assert client_for("city_bureau").get(url).status_code == 403
    page = client.get(url).content.decode()
    assert 'data-target="60000.00"' in page and "budget-lines.js" in page
    form = {"budget-TOTAL_FORMS": "2", "budget-INITIAL_FORMS": "0", "budget-MIN_NUM_FORMS": "0",
            "budget-MAX_NUM_FORMS": "1000",
            "budget-0-category": "activities", "budget-0-description": "活动", "budget-0-amount": "50000",
            "budget-0-cofunding_amount": "0", "budget-1-category": "personnel", "budget-1-description": "劳务",
            "budget-1-amount": "20000", "budget-1-cofunding_amount": "0"}
    response = client.post(url, form)
    assert response.status_code == 400 and "须等于立项金额" in response.content.decode()
    assert 'value="50000"' in response.content.decode()  # what was typed stays
    form["budget-1-amount"] = "10000"
    assert client.post(url, form).status_code == 302
    assert not services.needs_budget_adjustment(cut)


def test_agency_home_lists_the_budget_to_adjust(cut, client_for):
    queue = {g.title: g.count for g in client_for("agency").get("/").context["projects_queue"]}
    assert queue["待调整预算（立项金额少于申请）"] == 1
