"""The public-service funds report: allocated, spent and balance by district, street and
community, household turnout, and the share of items the residents decided — a report
kind registered with places.reporting."""

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from places.models import Region
from places.reporting import (
    COUNT,
    PERCENT,
    TEXT,
    YUAN,
    Filters,
    ReportData,
    ReportKind,
    Table,
    register_report_kind,
)
from places.reporting import subtitle as scope_subtitle

from .models import FundItem, YearFund
from .selectors import Turnout, figures_by_area

AREA_COLUMNS = [
    (gettext_lazy("资金数"), COUNT),
    (gettext_lazy("核定金额"), YUAN),
    (gettext_lazy("已支出"), YUAN),
    (gettext_lazy("余额"), YUAN),
    (gettext_lazy("参与投票户数"), COUNT),
    (gettext_lazy("总户数"), COUNT),
    (gettext_lazy("投票率%"), PERCENT),
]


def funds_in(filters: Filters):
    return YearFund.objects.filter(filters.community_q("community__"))


def _area_rows(year: int, level: str, funds) -> list[list]:
    return [
        [
            r["name"],
            r["funds"],
            r["allocated"] or Decimal("0"),
            r["spent"] or Decimal("0"),
            r["balance"] or Decimal("0"),
            r["voted"],
            r["households"],
            r["turnout"],
        ]
        for r in figures_by_area(year, level, funds)
    ]


def _total(rows: list[list]) -> list | None:
    if not rows:
        return None
    voted, households = sum(r[5] for r in rows), sum(r[6] for r in rows)
    return [
        _("合计"),
        sum(r[1] for r in rows),
        sum(r[2] for r in rows),
        sum(r[3] for r in rows),
        sum(r[4] for r in rows),
        voted,
        households,
        Turnout(voted, households).percent,
    ]


def public_funds_data(filters: Filters) -> ReportData:
    year = filters.year or timezone.localdate().year
    funds = funds_in(filters)
    data = ReportData(
        title=_("%(r)s社区公共服务资金报告（%(y)s 年）") % {"r": filters.region.name, "y": year},
        subtitle=scope_subtitle(filters, now=timezone.localtime()),
    )
    levels = [("district", _("按区县"), _("区（市）县"))] if filters.region.level == Region.Level.CITY else []
    levels += [("street", _("按街道"), _("街道/乡镇")), ("community", _("按社区"), _("社区"))]
    for level, name, label in levels:
        rows = _area_rows(year, level, funds)
        data.tables.append(Table(name, [(label, TEXT), *AREA_COLUMNS], rows, _total(rows)))
    items = FundItem.objects.filter(fund__in=funds.filter(year=year))
    counts = items.aggregate(
        n=Count("pk"),
        decided=Count("pk", filter=Q(option__isnull=False)),
        cofunded=Count("pk", filter=Q(project__isnull=False)),
        budget=Sum("budget"),
        spent=Sum("spent"),
    )
    share = (Decimal(counts["decided"] * 100) / counts["n"]).quantize(Decimal("0.1")) if counts["n"] else None
    totals = _total(data.tables[0].rows) if data.tables and data.tables[0].rows else None
    data.summary = [
        (_("设立资金的社区"), totals[1] if totals else 0, COUNT),
        (_("核定金额（元）"), totals[2] if totals else Decimal("0"), YUAN),
        (_("已支出（元）"), totals[3] if totals else Decimal("0"), YUAN),
        (_("投票率（%）"), totals[7] if totals else None, PERCENT),
        (_("资金项目"), counts["n"], COUNT),
        (_("居民投票决定的项目占比（%）"), share, PERCENT),
        (_("与民政局项目配套"), counts["cofunded"], COUNT),
    ]
    uses = dict(FundItem._meta.get_field("use").choices)
    data.tables.append(
        Table(
            _("按用途"),
            [
                (_("用途"), TEXT),
                (_("项目数"), COUNT),
                (_("居民投票决定"), COUNT),
                (_("预算"), YUAN),
                (_("已支出"), YUAN),
            ],
            [
                [
                    str(uses.get(r["use"], r["use"])),
                    r["n"],
                    r["decided"],
                    r["budget"] or Decimal("0"),
                    r["spent"] or Decimal("0"),
                ]
                for r in items.order_by("use")
                .values("use")
                .annotate(
                    n=Count("pk"),
                    decided=Count("pk", filter=Q(option__isnull=False)),
                    budget=Sum("budget"),
                    spent=Sum("spent"),
                )
            ],
            note=_("居民投票决定：资金项目来自一户一票意见征集中的候选项目。"),
        )
    )
    at_step = dict(funds.filter(year=year).order_by().values_list("status").annotate(n=Count("pk")))
    data.tables.append(
        Table(
            _("九步流程进度"),
            [(_("环节"), TEXT), (_("社区数"), COUNT)],
            [[str(label), at_step.get(code, 0)] for code, label in YearFund.Status.choices],
        )
    )
    return data


def register() -> None:
    register_report_kind(ReportKind("public_funds", gettext_lazy("社区公共服务资金报告"), public_funds_data, order=50))
