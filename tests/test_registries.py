"""The registries that keep the lower apps from naming the higher ones."""

import pytest

from audit.models import AuditEvent
from audit.registry import registered_actions
from notifications.models import Notification, NotificationPreference
from notifications.registry import kind_codes
from notifications.services import notify
from projects.notification_kinds import NotificationKind
from web import sections

pytestmark = pytest.mark.django_db


def test_each_app_registers_its_audit_labels():
    actions = registered_actions()
    assert actions["community.merge"] == "并入其他社区"  # places
    assert actions["role.assign"] == "授予角色"  # accounts
    assert actions["application.submit"] == "提交申报"  # projects
    assert actions["report.request"] == "申请报表"  # reports
    assert AuditEvent(action="evaluation.published").action_label == "发布评估结果"
    assert AuditEvent(action="not.registered").action_label == "not.registered"


def test_notification_kinds_are_registered_not_choices():
    # A new kind is a registration in its app, never a migration of the notifications app.
    assert Notification._meta.get_field("kind").choices is None
    assert NotificationPreference._meta.get_field("kind").choices is None
    assert {NotificationKind.APPLICATION_SUBMITTED, "evaluation_published", "report_ready"} <= set(kind_codes())


def test_notify_refuses_an_unregistered_kind(cast):
    with pytest.raises(ValueError):
        notify(users=[cast["agency"]], kind="no_such_kind", title="x")
    assert notify(users=[cast["agency"]], kind=NotificationKind.APPLICATION_RETURNED, title="x")[0].pk


def test_assessments_adds_its_sections_to_the_project_page():
    templates = [s.template for s in sections.sections_for("project_detail")]
    assert "assessments/_project_evaluations.html" in templates
    assert [s.template for s in sections.sections_for("application_detail")] == ["assessments/_earlier_failures.html"]
    assert "organizations/_community_selforgs.html" in [s.template for s in sections.sections_for("community_detail")]
