"""Issue #13 findings 3–5, 7: unpublished results, contact details and reviewer identity."""
import pytest
from django.urls import reverse

from assessments.models import Evaluation
from audit import services as audit
from projects.models import Application
from reports.kinds import dossier as report_selectors
from tests.assessments.fixtures import evaluation, evaluators, project, ratio, rubric, score_all  # noqa: F401
from tests.projects.fixtures import (  # noqa: F401
    _eager_celery,
    build,
    funding_round,
    review_form,
    score_sheet,
    second_reviewer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_feedback(evaluation, evaluators):
    from assessments import services
    for e in evaluators:
        score_all(evaluation.sheets.get(evaluator=e), ratio("0.8"))
    evaluation = services.evaluation_close_scoring(evaluation=evaluation, actor=evaluators[0])
    assert evaluation.status == Evaluation.Status.FEEDBACK and evaluation.grade
    return evaluation


def test_non_funder_district_bureau_does_not_see_draft_results(in_feedback, client_for):
    """The round is the city's: the district bureau follows the evaluation but not its draft result."""
    client = client_for("district_bureau")
    detail = client.get(f"/api/evaluations/{in_feedback.pk}/").json()
    assert detail["total"] is None and detail["grade"] is None
    listed = client.get("/api/evaluations/").json()["results"]
    assert listed and all(row["total"] is None and row["grade"] is None for row in listed)
    assert client.get(f"/api/evaluations/{in_feedback.pk}/results/").status_code == 403
    page = client.get(reverse("assessments:evaluation_detail", args=[in_feedback.pk])).content.decode()
    assert 'id="evaluation-total"' not in page and "尚未公布" in page
    assert client.get("/api/evaluations/", {"grade": in_feedback.grade}).status_code == 400
    assert client.get("/api/evaluations/", {"ordering": "total"}).status_code == 400


def test_the_evaluated_agency_and_the_funder_see_draft_results(in_feedback, client_for):
    """By design: the agency answers the draft results in the feedback stage."""
    for role in ("agency", "city_bureau"):
        detail = client_for(role).get(f"/api/evaluations/{in_feedback.pk}/").json()
        assert detail["total"] is not None and detail["grade"] == in_feedback.grade, role
    assert client_for("city_bureau").get("/api/evaluations/", {"grade": in_feedback.grade}).status_code == 200


@pytest.mark.parametrize("role", ["street", "community", "supervisor", "reviewer", "district_bureau"])
def test_dossier_hides_unpublished_results(in_feedback, cast, role):
    data = report_selectors.dossier_report(in_feedback.project, viewer=cast[role])
    rows = next(t for t in data.tables if t.name == "评估").rows
    assert rows[0][3] is None and rows[0][4] == "未公布"


def test_dossier_shows_results_to_the_funder(in_feedback, cast):
    data = report_selectors.dossier_report(in_feedback.project, viewer=cast["city_bureau"])
    rows = next(t for t in data.tables if t.name == "评估").rows
    assert rows[0][3] == in_feedback.total


@pytest.mark.parametrize("role, sees", [("agency", True), ("district_bureau", True), ("city_bureau", True),
                                        ("other_agency", False), ("outsider", False), ("community", False),
                                        ("other_district_bureau", False), ("reviewer", False)])
def test_organization_contact_only_to_own_staff_and_its_bureau(organizations, client_for, role, sees):
    rongxiang = organizations["rongxiang"]
    data = client_for(role).get(f"/api/organizations/{rongxiang.pk}/").json()
    if sees:
        assert data["contact_phone"] == rongxiang.contact_phone
    else:
        assert data["contact_name"] is None and data["contact_phone"] is None
    listed = {row["id"]: row for row in client_for(role).get("/api/organizations/").json()["results"]}
    assert (listed[rongxiang.pk]["contact_phone"] is not None) == sees


@pytest.fixture
def reviewed(build, cast):
    application = build(Application.Status.IN_REVIEW, reviewers=[cast["reviewer"]])
    cast["reviewer"].real_name = "王评审"
    cast["reviewer"].save()
    # A reviewer acting on the application (e.g. declaring a conflict) leaves a row naming them.
    audit.record(actor=cast["reviewer"], obj=application, action="review.assign", reason="")
    score_sheet(application.review_sheets.get(), 8)
    return application


@pytest.mark.parametrize("role", ["agency", "community", "street"])
def test_reviewer_names_hidden_from_applicant_and_places(reviewed, client_for, role):
    page = client_for(role).get(reverse("projects:application_detail", args=[reviewed.pk])).content.decode()
    assert "王评审" not in page and "评审专家" in page


@pytest.mark.parametrize("role", ["city_bureau", "reviewer"])
def test_reviewer_names_shown_to_funder_and_reviewers(reviewed, client_for, role):
    page = client_for(role).get(reverse("projects:application_detail", args=[reviewed.pk])).content.decode()
    assert "王评审" in page


def test_dossier_history_hides_reviewer_names(reviewed, cast):
    from projects import services
    from projects.models import Project
    application = services.application_decide(application=reviewed, actor=cast["city_bureau"], decision="approve",
                                              reason="同意")
    project = Project.objects.get(application=application)
    rows = next(t for t in report_selectors.dossier_report(project, viewer=cast["agency"]).tables
                if t.name == "办理记录").rows
    assert all(row[1] != "王评审" for row in rows) and any(row[1] == "评审专家" for row in rows)
    rows = next(t for t in report_selectors.dossier_report(project, viewer=cast["city_bureau"]).tables
                if t.name == "办理记录").rows
    assert any(row[1] == "王评审" for row in rows)


def test_project_page_links_only_to_pages_the_viewer_can_open(in_feedback, client_for, cast):
    from projects import services
    project = in_feedback.project
    # The supervisor sees the project but neither its application nor the draft evaluation.
    services.supervisor_assign(project=project, supervisor=cast["supervisor"], position="social_worker",
                               actor=cast["city_bureau"])
    url = reverse("projects:project_detail", args=[project.pk])
    evaluation_url = reverse("assessments:evaluation_detail", args=[in_feedback.pk])
    application_url = reverse("projects:application_detail", args=[project.application_id])
    roles = ("street", "community", "supervisor", "evaluator", "city_bureau", "agency")
    for role in roles:
        client = client_for(role)
        response = client.get(url)
        assert response.status_code == 200, role  # every one of them sees the project page
        page = response.content.decode()
        for link in (evaluation_url, application_url):
            if f'href="{link}"' in page:
                assert client.get(link).status_code == 200, (role, link)
            else:
                assert client.get(link).status_code in (403, 404), (role, link)  # not drawn: can't open
    assert f'href="{evaluation_url}"' in client_for("city_bureau").get(url).content.decode()
