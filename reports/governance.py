"""The residents' side of the progress report: councils (#17) and the time bank (#19),
from those apps' own selectors over the report's communities."""

import datetime

from councils.selectors import council_figures
from places.models import Community
from places.reporting import COUNT, TEXT, Filters, Table
from timebank.selectors import progress_figures


def residents_table(filters: Filters, today: datetime.date) -> Table:
    start = filters.period_start or datetime.date(today.year, 1, 1)
    end = filters.period_end or today
    councils = council_figures(filters.community_q(""), today=today)
    bank = progress_figures(Community.objects.filter(filters.community_q("")).values("pk"), start=start, end=end)
    routes = "；".join(f"{route} {n}" for route, n in councils["proposals_by_route"].items()) or "—"
    rows = [
        ["已组建的议事会", councils["councils"], ""],
        ["议题", councils["proposals"], routes],
        ["表决（已结束）", councils["votes"], f"通过 {councils['votes_passed']}"],
        ["决议执行事项", councils["executions"],
         f"已完成 {councils['executions_done']}，逾期 {councils['executions_overdue']}，执行率 "
         + (f"{councils['execution_rate']}%" if councils["execution_rate"] is not None else "—")],
        ["时间银行：发放积分", bank["points_issued"], f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d}"],
        ["时间银行：兑换积分", bank["points_redeemed"], f"过期 {bank['points_expired']}"],
        ["志愿服务签到", bank["checkins"], f"{bank['volunteers']} 人，{bank['volunteer_hours']} 小时"],
        ["需求清单：已满足", bank["needs_met"], f"本期新提 {bank['needs_raised']}，未满足 {bank['needs_open']}"],
        ["合作商家（在册）", bank["active_merchants"], ""],
    ]
    return Table("居民参与", [("项目", TEXT), ("数量", COUNT), ("说明", TEXT)], rows)

