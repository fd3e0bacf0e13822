"""The benchmark's seeding stays runnable and consistent (timings live in `make bench`,
never in tests)."""

import dataclasses

import pytest
from django.db.models import Sum

from places.models import Community, Region
from places.reporting import Filters, report_kinds
from projects.models import Activity, Project
from reports import bench, selectors

pytestmark = pytest.mark.django_db


def test_tiny_seed_is_consistent_and_pages_answer(db):
    data = bench.seed(dataclasses.replace(bench.SCALES["tiny"], communities=3100))
    assert Project.objects.count() == 8
    accepted = Activity.objects.filter(report__status="accepted").aggregate(d=Sum("direct_participations"))["d"]
    assert Project.objects.aggregate(d=Sum("direct_participations"))["d"] == accepted
    # Synthesised communities are marked, and the dashboard roll-up matches the report.
    assert Community.objects.count() == 3100
    assert Community.objects.filter(official_name=bench.SYNTHETIC, name__startswith="合成").exists()
    city = Region.objects.get(level=Region.Level.CITY)
    assert selectors.participation_by_month_rollup(city) == selectors.participation_by_month(
        Filters(region=city))
    pages = bench.measure_pages(data, repeat=1)
    assert all(row["queries"] > 0 for row in pages), pages
    reports = bench.measure_reports()
    assert {(r["report"], r["format"]) for r in reports} == {(k.code, f) for k in report_kinds(per_project=False)
                                                            for f in ("xlsx", "xlsx-openpyxl", "pdf")}


def test_province_is_ten_cities_and_shrinks_by_factor():
    province, city = bench.SCALES["province"], bench.SCALES["city"]
    assert province.activities == 10 * city.activities
    assert province.evaluations * 3 * 53 == 6_360_000
    smaller = province.times(0.2)
    assert (smaller.communities, smaller.activities, smaller.rounds) == (6000, 160000, province.rounds)
