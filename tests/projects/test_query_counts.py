"""The bureau's pages cost the same number of queries at two data sizes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import Application
from tests.projects.fixtures import score_sheet

pytestmark = pytest.mark.django_db
S = Application.Status


def count(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


def grow(build, cast, places, n):
    communities = [places.gaoqiao, places.nanqiao, places.jiahonglu]
    for i in range(n):
        application = build(S.IN_REVIEW, title=f"申报{i}", community=communities[i % 3],
                            reviewers=[cast["reviewer"]])
        score_sheet(application.review_sheets.get(), 5 + i % 5)
    build(S.APPROVED, title="已立项", community=places.nanqiao)


@pytest.mark.parametrize("role,url_name,params", [
    ("city_bureau", "review_queue", {"ordering": "-score"}),
    ("city_bureau", "application_list", {}),
    ("agency", "application_list", {}),
    ("community", "application_list", {}),
    ("reviewer", "review_list", {}),
    ("city_bureau", "project_list", {}),
    ("city_bureau", "round_list", {}),
])
def test_lists(build, cast, places, client_for, funding_round, role, url_name, params):
    url = reverse(f"projects:{url_name}", args=[funding_round.pk] if url_name == "review_queue" else [])
    client = client_for(role)
    grow(build, cast, places, 2)
    small = count(client, url, params)
    grow(build, cast, places, 12)
    # session, user, role scope, memberships, unread count, count(*), one page with its
    # related rows and SQL aggregates (+ status counts on the queue)
    assert count(client, url, params) == small


@pytest.mark.parametrize("url", ["/api/applications/", "/api/review-sheets/", "/api/projects/", "/api/rounds/"])
def test_api_lists(build, cast, places, client_for, url):
    client = client_for("city_bureau")
    grow(build, cast, places, 2)
    small = count(client, url)
    grow(build, cast, places, 12)
    assert count(client, url) == small


def test_application_page_does_not_grow_with_sheets_and_lines(build, cast, places, client_for, second_reviewer):
    from projects import services

    application = build(S.IN_REVIEW, reviewers=[cast["reviewer"]])
    url = reverse("projects:application_detail", args=[application.pk])
    client = client_for("city_bureau")
    small = count(client, url)
    services.review_assign(applications=[application], reviewers=[second_reviewer], actor=cast["city_bureau"])
    for sheet in application.review_sheets.all():
        score_sheet(sheet, 8)
    assert count(client, url) == small
