"""The application lifecycle: every transition allowed and refused, by state and by role."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from projects import services
from projects.models import Application, ApplicationRevision
from projects.workflows import application_machine

pytestmark = pytest.mark.django_db
S = Application.Status


def run(action, application, cast):
    applicant, bureau = cast["agency"], cast["city_bureau"]
    if action == "submit":
        return services.application_submit(application=application, actor=applicant)
    if action == "withdraw":
        return services.application_withdraw(application=application, actor=applicant)
    if action == "screen_pass":
        return services.application_screen(application=application, actor=bureau, passed=True)
    if action == "screen_return":
        return services.application_screen(application=application, actor=bureau, passed=False, reason="补充")
    return services.application_decide(application=application, actor=bureau, decision=action, reason="结论")


@pytest.mark.parametrize("status", S.values)
@pytest.mark.parametrize("action", list(application_machine.by_name))
def test_transition_allowed_only_from_its_sources(action, status, build, cast):
    application = build(status)
    transition = application_machine.by_name[action]
    if status in transition.sources:
        moved = run(action, application, cast)
        assert moved.status == transition.target
        event = AuditEvent.objects.filter(object_type="projects.application", object_id=str(application.pk)).first()
        assert (event.action, event.from_state, event.to_state) == (f"application.{action}", status, transition.target)
    else:
        with pytest.raises(ValidationError) as exc:
            run(action, application, cast)
        assert "不能" in exc.value.messages[0]
        assert Application.objects.get(pk=application.pk).status == status


@pytest.mark.parametrize("role", ["street", "community", "reviewer", "other_agency", "outsider", "city_bureau"])
def test_only_the_applicant_submits(role, build, cast):
    application = build(S.DRAFT)
    services.application_endorse(application=application, actor=cast["community"], endorsement="support")
    with pytest.raises(PermissionDenied):
        services.application_submit(application=application, actor=cast[role])
    assert Application.objects.get(pk=application.pk).status == S.DRAFT


@pytest.mark.parametrize("role,allowed", [
    ("admin", True), ("city_bureau", True), ("district_bureau", False), ("other_district_bureau", False),
    ("street", False), ("community", False), ("agency", False), ("reviewer", False),
])
def test_only_the_funder_screens_and_decides(role, allowed, build, cast):
    """A city round is the city bureau's: a district bureau reads it but does not decide."""
    submitted = build(S.SUBMITTED)
    in_review = build(S.IN_REVIEW, title="二号")
    if allowed:
        assert services.application_screen(application=submitted, actor=cast[role], passed=True).status == S.IN_REVIEW
        assert services.application_decide(application=in_review, actor=cast[role], decision="reject",
                                           reason="x").status == S.REJECTED
    else:
        with pytest.raises(PermissionDenied):
            services.application_screen(application=submitted, actor=cast[role], passed=True)
        with pytest.raises(PermissionDenied):
            services.application_decide(application=in_review, actor=cast[role], decision="reject", reason="x")


def test_district_bureau_decides_its_own_district_round(build, cast, places, review_form):
    now = timezone.now()
    district_round = services.round_create(
        actor=cast["district_bureau"], tranches=[(Decimal("100"), "agreement")], name="都江堰市社区营造", year=2016,
        funder=places.dujiangyan, total_budget=Decimal("1000000"), per_project_cap=Decimal("100000"),
        per_community_cap=Decimal("300000"), opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=10), review_form=review_form)
    application = build(S.SUBMITTED, funding_round_=district_round)
    assert services.application_screen(application=application, actor=cast["district_bureau"],
                                       passed=True).status == S.IN_REVIEW


def test_district_round_refuses_communities_elsewhere(cast, places, organizations, review_form):
    now = timezone.now()
    district_round = services.round_create(
        actor=cast["district_bureau"], tranches=[(Decimal("100"), "agreement")], name="都江堰市社区营造", year=2016,
        funder=places.dujiangyan, total_budget=Decimal("1000000"), per_project_cap=Decimal("100000"),
        per_community_cap=Decimal("300000"), opens_at=now, closes_at=now + datetime.timedelta(days=10),
        review_form=review_form)
    with pytest.raises(ValidationError, match="不在本轮资助范围"):
        services.application_create(actor=cast["agency"], funding_round=district_round,
                                    organization=organizations["rongxiang"], community=places.jiahonglu, title="x")


def test_district_bureau_cannot_open_a_round_for_another_district(cast, places, review_form):
    now = timezone.now()
    with pytest.raises(PermissionDenied):
        services.round_create(
            actor=cast["district_bureau"], tranches=[(Decimal("100"), "agreement")], name="x", year=2016,
            funder=places.jinjiang, total_budget=Decimal("1"), per_project_cap=Decimal("1"),
            per_community_cap=Decimal("1"), opens_at=now, closes_at=now + datetime.timedelta(days=1),
            review_form=review_form)


def test_tranches_must_sum_to_100(cast, places, review_form):
    now = timezone.now()
    with pytest.raises(ValidationError, match="100%"):
        services.round_create(
            actor=cast["city_bureau"], tranches=[(Decimal("50"), "agreement"), (Decimal("30"), "final")], name="x",
            year=2016, funder=places.city, total_budget=Decimal("100"), per_project_cap=Decimal("10"),
            per_community_cap=Decimal("30"), opens_at=now, closes_at=now + datetime.timedelta(days=1),
            review_form=review_form)


