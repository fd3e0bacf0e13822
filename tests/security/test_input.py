"""Issue #13 strict input: bounded, finite, in scope, refused with 400 (or a message at the field) — never a 500."""
import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from organizations import selforgs
from projects import services
from projects.models import Activity, Application, Project, Rectification
from tests.projects.fixtures import (  # noqa: F401
    _eager_celery,
    build,
    funding_round,
    review_form,
    second_reviewer,
)

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def project(build, cast):
    application = build(Application.Status.APPROVED)
    project = Project.objects.get(application=application)
    return services.agreement_sign(project=project, actor=cast["city_bureau"], signed_on=D(2016, 3, 10))


@pytest.mark.parametrize("method, suffix", [("patch", ""), ("post", "submit/"), ("get", "")])
def test_non_numeric_ids_are_json_404(client_for, method, suffix):
    response = getattr(client_for("reviewer"), method)(f"/api/review-sheets/abc/{suffix}", {},
                                                        content_type="application/json")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_deeply_nested_json_is_400(client_for, build):
    application = build(Application.Status.DRAFT)
    body = "[" * 100_000 + "]" * 100_000
    response = client_for("agency").patch(f"/api/applications/{application.pk}/", body,
                                          content_type="application/json")
    assert response.status_code == 400
    nested = json.dumps({"title": {"a": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}})
    assert client_for("agency").patch(f"/api/applications/{application.pk}/", nested,
                                      content_type="application/json").status_code == 400


def test_rectification_with_a_project_is_created_not_500(project, client_for):
    response = client_for("city_bureau").post("/api/rectifications/", {
        "project": project.pk, "source": "supervision", "owner": "agency", "description": "台账不全",
        "due_on": "2016-06-30"}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert Rectification.objects.get(pk=response.json()["id"]).community == project.community


def test_empty_rectification_answer_is_refused(project, cast, client_for):
    item = services.rectification_raise(actor=cast["city_bureau"], community=project.community, project=project,
                                        source="supervision", owner="agency", description="台账不全",
                                        due_on=D(2016, 6, 30))
    response = client_for("agency").post(f"/api/rectifications/{item.pk}/respond/", {"plan": " ", "evidence": ""},
                                         content_type="application/json")
    assert response.status_code == 400
    assert Rectification.objects.get(pk=item.pk).plan == ""


@pytest.mark.parametrize("count", [2**31, 100_001, -1])
def test_participant_counts_are_bounded(project, client_for, count):
    report = project.progress_reports.get(number=1)
    response = client_for("agency").post(f"/api/progress-reports/{report.pk}/activities/", {
        "held_on": "2016-03-15", "title": "活动", "kind": "training", "direct_participations": count},
        content_type="application/json")
    assert response.status_code == 400, response.content
    assert not Activity.objects.exists()


def test_activity_cannot_name_another_communitys_self_organisation(project, cast, places):
    group = selforgs.selforg_create(actor=cast["other_community"], community=places.jiahonglu, name="外社区",
                                    category="other")
    from django.core.exceptions import ValidationError
    with pytest.raises(ValidationError, match="不是本社区"):
        services.activity_add(report=project.progress_reports.get(number=1), actor=cast["agency"],
                              self_organizations=[group], held_on=D(2016, 3, 15), title="x", kind="training")
    assert not Activity.objects.exists()


def test_long_text_is_refused(project, client_for):
    report = project.progress_reports.get(number=1)
    response = client_for("agency").patch(f"/api/progress-reports/{report.pk}/", {"progress": "长" * 5001},
                                          content_type="application/json")
    assert response.status_code == 400
    response = client_for("agency").post(f"/api/progress-reports/{report.pk}/activities/", {
        "held_on": "2016-03-15", "title": "活动", "kind": "training", "place": "地" * 201},
        content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize("starts, ends", [("2016-04-01", "9999-12-31"), ("2016-04-01", "2999-01-01"),
                                          ("1900-01-01", "2016-12-31"), ("2016-04-01", "2025-04-01")])
def test_implausible_project_dates_are_refused(build, client_for, starts, ends):
    application = build(Application.Status.DRAFT)
    before = Application.objects.values("starts_on", "ends_on").get(pk=application.pk)
    response = client_for("agency").patch(f"/api/applications/{application.pk}/",
                                          {"starts_on": starts, "ends_on": ends}, content_type="application/json")
    assert response.status_code == 400, response.content
    assert Application.objects.values("starts_on", "ends_on").get(pk=application.pk) == before


def test_round_caps_within_total_budget(funding_round, client_for):
    response = client_for("city_bureau").patch(f"/api/rounds/{funding_round.pk}/", {"total_budget": "50000"},
                                               content_type="application/json")
    assert response.status_code == 400
    funding_round.refresh_from_db()
    assert funding_round.total_budget == Decimal("20000000")


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_non_finite_decimals_are_refused(funding_round, client_for, value):
    response = client_for("city_bureau").patch(f"/api/rounds/{funding_round.pk}/", {"per_project_cap": value},
                                               content_type="application/json")
    assert response.status_code == 400


def test_households_not_more_than_population(places, client_for):
    response = client_for("community").patch(f"/api/communities/{places.gaoqiao.pk}/",
                                             {"population": 100, "households": 500}, content_type="application/json")
    assert response.status_code == 400


def test_invalid_filter_values_are_400(client_for):
    assert client_for("city_bureau").get("/api/evaluations/", {"status": "nonsense"}).status_code == 400
    assert client_for("city_bureau").get("/api/applications/", {"ordering": "nope"}).status_code == 400
    assert client_for("city_bureau").get("/api/projects/", {"ordering": "nope"}).status_code == 400


def test_unauthenticated_api_is_401_with_www_authenticate(client):
    response = client.get("/api/applications/")
    assert response.status_code == 401
    assert response.has_header("WWW-Authenticate")


def test_autosave_nan_is_refused_not_500(client_for):
    # The NaN case of the evaluation autosave lives with the sheet tests (tests/assessments); here, the page
    # parser refuses non-finite numbers before the service runs.
    from assessments.views import _parse_scores

    class Row:
        indicator_id = 1
    scores, errors = _parse_scores({"score_1": "NaN"}, [{"scores": [Row()]}])
    assert errors and not scores
    assert reverse("login")
