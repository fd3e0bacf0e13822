"""The benchmark's seeding stays runnable and consistent (timings live in `make bench`,
never in tests)."""

import pytest
from django.db.models import Sum

from projects.models import Activity, Project
from reports import bench

pytestmark = pytest.mark.django_db


def test_tiny_seed_is_consistent_and_pages_answer(db):
    data = bench.seed(bench.SCALES["tiny"])
    assert Project.objects.count() == 8
    accepted = Activity.objects.filter(report__status="accepted").aggregate(d=Sum("direct_participations"))["d"]
    assert Project.objects.aggregate(d=Sum("direct_participations"))["d"] == accepted
    pages = bench.measure_pages(data, repeat=1)
    assert all(row["queries"] > 0 for row in pages), pages
    reports = bench.measure_reports()
    assert {(r["report"], r["format"]) for r in reports} == {(k, f) for k in ("funding", "progress", "evaluation")
                                                            for f in ("xlsx", "pdf")}
