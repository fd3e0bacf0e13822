"""Issue #13 findings 2–5, 7: what a role may not see it can't filter, order, read or follow a link to."""
import pytest

from projects.models import Application
from tests.projects.fixtures import (  # noqa: F401
    _eager_celery,
    build,
    funding_round,
    review_form,
    score_sheet,
    second_reviewer,
)

pytestmark = pytest.mark.django_db
S = Application.Status
API = "/api/applications/"


@pytest.fixture
def scored(build, cast, places, second_reviewer):
    """Two applications in review; the first reviewer has submitted both, the second none."""
    low = build(S.IN_REVIEW, title="低分", reviewers=[cast["reviewer"], second_reviewer])
    high = build(S.IN_REVIEW, title="高分", community=places.nanqiao, reviewers=[cast["reviewer"], second_reviewer])
    score_sheet(low.review_sheets.get(reviewer=cast["reviewer"]), 5)
    score_sheet(high.review_sheets.get(reviewer=cast["reviewer"]), 9)
    return low, high


@pytest.mark.parametrize("param", [{"score_min": "80"}, {"score_max": "60"}, {"ordering": "score"},
                                   {"ordering": "-score"}])
@pytest.mark.parametrize("role", ["agency", "community", "street", "district_bureau"])
def test_score_filters_are_refused_to_roles_that_cannot_see_scores(scored, client_for, role, param):
    response = client_for(role).get(API, param)
    assert response.status_code == 400, (role, param, response.content)
    assert "评审均分" in response.content.decode()


def test_reviewer_who_has_not_submitted_cannot_filter_by_score(scored, client_for, second_reviewer):
    from django.test import Client
    client = Client()
    client.force_login(second_reviewer)
    assert client.get(API, {"score_min": "80"}).status_code == 400
    assert client.get(API, {"ordering": "submitted"}).status_code == 200  # other orderings are fine


def test_funder_and_submitted_reviewer_may_filter_by_score(scored, client_for):
    low, high = scored
    titles = [row["title"] for row in client_for("city_bureau").get(API, {"ordering": "-score"}).json()["results"]]
    assert titles == ["高分", "低分"]
    response = client_for("reviewer").get(API, {"score_min": "80"})
    assert response.status_code == 200 and [r["title"] for r in response.json()["results"]] == ["高分"]


def test_invalid_filter_values_are_400(scored, client_for):
    client = client_for("city_bureau")
    assert client.get(API, {"score_min": "abc"}).status_code == 400
    assert client.get(API, {"status": "nonsense"}).status_code == 400
    assert client.get(API, {"ordering": "secret_field"}).status_code == 400
