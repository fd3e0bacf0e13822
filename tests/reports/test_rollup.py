"""The dashboard's month chart reads the participation roll-up that progress
acceptance keeps; its figures equal the report's, which sum every accepted activity."""

import datetime

import pytest
from django.urls import reverse

from places.reporting import Filters
from projects import services
from projects.models import Activity, Application, ParticipationRollup, Project
from reports import selectors
from reports.dashboards import continuous_months

pytestmark = pytest.mark.django_db
D = datetime.date


def accept_with_activities(report, cast, figures):
    services.progress_save(report=report, actor=cast["agency"], data={"progress": "按计划推进"})
    for day, direct in figures:
        held_on = report.period_start + datetime.timedelta(day)
        services.activity_add(report=report, actor=cast["agency"], held_on=held_on, title="坝坝会",
                              kind=Activity.Kind.COURTYARD_MEETING, direct_participations=direct,
                              indirect_beneficiaries=direct * 3, volunteers=2)
    services.progress_submit(report=report, actor=cast["agency"])
    return services.progress_accept(report=report, actor=cast["city_bureau"])


@pytest.fixture
def accepted(build, cast, places):
    """Two projects in two districts' communities; some reports accepted, one only
    submitted (its activities must not count)."""
    projects = []
    for community in (places.gaoqiao, places.jiahonglu):
        project = Project.objects.get(application=build(Application.Status.APPROVED, community=community))
        projects.append(services.agreement_sign(project=project, actor=cast["city_bureau"], signed_on=D(2016, 3, 10)))
    first, second = (list(p.progress_reports.order_by("number")) for p in projects)
    accept_with_activities(first[0], cast, [(0, 10), (3, 20), (15, 7)])
    accept_with_activities(first[1], cast, [(1, 5)])
    accept_with_activities(second[0], cast, [(2, 11)])
    services.progress_save(report=second[1], actor=cast["agency"], data={"progress": "草稿"})
    services.activity_add(report=second[1], actor=cast["agency"], held_on=second[1].period_start, title="未审核",
                          kind=Activity.Kind.COURTYARD_MEETING, direct_participations=999,
                          indirect_beneficiaries=0, volunteers=0)
    return projects


def test_rollup_equals_the_report_for_the_city_and_each_district(accepted, places):
    assert ParticipationRollup.objects.exists()
    city = Filters(region=places.city)
    assert selectors.participation_by_month_rollup(places.city) == selectors.participation_by_month(city)
    assert sum(v for _m, v in selectors.participation_by_month(city)) == 10 + 20 + 7 + 5 + 11
    for district in {places.gaoqiao.street.parent, places.jiahonglu.street.parent}:
        report = selectors.participation_by_month(Filters(region=district))
        assert report, district
        assert selectors.participation_by_month_rollup(district) == report
    since = D(2016, 4, 1)
    assert (selectors.participation_by_month_rollup(places.city, since=since)
            == selectors.participation_by_month(city, since=since))


def test_dashboard_month_chart_shows_the_rollup(accepted, places, client_for, time_machine):
    time_machine.move_to(datetime.datetime(2016, 12, 15, 12, 0))
    charts = client_for("city_bureau").get(reverse("home")).context["charts"]
    chart = next(c for c in charts if c["kind"] == "line")
    # The chart shows every month of the year (empty ones as 0), figures from the roll-up.
    report = continuous_months(selectors.participation_by_month(Filters(region=places.city),
                                                                since=D(2016, 1, 1)), D(2016, 1, 1), D(2016, 12, 15))
    assert chart["labels"] == [f"{m:%Y-%m}" for m, _v in report]
    assert chart["values"] == [float(v) for _m, v in report]
