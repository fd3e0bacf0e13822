"""The progress report: accepted activities by area, agency and month, filing on time,
self-organisations, rectification, and the residents' side."""

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.models import SelfOrganization
from places.reporting import COUNT, PERCENT, TEXT, Filters, ReportData, Table
from places.reporting import subtitle as scope_subtitle
from projects.models import (
    Project,
    Rectification,
)

from ..governance import residents_table
from ..selectors import (
    ACTIVITY_COLUMNS,
    ACTIVITY_SUMS,
    accepted_activities,
    area_groupings,
    filing_summary,
    participation_by_month,
    progress_summary,
    projects_in,
    totals_row,
)


def progress_report(filters: Filters, today: datetime.date | None = None) -> ReportData:
    today = today or timezone.localdate()
    projects = projects_in(filters)
    data = ReportData(
        title=_("%(r)s社区营造项目进度报告") % {"r": filters.region.name},
        subtitle=scope_subtitle(filters, now=timezone.localtime()),
    )
    figures = progress_summary(filters)
    filing = filing_summary(filters, today)
    data.summary = [
        (_("活动场次"), figures["n"], COUNT),
        (_("直接参与人次"), figures["direct"], COUNT),
        (_("间接服务人次"), figures["indirect"], COUNT),
        (_("志愿者人次"), figures["volunteers"], COUNT),
        (_("应报进度报告"), filing["due"], COUNT),
        (_("按期提交"), filing["on_time"], COUNT),
        (_("逾期提交"), filing["late"], COUNT),
        (_("逾期未交"), filing["missing"], COUNT),
    ]
    statuses = dict(Project.Status.choices)
    data.tables.append(
        Table(
            _("项目状态"),
            [(_("状态"), TEXT), (_("项目数"), COUNT)],
            [
                [str(statuses.get(row["status"], row["status"])), row["n"]]
                for row in projects.order_by("status").values("status").annotate(n=Count("id"))
            ],
        )
    )
    activities = accepted_activities(filters)
    for name, keys, labels in (
        *area_groupings(),
        (_("按机构"), ["report__project__organization__name"], [(_("机构"), TEXT)]),
        (_("按月份"), ["month"], [(_("月份"), TEXT)]),
    ):
        source = activities.annotate(month=TruncMonth("held_on")) if keys == ["month"] else activities
        rows = [
            [
                *(row[k] if k != "month" else f"{row[k]:%Y-%m}" for k in keys),
                row["n"],
                row["direct"] or 0,
                row["indirect"] or 0,
                row["volunteers"] or 0,
            ]
            for row in source.order_by(*keys).values(*keys).annotate(**ACTIVITY_SUMS)
        ]
        data.tables.append(
            Table(name, [*labels, *ACTIVITY_COLUMNS], rows, totals_row(rows, len(labels)) if rows else None)
        )
    stage_labels = dict(SelfOrganization.Stage.choices)
    selforgs = SelfOrganization.objects.filter(filters.community_q("community__"))
    data.tables.append(
        Table(
            _("居民自组织（按阶段）"),
            [(_("发展阶段"), TEXT), (_("数量"), COUNT), (_("成员人数"), COUNT)],
            [
                [str(stage_labels[row["stage"]]), row["n"], row["members"] or 0]
                for row in selforgs.order_by("stage").values("stage").annotate(n=Count("id"), members=Sum("members"))
            ],
        )
    )
    rect_rows = []
    for row in (
        Rectification.objects.filter(filters.community_q("community__"))
        .order_by("community__street__parent__name")
        .values("community__street__parent__name")
        .annotate(raised=Count("id"), fixed=Count("id", filter=Q(status=Rectification.Status.FIXED)))
    ):
        rate = (Decimal(row["fixed"] * 100) / row["raised"]).quantize(Decimal("0.1")) if row["raised"] else None
        rect_rows.append([row["community__street__parent__name"], row["raised"], row["fixed"], rate])
    data.tables.append(
        Table(
            _("整改（按区县）"),
            [(_("区（市）县"), TEXT), (_("提出"), COUNT), (_("已整改"), COUNT), (_("整改率%"), PERCENT)],
            rect_rows,
        )
    )
    data.charts.append(
        {"title": _("直接参与人次（按月）"), "bars": [(f"{m:%Y-%m}", v) for m, v in participation_by_month(filters)]}
    )
    return data


def progress_with_residents(filters: Filters) -> ReportData:
    data = progress_report(filters)
    data.tables.append(residents_table(filters, timezone.localdate()))
    return data
