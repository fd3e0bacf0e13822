"""The coverage report (营造行动覆盖率): the same figures as the coverage page, for a
report's region, registered as a report kind (places.reporting)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from places.models import Region
from places.reporting import COUNT, PERCENT, TEXT, Filters, ReportData, ReportKind, Table, register_report_kind
from places.reporting import subtitle as scope_subtitle

from .selectors import coverage_report, uncovered_communities


def _row(row, *labels) -> list:
    return [
        *labels,
        row.total,
        row.covered,
        row.uncovered,
        row.percent,
        row.target,
        _("—") if row.meets_target is None else (_("达标") if row.meets_target else _("未达标")),
    ]


def _columns(*labels) -> list[tuple[str, str]]:
    return [
        *((label, TEXT) for label in labels),
        (_("社区数"), COUNT),
        (_("已开展"), COUNT),
        (_("未开展"), COUNT),
        (_("覆盖率%"), PERCENT),
        (_("目标%"), PERCENT),
        (_("是否达标"), TEXT),
    ]


def coverage_data(filters: Filters) -> ReportData:
    year = filters.year or timezone.localdate().year
    district = filters.region if filters.region.level == Region.Level.DISTRICT else None
    report = coverage_report(region=filters.region, year=year, district=district)
    data = ReportData(
        title=_("%(r)s社区营造行动覆盖率（%(y)s 年）") % {"r": filters.region.name, "y": year},
        subtitle=scope_subtitle(filters, now=timezone.localtime()),
    )
    city = report.city
    data.summary = [
        (_("社区数"), city.total, COUNT),
        (_("已开展营造行动"), city.covered, COUNT),
        (_("覆盖率（%）"), city.percent, PERCENT),
        (_("年度目标（%）"), city.target, PERCENT),
    ]
    data.tables.append(
        Table(
            _("覆盖口径"),
            [(_("来源"), TEXT), (_("说明"), TEXT)],
            [[str(rule.label), str(rule.definition)] for rule in report.rules],
            note=_("一个社区在当年满足任一口径即计为已开展营造行动。"),
        )
    )
    data.tables.append(Table(_("按区县"), _columns(_("区（市）县")), [_row(r, r.name) for r in report.districts]))
    if district is not None:
        data.tables.append(Table(_("按街道"), _columns(_("街道/乡镇")), [_row(r, r.name) for r in report.streets]))
    data.tables.append(
        Table(
            _("尚未开展的社区"),
            [(_("区（市）县"), TEXT), (_("街道/乡镇"), TEXT), (_("社区"), TEXT), (_("区划代码"), TEXT)],
            # Four columns straight from the query: no Community objects (3,000 rows at city scale).
            [
                list(row)
                for row in uncovered_communities(region=filters.region, year=year).values_list(
                    "street__parent__name", "street__name", "name", "code"
                )
            ],
        )
    )
    data.charts.append(
        {"title": _("覆盖率（按区县，%）"), "bars": [(r.name, r.percent or 0) for r in report.districts]}
    )
    return data


def register() -> None:
    register_report_kind(ReportKind("coverage", gettext_lazy("营造行动覆盖率"), coverage_data, order=40))
