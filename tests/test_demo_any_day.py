"""`make run` seeds the demo on whatever day a newcomer runs it. The demo derives every
date from today and from the periods the project generates, so it must seed — with the
sources' figures — on any day of the year, not only on the day it was written."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction

from places.demo import JIAHONGLU
from projects.models import Activity, Project, Rectification
from projects.services.supervision import rectification_rate
from shequ.demo import seed_demo


def sample_days(year: int = 2027) -> list[datetime.date]:
    """Every month's last seven days, the first of each month, 29 February of a leap
    year and the days around the year's turn: where period arithmetic breaks."""
    days = set()
    for month in range(1, 13):
        first = datetime.date(year, month, 1)
        next_first = datetime.date(year + (month == 12), month % 12 + 1, 1)
        days.add(first)
        days.update(next_first - datetime.timedelta(days=n) for n in range(1, 8))
    days.update({datetime.date(2028, 2, 29), datetime.date(2028, 3, 1), datetime.date(2026, 11, 29)})
    return sorted(days)


class Rollback(Exception):
    pass


@pytest.mark.parametrize("day", sample_days(), ids=str)
def test_demo_seeds_with_the_sources_figures(day, places):
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(9, 30)), tick=False):
        try:
            with transaction.atomic():
                seed_demo()
                project = Project.objects.get(title="活力夜经济 治理新动能")
                accepted = (project.activities_count, project.direct_participations, project.indirect_beneficiaries)
                assert accepted == (13, 2528, 10000)
                for activity in Activity.objects.filter(report__project=project).select_related("report"):
                    assert activity.report.period_start <= activity.held_on <= activity.report.period_end
                rate = rectification_rate(Rectification.objects.filter(community__code=JIAHONGLU))
                assert (rate["raised"], rate["fixed"], rate["rate"]) == (23, 19, Decimal("82.6"))
                raise Rollback
        except Rollback:
            pass


@pytest.mark.parametrize("frequency", ["monthly", "quarterly"])
def test_reporting_periods_tile_the_project_from_any_agreement_day(frequency):
    """Periods are contiguous, cover agreement → end exactly, and never cross a calendar
    month (or quarter) — for agreements signed on each sampled day, ending on each."""
    from projects.services.progress import report_periods

    months_per_period = 1 if frequency == "monthly" else 3
    for start in sample_days(2027):
        for end in (start, start + datetime.timedelta(days=1), datetime.date(2028, 2, 29), datetime.date(2028, 12, 31)):
            if end < start:
                continue
            periods = report_periods(start, end, frequency)
            assert periods[0][0] == start and periods[-1][1] == end
            for (_s, e), (next_s, _) in zip(periods, periods[1:], strict=False):
                assert next_s == e + datetime.timedelta(days=1)
            for s, e in periods:
                assert s <= e
                assert s.year == e.year and (s.month - 1) // months_per_period == (e.month - 1) // months_per_period
