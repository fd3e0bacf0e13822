"""The report jobs list and the rectification API list cost the same number of
queries at two sizes (ids-first pagination, web.pagination)."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects import services as project_services
from reports import services

pytestmark = pytest.mark.django_db


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def queue_reports(actor, region, years):
    for year in years:
        with transaction.atomic():
            services.report_request(actor=actor, kind="funding", format="xlsx", region=region, params={"year": year})


def test_report_jobs_list(cast, places, client_for):
    client = client_for("city_bureau")
    queue_reports(cast["city_bureau"], places.city, range(2016, 2018))
    small = count(client, reverse("reports:report_list"))
    queue_reports(cast["city_bureau"], places.city, range(2018, 2050))
    # session, user, role scope, regions for the form, count(*), page ids, page rows with region and requester
    assert count(client, reverse("reports:report_list")) == small


def test_rectification_lists(cast, places, client_for):
    client = client_for("city_bureau")

    def raise_items(n):
        for i in range(n):
            project_services.rectification_raise(actor=cast["community"], community=places.gaoqiao,
                                                 source="resident", owner="community", description=f"问题{i}",
                                                 due_on=datetime.date(2030, 1, 1))

    raise_items(2)
    small = [count(client, url) for url in (reverse("projects:rectification_list"), "/api/rectifications/")]
    raise_items(30)
    assert [count(client, url) for url in (reverse("projects:rectification_list"), "/api/rectifications/")] == small
