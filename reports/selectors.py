"""The figures behind reports and dashboards — one set of functions, so a dashboard
and a report of the same scope always agree. Every figure is an SQL aggregate; the
number of queries does not depend on the number of projects. The reports built from
them are in `reports.kinds`."""

import datetime
from decimal import Decimal

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from assessments.models import Evaluation, Grade
from places.models import Region
from places.reporting import COUNT, PERCENT, TEXT, YUAN, Filters, ReportData, Table
from projects.models import Activity, ParticipationRollup, ProgressReport, Project
from web.archive import LIVE

__all__ = ["COUNT", "PERCENT", "TEXT", "YUAN", "Filters", "ReportData", "Table"]


def projects_in(filters: Filters) -> QuerySet[Project]:
    queryset = Project.objects.filter(filters.community_q("community__"), LIVE)
    if filters.round_id:
        queryset = queryset.filter(round_id=filters.round_id)
    if filters.year:
        queryset = queryset.filter(round__year=filters.year)
    if filters.agency_id:
        queryset = queryset.filter(organization_id=filters.agency_id)
    return queryset


def area_groupings() -> list[tuple[str, list[str], list[tuple[str, str]]]]:
    """(table name, the project's community path to group by, label columns) for the
    by-district, by-street and by-community tables every project report has."""
    district, street, community = _("区（市）县"), _("街道"), _("社区")
    path = ["community__street__parent__name", "community__street__name", "community__name"]
    return [(_("按区县"), path[:1], [(district, TEXT)]),
            (_("按街道"), path[:2], [(district, TEXT), (street, TEXT)]),
            (_("按社区"), path, [(district, TEXT), (street, TEXT), (community, TEXT)])]


MONEY_SUMS = {"approved": Sum("approved_amount"), "disbursed": Sum("disbursed_amount"), "spent": Sum("spent_amount"),
              "n": Count("id")}


def value_rows(queryset, names: list[str]) -> list[tuple]:
    """The rows of a `values()` queryset as tuples in `names` order. On PostgreSQL
    straight from the cursor: for text, integer and numeric columns psycopg2 already
    returns str, int and Decimal, which is all Django's converters would give, and
    skipping them and the row dicts makes a report's big tables ~2.5× cheaper to read
    (docs/benchmarks.md). Only for such columns (not JSON, not dates). Elsewhere (SQLite
    keeps decimals as REAL) through Django."""
    if connection.vendor != "postgresql":
        return [tuple(row[name] for name in names) for row in queryset]
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        position = {column[0]: index for index, column in enumerate(cursor.description)}
        rows = cursor.fetchall()
    order = [position[name] for name in names]
    if order == list(range(len(order))) and len(order) == len(position):
        return rows
    return [tuple(row[i] for i in order) for row in rows]


def money_rows(queryset, keys: list[str]) -> list[list]:
    rows = queryset.order_by(*keys).values(*keys).annotate(**MONEY_SUMS)
    width, zero = len(keys), Decimal("0")
    return [[*row[:width], row[width + 3], row[width] or zero, row[width + 1] or zero, row[width + 2] or zero]
            for row in value_rows(rows, [*keys, "approved", "disbursed", "spent", "n"])]


def totals_row(rows: list[list], label_columns: int) -> list:
    total = [str(_("合计")), *([""] * (label_columns - 1))]
    for index in range(label_columns, len(rows[0]) if rows else label_columns):
        total.append(sum((row[index] for row in rows), Decimal("0") if isinstance(rows[0][index], Decimal) else 0))
    return total


MONEY_COLUMNS = [(_("项目数"), COUNT), (_("立项金额"), YUAN), (_("已拨付"), YUAN), (_("已支出"), YUAN)]


def funding_summary(filters: Filters) -> dict:
    """Headline money figures for the scope; the dashboard shows the same."""
    figures = projects_in(filters).aggregate(**MONEY_SUMS)
    return {key: (value or (Decimal("0") if key != "n" else 0)) for key, value in figures.items()}


