"""A double submit creates one object: the form's one-time token and the API's
Idempotency-Key are stored under a unique constraint, and a replay gets the first answer."""

import datetime
import re

import pytest
from django.urls import reverse

from idempotency.models import IdempotencyKey
from organizations.models import Organization
from projects import services as project_services
from projects.models import Activity, Application, Project
from reports.models import Report

pytestmark = pytest.mark.django_db
TOKEN = "0f4c1c5e9d2b4a8f9e6d3c2b1a098765"


@pytest.fixture
def filing_report(build, cast):
    project = Project.objects.get(application=build(Application.Status.APPROVED))
    project_services.agreement_sign(project=project, actor=cast["city_bureau"], signed_on=datetime.date(2016, 3, 10))
    return project.progress_reports.order_by("number").first()


def activity_post(report, token=TOKEN, title="坝坝会"):
    return {"_once": token, "held_on": report.period_start.isoformat(), "title": title,
            "kind": Activity.Kind.COURTYARD_MEETING, "direct_participations": 30, "indirect_beneficiaries": 90,
            "volunteers": 2}


def test_the_page_issues_a_one_time_token_with_each_create_form(filing_report, client_for):
    page = client_for("agency").get(reverse("projects:progress_detail", args=[filing_report.pk])).content.decode()
    tokens = re.findall(r'name="_once" value="([0-9a-f]{32})"', page)
    assert len(tokens) >= 2 and len(set(tokens)) == len(tokens)  # activity and expense forms, each its own


def test_a_double_submitted_activity_is_created_once(filing_report, client_for):
    client = client_for("agency")
    url = reverse("projects:activity_add", args=[filing_report.pk])
    first = client.post(url, activity_post(filing_report))
    second = client.post(url, activity_post(filing_report))
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Activity.objects.filter(report=filing_report).count() == 1
    follow = client.get(second["Location"]).content.decode()
    assert "该表单已经提交过，没有重复创建。" in follow
    # A new page, a new token: a second activity on purpose is created.
    assert client.post(url, activity_post(filing_report, token="1" * 32, title="院坝会")).status_code == 302
    assert Activity.objects.filter(report=filing_report).count() == 2


def test_a_form_with_errors_can_be_corrected_and_sent_with_the_same_token(filing_report, client_for):
    client = client_for("agency")
    url = reverse("projects:activity_add", args=[filing_report.pk])
    bad = client.post(url, {**activity_post(filing_report), "title": ""})
    assert bad.status_code in (200, 400) and not IdempotencyKey.objects.exists()
    assert client.post(url, activity_post(filing_report)).status_code == 302
    assert Activity.objects.filter(report=filing_report).count() == 1


def test_tokens_are_per_user(filing_report, client_for, cast, organizations):
    # Another user replaying someone's token gets no answer of theirs: their own request runs.
    client_for("agency").post(reverse("projects:activity_add", args=[filing_report.pk]), activity_post(filing_report))
    IdempotencyKey.objects.get(user=cast["agency"])
    response = client_for("city_bureau").post(reverse("organizations:organization_create"), {
        "_once": TOKEN, "name": "新机构", "kind": Organization.objects.first().kind})
    assert response.status_code in (200, 400)  # the bureau's own (incomplete) form, not the agency's redirect


def test_api_replay_with_the_same_key_returns_the_same_body(cast, places, client_for,
                                                            django_capture_on_commit_callbacks):
    client = client_for("city_bureau")
    payload = {"kind": "funding", "format": "csv", "region": places.city.pk}
    with django_capture_on_commit_callbacks(execute=False):
        first = client.post("/api/reports/", payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY=TOKEN)
        second = client.post("/api/reports/", payload, content_type="application/json",
                             HTTP_IDEMPOTENCY_KEY=TOKEN)
    assert first.status_code == second.status_code == 202
    assert second.content == first.content and second["Idempotent-Replayed"] == "true"
    assert Report.objects.count() == 1


def test_a_successful_api_create_stores_its_answer(cast, client_for, places):
    client = client_for("city_bureau")
    first = client.post("/api/reports/", {"kind": "progress", "format": "xlsx", "region": places.city.pk},
                        content_type="application/json", HTTP_IDEMPOTENCY_KEY="key-" + "a" * 20)
    assert first.status_code == 202
    assert IdempotencyKey.objects.get().status_code == 202


def test_a_malformed_api_key_is_refused_in_chinese(client_for, places):
    response = client_for("city_bureau").post("/api/reports/", {"kind": "funding", "format": "csv",
                                                                "region": places.city.pk},
                                              content_type="application/json", HTTP_IDEMPOTENCY_KEY="x")
    assert response.status_code == 400 and "幂等键" in response.json()["detail"]
    assert not Report.objects.exists()


def test_a_failed_api_create_does_not_keep_the_key(client_for, places):
    client = client_for("city_bureau")
    bad = client.post("/api/reports/", {"kind": "nonsense", "format": "csv"}, content_type="application/json",
                      HTTP_IDEMPOTENCY_KEY=TOKEN)
    assert bad.status_code == 400 and not IdempotencyKey.objects.exists()


def test_every_shared_form_page_issues_a_one_time_token():
    """The create pages of councils, public funds, the programme and the commons render
    through their app's shared form template: each carries the token, so a double
    submit there is replayed like anywhere else (the public-fund forms lacked it)."""
    from pathlib import Path

    from django.conf import settings

    shared = [Path(settings.BASE_DIR, "templates", "includes", "form_page.html"),
              *Path(settings.BASE_DIR, "templates").glob("*/form.html")]
    assert len(shared) >= 5
    missing = [p.relative_to(settings.BASE_DIR).as_posix() for p in shared
               if 'method="post"' in p.read_text(encoding="utf-8") and "{% once_token %}" not in p.read_text(
                   encoding="utf-8")]
    assert missing == []
