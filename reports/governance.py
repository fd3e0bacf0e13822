"""The residents' side of the progress report: councils (#17) and the time bank (#19),
from those apps' own selectors over the report's communities."""

import datetime

from django.utils.translation import gettext as _

from councils.selectors import council_figures
from places.models import Community
from places.reporting import COUNT, TEXT, Filters, Table
from timebank.selectors import progress_figures


def residents_table(filters: Filters, today: datetime.date) -> Table:
    start = filters.period_start or datetime.date(today.year, 1, 1)
    end = filters.period_end or today
    councils = council_figures(filters.community_q(""), today=today)
    bank = progress_figures(Community.objects.filter(filters.community_q("")).values("pk"), start=start, end=end)
    routes = _("；").join(f"{route} {n}" for route, n in councils["proposals_by_route"].items()) or "—"
    rate = f"{councils['execution_rate']}%" if councils["execution_rate"] is not None else "—"
    rows = [
        [_("已组建的议事会"), councils["councils"], ""],
        [_("议题"), councils["proposals"], routes],
        [_("表决（已结束）"), councils["votes"], _("通过 %(n)s") % {"n": councils["votes_passed"]}],
        [_("决议执行事项"), councils["executions"], _("已完成 %(done)s，逾期 %(late)s，执行率 %(rate)s") % {
            "done": councils["executions_done"], "late": councils["executions_overdue"], "rate": rate}],
        [_("时间银行：发放积分"), bank["points_issued"], _("%(a)s 至 %(b)s") % {
            "a": f"{start:%Y-%m-%d}", "b": f"{end:%Y-%m-%d}"}],
        [_("时间银行：兑换积分"), bank["points_redeemed"], _("过期 %(n)s") % {"n": bank["points_expired"]}],
        [_("志愿服务签到"), bank["checkins"], _("%(p)s 人，%(h)s 小时") % {
            "p": bank["volunteers"], "h": bank["volunteer_hours"]}],
        [_("需求清单：已满足"), bank["needs_met"], _("本期新提 %(new)s，未满足 %(open)s") % {
            "new": bank["needs_raised"], "open": bank["needs_open"]}],
        [_("合作商家（在册）"), bank["active_merchants"], ""],
    ]
    return Table(_("居民参与"), [(_("项目"), TEXT), (_("数量"), COUNT), (_("说明"), TEXT)], rows)
