"""Archive instead of delete (#14): an archived object leaves every list, the API and
the reports; restoring brings it back; only the purge command deletes, and only
archived rows."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse

from archive import services
from audit.models import AuditEvent
from organizations.access import organizations_for_user
from projects.access import projects_for_user
from projects.models import Application, Project
from reports import selectors as report_selectors
from reports import services as report_services
from reports.access import reports_for_user
from tests.projects.fixtures import _eager_celery, build, funding_round, review_form, second_reviewer  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(build):
    application = build(Application.Status.APPROVED, title="归档测试项目", amount=Decimal("50000"))
    return Project.objects.get(application=application)


def _report_filters(places):
    return report_selectors.Filters(region=places.city)


def test_an_archived_project_leaves_lists_api_and_reports_and_restore_brings_it_back(
        project, cast, client_for, places):
    bureau = client_for("city_bureau")
    before = set(report_selectors.projects_in(_report_filters(places)).values_list("pk", flat=True))
    assert project.pk in before

    response = bureau.post(reverse("archive:archive_object", args=["project", project.pk]), {"reason": "重复录入"},
                           follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("archive:archived_list"))
    project.refresh_from_db()
    assert project.is_archived and project.archived_by == cast["city_bureau"] and project.archive_reason == "重复录入"
    assert AuditEvent.objects.filter(action="archive.archive", object_id=str(project.pk), reason="重复录入").exists()

    assert not projects_for_user(cast["city_bureau"]).filter(pk=project.pk).exists()
    assert "归档测试项目" not in bureau.get(reverse("projects:project_list")).content.decode()
    api_ids = [row["id"] for row in bureau.get("/api/projects/").json()["results"]]
    assert project.pk not in api_ids
    assert bureau.get(reverse("projects:project_detail", args=[project.pk])).status_code == 404
    assert project.pk not in set(report_selectors.projects_in(_report_filters(places)).values_list("pk", flat=True))
    # The agency's own view drops it too.
    assert client_for("agency").get(reverse("projects:project_detail", args=[project.pk])).status_code == 404

    listing = bureau.get(reverse("archive:archived_list") + "?kind=project").content.decode()
    assert "归档测试项目" in listing and "重复录入" in listing
    api = bureau.get("/api/archive/?kind=project").json()
    assert [row["id"] for row in api["results"]] == [project.pk]

    response = bureau.post(reverse("archive:restore_object", args=["project", project.pk]))
    assert response.status_code == 302
    project.refresh_from_db()
    assert not project.is_archived
    assert bureau.get(reverse("projects:project_detail", args=[project.pk])).status_code == 200
    assert AuditEvent.objects.filter(action="archive.restore", object_id=str(project.pk)).exists()


def test_the_archive_button_shows_only_to_the_funder(project, client_for):
    url = reverse("archive:archive_object", args=["project", project.pk])
    assert url in client_for("city_bureau").get(reverse("projects:project_detail", args=[project.pk])).content.decode()
    page = client_for("district_bureau").get(reverse("projects:project_detail", args=[project.pk]))
    assert page.status_code == 200 and url not in page.content.decode()
    # A city round: the district bureau sees the project but does not fund it.
    assert client_for("district_bureau").get(url).status_code == 403
    assert client_for("agency").get(url).status_code == 403
    assert client_for("other_district_bureau").get(url).status_code == 404


def test_a_reason_is_required(project, client_for):
    bureau = client_for("city_bureau")
    response = bureau.post(reverse("archive:archive_object", args=["project", project.pk]), {"reason": ""})
    assert response.status_code == 200 and "归档原因" in response.content.decode()
    response = bureau.post(f"/api/archive/project/{project.pk}/", {"reason": ""}, content_type="application/json")
    assert response.status_code == 400 and "reason" in response.json()
    project.refresh_from_db()
    assert not project.is_archived


def test_archive_and_restore_through_the_api(project, client_for):
    bureau = client_for("city_bureau")
    response = bureau.post(f"/api/archive/project/{project.pk}/", {"reason": "误建"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["archive_reason"] == "误建"
    assert bureau.get(f"/api/projects/{project.pk}/").status_code == 404
    assert client_for("community").get("/api/archive/?kind=project").status_code == 403
    assert bureau.post(f"/api/archive/project/{project.pk}/restore/").status_code == 200
    assert bureau.get(f"/api/projects/{project.pk}/").status_code == 200
    assert bureau.get("/api/archive/?kind=nonsense").status_code == 400


def test_an_archived_organisation_and_report_leave_their_lists(cast, organizations, places):
    bureau = cast["city_bureau"]
    rongxiang = organizations["rongxiang"]
    services.archive(obj=rongxiang, actor=bureau, reason="注销")
    assert not organizations_for_user(bureau).filter(pk=rongxiang.pk).exists()
    report = report_services.report_request(actor=bureau, kind="progress", format="csv", region=places.dujiangyan)
    services.archive(obj=report, actor=bureau, reason="重复申请")
    assert not reports_for_user(bureau).filter(pk=report.pk).exists()
    with pytest.raises(PermissionDenied):
        services.archive(obj=organizations["lelin"], actor=cast["street"], reason="x")


def test_purge_refuses_without_a_superuser_and_never_touches_live_rows(project, cast, admin_user_obj):
    with pytest.raises(PermissionDenied):
        services.purge(actor=cast["city_bureau"], older_than_days=0, commit=True)
    with pytest.raises(CommandError):
        call_command("purge_archived", "--older-than", "0", "--user", "city_bureau", "--commit")
    result = services.purge(actor=admin_user_obj, older_than_days=0, commit=True)
    assert result["objects"] == 0 and result["counts"] == {}
    assert Project.objects.filter(pk=project.pk).exists()


def test_purge_is_a_dry_run_by_default_then_removes_and_audits_counts(project, cast, admin_user_obj):
    services.archive(obj=project, actor=cast["city_bureau"], reason="误建")
    dry = services.purge(actor=admin_user_obj, older_than_days=0)
    assert dry["objects"] == 1 and dry["counts"]["projects.Project"] == 1
    assert Project.objects.filter(pk=project.pk).exists()
    assert not AuditEvent.objects.filter(action="archive.purge").exists()
    # Archived today: not older than 30 days.
    assert services.purge(actor=admin_user_obj, older_than_days=30, commit=True)["objects"] == 0

    call_command("purge_archived", "--older-than", "0", "--user", "admin", "--commit")
    assert not Project.objects.filter(pk=project.pk).exists()
    event = AuditEvent.objects.get(action="archive.purge")
    assert event.data["counts"]["projects.Project"] == 1 and event.data["counts"]["projects.Tranche"] == 3


def test_purge_skips_an_archived_row_that_would_take_a_live_one_with_it(project, cast, admin_user_obj):
    application = project.application
    services.archive(obj=application, actor=cast["city_bureau"], reason="误建")
    result = services.purge(actor=admin_user_obj, older_than_days=0, commit=True)
    assert result["objects"] == 0 and result["skipped"]
    assert Application.objects.filter(pk=application.pk).exists() and Project.objects.filter(pk=project.pk).exists()
