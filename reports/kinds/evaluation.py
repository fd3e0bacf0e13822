"""The evaluation report: published results by grade, category, agency and district."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Evaluation, Grade, RubricCategory
from places.reporting import COUNT, PERCENT, TEXT, Filters, ReportData, Table
from places.reporting import subtitle as scope_subtitle

from ..selectors import (
    grade_distribution,
    published_evaluations,
)


def evaluation_report(filters: Filters) -> ReportData:
    evaluations = published_evaluations(filters)
    data = ReportData(
        title=_("%(r)s社区营造项目评估报告") % {"r": filters.region.name},
        subtitle=scope_subtitle(filters, now=timezone.localtime()),
    )
    overall = evaluations.aggregate(n=Count("id"), mean=Avg("total"))
    if not overall["n"]:
        data.missing.append(_("范围内还没有已发布的评估结果，以下各表为空。"))
    data.summary = [
        (_("已发布评估"), overall["n"], COUNT),
        (_("平均总分"), Decimal(str(overall["mean"] or 0)).quantize(Decimal("0.01")), PERCENT),
    ]
    data.tables.append(
        Table(
            _("等级分布"),
            [(_("等级"), TEXT), (_("评估数"), COUNT)],
            [[label, n] for label, n in grade_distribution(filters)],
        )
    )
    sums, counts = defaultdict(Decimal), defaultdict(int)
    for scores in evaluations.values_list("category_scores", flat=True).iterator():
        for code, value in (scores or {}).items():
            sums[code] += Decimal(value)
            counts[code] += 1
    names = dict(
        RubricCategory.objects.filter(code__in=sums).order_by("code", "-rubric__version").values_list("code", "name")
    )
    data.tables.append(
        Table(
            _("各范畴平均分"),
            [(_("范畴"), TEXT), (_("评估数"), COUNT), (_("平均分"), PERCENT)],
            [
                [names.get(code, code), counts[code], (sums[code] / counts[code]).quantize(Decimal("0.01"))]
                for code in sums
            ],
        )
    )
    for name, key, label in (
        (_("按机构"), "project__organization__name", _("机构")),
        (_("按区县"), "project__community__street__parent__name", _("区（市）县")),
    ):
        data.tables.append(
            Table(
                name,
                [(label, TEXT), (_("评估数"), COUNT), (_("平均总分"), PERCENT)],
                [
                    [row[key], row["n"], Decimal(str(row["mean"])).quantize(Decimal("0.01"))]
                    for row in evaluations.order_by(key).values(key).annotate(n=Count("id"), mean=Avg("total"))
                ],
            )
        )
    decisions = dict(Evaluation.Decision.choices)
    data.tables.append(
        Table(
            _("不合格项目"),
            [(_("项目"), TEXT), (_("机构"), TEXT), (_("总分"), PERCENT), (_("资助决定"), TEXT)],
            [
                [
                    row["project__title"],
                    row["project__organization__name"],
                    row["total"],
                    str(decisions.get(row["decision"], "")) or _("待决定"),
                ]
                for row in evaluations.filter(grade=Grade.FAIL)
                .order_by("project__title")
                .values("project__title", "project__organization__name", "total", "decision")
            ],
        )
    )
    data.charts.append({"title": _("等级分布（个）"), "bars": grade_distribution(filters)})
    return data