def test_submission_outside_the_window_is_refused(build, cast, funding_round):
    application = build(S.DRAFT)
    services.application_endorse(application=application, actor=cast["community"], endorsement="support")
    with (
        time_machine.travel(funding_round.closes_at + datetime.timedelta(minutes=1)),
        pytest.raises(ValidationError, match="不在申报时间内"),
    ):
        services.application_submit(application=application, actor=cast["agency"])
    with (
        time_machine.travel(funding_round.opens_at - datetime.timedelta(minutes=1)),
        pytest.raises(ValidationError, match="不在申报时间内"),
    ):
        services.application_submit(application=application, actor=cast["agency"])
    assert Application.objects.get(pk=application.pk).status == S.DRAFT


def test_a_returned_application_may_come_back_after_the_deadline(build, cast, funding_round):
    application = build(S.RETURNED)
    with time_machine.travel(funding_round.closes_at + datetime.timedelta(days=3)):
        assert services.application_submit(application=application, actor=cast["agency"]).status == S.SUBMITTED


def test_missing_parts_are_named(cast, funding_round, organizations, places):
    application = services.application_create(actor=cast["agency"], funding_round=funding_round,
                                              organization=organizations["rongxiang"], community=places.gaoqiao,
                                              title="空白申报书")
    with pytest.raises(ValidationError) as exc:
        services.application_submit(application=application, actor=cast["agency"])
    message = exc.value.messages[0]
    for part in ("项目概述", "营造维度", "营造支点", "需求调研方法", "实施策略", "高校专家", "资深督导", "预算明细"):
        assert part in message
    assert "项目名称" not in message


def test_request_over_the_project_cap_cannot_be_submitted(build, cast):
    application = build(S.DRAFT, amount=Decimal("100000.01"))
    with pytest.raises(ValidationError, match="单项目上限"):
        services.application_submit(application=application, actor=cast["agency"])


def test_resubmission_keeps_every_revision_and_diffs_only_what_changed(build, cast):
    from projects.revisions import diff

    application = build(S.RETURNED)
    services.application_update(application=application, actor=cast["agency"], data={"strategy": "商家联盟+时间银行"})
    services.application_submit(application=application, actor=cast["agency"])
    first, second = ApplicationRevision.objects.filter(application=application).order_by("number")
    assert (first.number, second.number) == (1, 2)
    assert first.content["strategy"] == "骨干带动"
    changes = diff(first.content, second.content)
    assert [(c["label"], c["old"], c["new"]) for c in changes] == [("实施策略", "骨干带动", "商家联盟+时间银行")]


def test_submitted_content_cannot_be_edited(build, cast):
    application = build(S.SUBMITTED)
    with pytest.raises(ValidationError, match="不能修改"):
        services.application_update(application=application, actor=cast["agency"], data={"title": "改名"})


def test_screening_pass_needs_the_community_endorsement(cast, funding_round, organizations, places):
    from tests.projects.fixtures import fill

    application = services.application_create(actor=cast["agency"], funding_round=funding_round,
                                              organization=organizations["rongxiang"], community=places.gaoqiao,
                                              title="无社区意见")
    fill(application, cast["agency"])
    services.application_submit(application=application, actor=cast["agency"])
    with pytest.raises(ValidationError, match="社区意见"):
        services.application_screen(application=application, actor=cast["city_bureau"], passed=True)


def test_only_the_communitys_staff_endorse(build, cast):
    application = build(S.DRAFT)
    with pytest.raises(PermissionDenied):
        services.application_endorse(application=application, actor=cast["other_community"], endorsement="support")
    with pytest.raises(ValidationError, match="理由"):
        services.application_endorse(application=application, actor=cast["community"], endorsement="oppose")


def test_return_needs_a_reason(build, cast):
    with pytest.raises(ValidationError):
        services.application_screen(application=build(S.SUBMITTED), actor=cast["city_bureau"], passed=False,
                                    reason=" ")


def test_notifications_follow_the_workflow(build, cast, mailoutbox, django_capture_on_commit_callbacks):
    from notifications.models import Notification
    from notifications.services import set_email_preferences
    from projects.notification_kinds import NotificationKind

    cast["city_bureau"].email = "bureau@example.org"
    cast["city_bureau"].save()
    cast["agency"].email = "agency@example.org"
    cast["agency"].save()
    set_email_preferences(user=cast["agency"], enabled_kinds=set())  # the agency turned e-mail off
    with django_capture_on_commit_callbacks(execute=True):
        application = build(S.RETURNED)
    assert Notification.objects.filter(user=cast["city_bureau"], kind=NotificationKind.APPLICATION_SUBMITTED).exists()
    assert Notification.objects.filter(user=cast["agency"], kind=NotificationKind.APPLICATION_RETURNED,
                                       body="补充预算说明").exists()
    recipients = [m.to[0] for m in mailoutbox]
    assert "bureau@example.org" in recipients and "agency@example.org" not in recipients
    assert application.status == S.RETURNED