def funding_by_district(filters: Filters) -> list[list]:
    return money_rows(projects_in(filters), ["community__street__parent__name"])


def participation_by_month(filters: Filters, since: datetime.date | None = None) -> list[tuple[datetime.date, int]]:
    activities = accepted_activities(filters)
    if since:
        activities = activities.filter(held_on__gte=since)
    return [(row["month"], row["direct"] or 0) for row in activities.annotate(month=TruncMonth("held_on"))
            .order_by("month").values("month").annotate(direct=Sum("direct_participations"))]


def participation_by_month_rollup(region: Region, since: datetime.date | None = None
                                  ) -> list[tuple[datetime.date, int]]:
    """The same figures as participation_by_month for a whole city or district, read
    from the roll-up that progress acceptance keeps (a few rows per month, not every
    activity). `since` must be the first of a month for the two to agree."""
    rows = ParticipationRollup.objects.all()
    if region.level == Region.Level.DISTRICT:
        rows = rows.filter(district=region)
    if since:
        rows = rows.filter(month__gte=since)
    return [(row["month"], row["direct"] or 0) for row in rows.order_by("month").values("month")
            .annotate(direct=Sum("direct_participations"))]


def accepted_activities(filters: Filters) -> QuerySet[Activity]:
    """Only accepted reports count (the progress issue's rule)."""
    activities = Activity.objects.filter(report__status=ProgressReport.Status.ACCEPTED,
                                         report__project__in=projects_in(filters))
    if filters.period_start:
        activities = activities.filter(held_on__gte=filters.period_start)
    if filters.period_end:
        activities = activities.filter(held_on__lte=filters.period_end)
    return activities


ACTIVITY_SUMS = {"n": Count("id"), "direct": Sum("direct_participations"), "indirect": Sum("indirect_beneficiaries"),
                 "volunteers": Sum("volunteers")}
ACTIVITY_COLUMNS = [(_("活动场次"), COUNT), (_("直接参与人次"), COUNT), (_("间接服务人次"), COUNT),
                    (_("志愿者人次"), COUNT)]


def progress_summary(filters: Filters) -> dict:
    """Accepted activity totals. Without a period these are the projects' running
    totals (kept by progress_accept in the acceptance transaction, so they equal the
    sums of accepted activities) — one pass over projects instead of every activity."""
    if not (filters.period_start or filters.period_end):
        figures = projects_in(filters).aggregate(n=Sum("activities_count"), direct=Sum("direct_participations"),
                                                 indirect=Sum("indirect_beneficiaries"), volunteers=Sum("volunteers"))
    else:
        figures = accepted_activities(filters).aggregate(**ACTIVITY_SUMS)
    return {key: value or 0 for key, value in figures.items()}


def filing_summary(filters: Filters, today: datetime.date) -> dict:
    reports = ProgressReport.objects.filter(project__in=projects_in(filters), due_on__lte=today)
    if filters.period_start:
        reports = reports.filter(period_end__gte=filters.period_start)
    if filters.period_end:
        reports = reports.filter(period_end__lte=filters.period_end)
    return reports.aggregate(
        due=Count("id"),
        on_time=Count("id", filter=Q(submitted_at__isnull=False, submitted_at__date__lte=F("due_on"))),
        late=Count("id", filter=Q(submitted_at__date__gt=F("due_on"))),
        missing=Count("id", filter=Q(submitted_at__isnull=True, due_on__lt=today)),
    )


def published_evaluations(filters: Filters) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(LIVE, project__in=projects_in(filters), status=Evaluation.Status.PUBLISHED)


def grade_distribution(filters: Filters) -> list[tuple[str, int]]:
    counts = {row["grade"]: row["n"] for row in published_evaluations(filters).order_by()
              .values("grade").annotate(n=Count("id"))}
    return [(str(label), counts.get(code, 0)) for code, label in Grade.choices]
