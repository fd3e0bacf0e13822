"""The funding report: money by round, area, agency, dimension, leverage point and tranche."""

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from places.reporting import COUNT, PERCENT, TEXT, YUAN, Filters, ReportData, Table
from places.reporting import subtitle as scope_subtitle
from projects.models import (
    Dimension,
    Disbursement,
    LeveragePoint,
    Tranche,
    TrancheRule,
)

from ..selectors import (
    MONEY_COLUMNS,
    MONEY_SUMS,
    area_groupings,
    funding_by_district,
    funding_summary,
    money_rows,
    projects_in,
    totals_row,
    value_rows,
)


def funding_report(filters: Filters) -> ReportData:
    projects = projects_in(filters)
    summary = funding_summary(filters)
    data = ReportData(
        title=_("%(r)s社区营造项目资金报告") % {"r": filters.region.name},
        subtitle=scope_subtitle(filters, now=timezone.localtime()),
    )
    data.summary = [
        (_("立项项目数"), summary["n"], COUNT),
        (_("立项金额（元）"), summary["approved"], YUAN),
        (_("已拨付（元）"), summary["disbursed"], YUAN),
        (_("已支出（元）"), summary["spent"], YUAN),
        (_("未拨付（元）"), summary["approved"] - summary["disbursed"], YUAN),
    ]
    round_rows = []
    for row in (
        projects.order_by("round_id").values("round_id", "round__name", "round__total_budget").annotate(**MONEY_SUMS)
    ):
        approved = row["approved"] or Decimal("0")
        round_rows.append(
            [
                row["round__name"],
                row["round__total_budget"],
                row["n"],
                approved,
                row["disbursed"] or Decimal("0"),
                row["spent"] or Decimal("0"),
                row["round__total_budget"] - approved,
            ]
        )
    data.tables.append(
        Table(
            _("按轮次"),
            [
                (_("资助轮次"), TEXT),
                (_("总预算"), YUAN),
                (_("项目数"), COUNT),
                (_("立项金额"), YUAN),
                (_("已拨付"), YUAN),
                (_("已支出"), YUAN),
                (_("预算余额"), YUAN),
            ],
            round_rows,
            note=_("总预算为整轮预算；区（市）县报表中的立项、拨付、支出只计本区域。"),
        )
    )
    for name, keys, labels in (
        *area_groupings(),
        (
            _("按机构"),
            ["organization__name", "organization__credit_code"],
            [(_("机构"), TEXT), (_("统一社会信用代码"), TEXT)],
        ),
    ):
        rows = money_rows(projects, keys)
        data.tables.append(
            Table(name, [*labels, *MONEY_COLUMNS], rows, totals_row(rows, len(labels)) if rows else None)
        )
    dimension_sums = projects.aggregate(
        **{
            f"{d.value}_{k}": Sum(col, filter=Q(**{f"application__dim_{d.value}": True}))
            for d in Dimension
            for k, col in (("approved", "approved_amount"), ("spent", "spent_amount"))
        },
        **{f"{d.value}_n": Count("id", filter=Q(**{f"application__dim_{d.value}": True})) for d in Dimension},
    )
    data.tables.append(
        Table(
            _("按维度"),
            [(_("维度"), TEXT), (_("项目数"), COUNT), (_("立项金额"), YUAN), (_("已支出"), YUAN)],
            [
                [
                    str(d.label),
                    dimension_sums[f"{d.value}_n"],
                    dimension_sums[f"{d.value}_approved"] or Decimal("0"),
                    dimension_sums[f"{d.value}_spent"] or Decimal("0"),
                ]
                for d in Dimension
            ],
            note=_("一个项目可涉及多个维度，各维度之和可能大于总额。"),
        )
    )
    labels = dict(LeveragePoint.choices)
    leverage = money_rows(projects, ["application__leverage_point"])
    for row in leverage:
        row[0] = str(labels.get(row[0], row[0]))
    data.tables.append(
        Table(
            _("按支点"),
            [(_("营造支点"), TEXT), *MONEY_COLUMNS],
            leverage,
            totals_row(leverage, 1) if leverage else None,
        )
    )
    caps = []
    cap_names = ["round__name", "round__per_community_cap", "community__name", "approved"]
    for round_name, cap, community, approved in value_rows(
        projects.order_by("round_id", "community__code")
        .values("round__name", "round__per_community_cap", "community__name")
        .annotate(approved=Sum("approved_amount")),
        cap_names,
    ):
        caps.append(
            [
                round_name,
                community,
                approved,
                cap,
                (approved * 100 / cap).quantize(Decimal("0.1")) if cap else Decimal("0"),
            ]
        )
    data.tables.append(
        Table(
            _("单社区上限使用"),
            [
                (_("资助轮次"), TEXT),
                (_("社区"), TEXT),
                (_("立项金额"), YUAN),
                (_("单社区上限"), YUAN),
                (_("使用率%"), PERCENT),
            ],
            caps,
        )
    )
    triggers = dict(TrancheRule.Trigger.choices)
    paid = {
        row["tranche__order"]: row["paid"]
        for row in Disbursement.objects.filter(project__in=projects)
        .order_by()
        .values("tranche__order")
        .annotate(paid=Sum("amount"))
    }
    tranche_rows = [
        [
            row["order"],
            str(triggers.get(row["trigger"], row["trigger"])),
            row["n"],
            row["amount"],
            paid.get(row["order"]) or Decimal("0"),
        ]
        for row in Tranche.objects.filter(project__in=projects)
        .order_by("order", "trigger")
        .values("order", "trigger")
        .annotate(amount=Sum("amount"), n=Count("id"))
    ]
    data.tables.append(
        Table(
            _("拨付批次"),
            [(_("批次"), COUNT), (_("条件"), TEXT), (_("项目数"), COUNT), (_("应拨"), YUAN), (_("已拨"), YUAN)],
            tranche_rows,
        )
    )
    data.charts.append(
        {"title": _("立项金额（按区县，元）"), "bars": [(row[0], row[2]) for row in funding_by_district(filters)]}
    )
    return data
