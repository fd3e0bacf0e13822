"""The bureau home reads its figures from region snapshots (places.figures, issue #15):
one query per request, the same figures as the reports once refreshed, recomputed when
stale or from another day, refreshed by beat only for regions someone opened."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from places import figures
from places.models import FigureSnapshot
from places.reporting import Filters
from programme.selectors import coverage_report
from projects.models import Application, Project
from reports import selectors
from tests.projects.test_concurrency import race

A = Application.Status


@pytest.fixture
def approved(build, places):
    return [Project.objects.get(application=build(A.APPROVED, community=c, amount=Decimal(a), title=f"项目{i}"))
            for i, (c, a) in enumerate([(places.gaoqiao, "11111.11"), (places.jiahonglu, "44444.44")])]


def cards(page) -> dict:
    return {str(label): value for label, value, _kind in page.context["cards"]}


def snapshot_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("home")).status_code == 200
    return sum("places_figuresnapshot" in q["sql"] for q in ctx.captured_queries)


def test_the_home_computes_once_then_reads_one_row_per_region(approved, places, client_for):
    client = client_for("city_bureau")
    client.get(reverse("home"))
    assert set(FigureSnapshot.objects.filter(region=places.city).values_list("name", flat=True)) == {
        "bureau", "coverage"}
    assert snapshot_queries(client) == 1  # and nothing written: the snapshot is fresh
    page = client.get(reverse("home"))
    assert 'id="figures-at"' in page.content.decode()


def test_after_a_refresh_the_home_equals_the_report_figures(approved, build, places, cast, client_for):
    client = client_for("city_bureau")
    before = cards(client.get(reverse("home")))
    assert before["立项项目"] == 2
    Project.objects.get(application=build(A.APPROVED, community=places.nanqiao, amount=Decimal("33333.33"),
                                          title="新立项"))
    # Until beat refreshes, the page keeps the figures it says it counted at…
    assert cards(client.get(reverse("home"))) == before
    figures.refresh_all()
    # …then shows what the funding report computes, for the city and for a district.
    for user, region in (("city_bureau", places.city), ("district_bureau", places.dujiangyan)):
        page = client_for(user).get(reverse("home"))
        money = selectors.funding_summary(Filters(region=region))
        shown = cards(page)
        assert shown["立项项目"] == money["n"]
        assert shown["立项金额（万元）"] * 10000 == money["approved"]
        assert shown["已拨付（万元）"] * 10000 == money["disbursed"]
        assert shown["直接参与人次"] == selectors.progress_summary(Filters(region=region))["direct"]
        coverage = coverage_report(region=region, year=timezone.localdate().year, history=False)
        card = page.context["home_figures"]["coverage"]
        assert (card.city.total, card.city.covered) == (coverage.city.total, coverage.city.covered)
        assert [(r.name, r.total, r.covered) for r in card.districts] == [
            (r.name, r.total, r.covered) for r in coverage.districts]
    assert cards(client.get(reverse("home")))["立项项目"] == 3


def test_stale_and_yesterdays_snapshots_are_recomputed(approved, places):
    today = timezone.localdate()
    figures.read(places.city, today)
    old = timezone.now() - datetime.timedelta(seconds=figures.STALE_SECONDS + 1)
    FigureSnapshot.objects.update(computed_at=old)
    assert figures.read(places.city, today).computed_at > old
    FigureSnapshot.objects.update(as_of=today - datetime.timedelta(days=1))
    figures.read(places.city, today)
    assert set(FigureSnapshot.objects.values_list("as_of", flat=True)) == {today}


def test_beat_refreshes_only_the_regions_someone_opened(approved, places):
    assert figures.refresh_all() == 0
    figures.read(places.dujiangyan, timezone.localdate())
    assert figures.refresh_all() == 1
    assert set(FigureSnapshot.objects.values_list("region_id", flat=True)) == {places.dujiangyan.pk}

    from shequ.celery import app

    assert app.conf.beat_schedule["refresh-figures"]["task"] == "places.tasks.refresh_figures"
    assert app.conf.beat_schedule["refresh-figures"]["schedule"] == figures.REFRESH_SECONDS


def test_agencies_and_residents_see_no_bureau_figures(approved, client_for):
    for role in ("agency", "outsider"):
        context = client_for(role).get(reverse("home")).context
        assert "home_figures" not in context and not context.get("cards")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_readers_refreshing_the_same_region_at_once_both_succeed(build, places):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: nothing to race (CI runs this on PostgreSQL).")
    build(A.APPROVED, community=places.gaoqiao)
    today = timezone.localdate()
    results = race([lambda: figures.read(places.city, today) for _ in range(4)])
    assert all(isinstance(r, figures.Figures) for r in results), results
    assert FigureSnapshot.objects.filter(region=places.city).count() == 2
