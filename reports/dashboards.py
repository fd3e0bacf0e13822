"""Each role's home dashboard. Bureau figures come from the same selectors as the
reports, for the same scope, so the two always agree."""

import datetime
import json
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext as _

from accounts.selectors import role_labels
from assessments.models import Grade
from organizations.access import organization_ids_for_member
from organizations.models import Membership, SelfOrganization
from places import figures
from places.access import scope_for
from places.models import Region
from places.reporting import Filters
from places.selectors import scope_summary
from projects.access import projects_for_user
from projects.models import ProgressReport, Project
from web import sections
from web.archive import LIVE

from . import selectors


def bureau_region(user) -> Region | None:
    scope = scope_for(user)
    if scope.city_wide:
        return Region.objects.filter(level=Region.Level.CITY).first()
    if scope.bureau_district_ids:
        return Region.objects.filter(pk__in=scope.bureau_district_ids).order_by("code").first()
    return None


def _chart(kind: str, title: str, labels: list, values: list, *, integer: bool = False) -> dict:
    """`integer`: the values are counts, so the axis steps by whole numbers."""
    return {"kind": kind, "title": str(title), "labels": [str(x) for x in labels],
            "values": [float(v or 0) for v in values],
            "integer": integer}


def continuous_months(rows: list[tuple[datetime.date, int]], since: datetime.date,
                      today: datetime.date) -> list[tuple[datetime.date, int]]:
    """Every month from `since` to this month, with 0 where nothing happened: a chart
    that skips empty months draws a trend that is not there."""
    by_month = {(m.year, m.month): v for m, v in rows}
    months, month = [], since.replace(day=1)
    while month <= today:
        months.append((month, by_month.get((month.year, month.month), 0)))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def bureau_figures(region: Region, today: datetime.date) -> dict:
    """The bureau home's figures for a city or district (a places.figures snapshot):
    the funding and progress reports' own selectors, as plain JSON with no labels."""
    filters = Filters(region=region)
    money = selectors.funding_summary(filters)
    # The last twelve months, from the roll-up kept at acceptance (not every activity).
    since = (today.replace(day=1) - datetime.timedelta(days=335)).replace(day=1)
    return {
        "money": {key: str(value) for key, value in money.items()},
        "direct": selectors.progress_summary(filters)["direct"],
        "by_district": [[row[0], str(row[2] or 0)] for row in selectors.funding_by_district(filters)],
        "statuses": list(selectors.projects_in(filters).order_by("status").values_list("status")
                         .annotate(n=Count("id"))),
        "since": since.isoformat(),
        "months": [[m.isoformat(), v] for m, v in selectors.participation_by_month_rollup(region, since=since)],
        "grades": [n for _label, n in selectors.grade_distribution(filters)],
    }


def bureau_cards_and_charts(payload: dict, today: datetime.date) -> dict:
    """Labels in the reader's language around the snapshot's figures. Bureau reports
    count money in 万元."""
    money = {key: Decimal(value) for key, value in payload["money"].items()}
    statuses = dict(Project.Status.choices)
    # Every month shown, even when nothing was accepted in it.
    months = continuous_months([(datetime.date.fromisoformat(m), v) for m, v in payload["months"]],
                               datetime.date.fromisoformat(payload["since"]), today)
    cards = [(_("立项项目"), int(money["n"]), ""), (_("立项金额（万元）"), money["approved"] / 10000, "wan"),
             (_("已拨付（万元）"), money["disbursed"] / 10000, "wan"), (_("直接参与人次"), payload["direct"], "")]
    charts = [
        _chart("bar", _("立项金额（按区县，万元）"), [name for name, _a in payload["by_district"]],
               [Decimal(amount) / 10000 for _n, amount in payload["by_district"]]),
        _chart("pie", _("项目状态"), [statuses.get(s, s) for s, _n in payload["statuses"]],
               [n for _s, n in payload["statuses"]], integer=True),
        _chart("line", _("直接参与人次（按月）"), [f"{m:%Y-%m}" for m, _v in months], [v for _m, v in months],
               integer=True),
        _chart("bar", _("评估等级分布"), [str(label) for _code, label in Grade.choices], payload["grades"],
               integer=True),
    ]
    return {"cards": cards, "charts": charts}


def dashboard_context(user, today: datetime.date) -> dict:
    scope = scope_for(user)
    context = {"scope": scope, "today": today, "charts": [], "cards": []}
    region = bureau_region(user)
    if region is not None:
        snapshot = figures.read(region, today)
        context.update(bureau_region=region, home_figures=snapshot.values, figures_at=snapshot.computed_at,
                       **bureau_cards_and_charts(snapshot["bureau"], today))
    if scope.has_place and region is None:
        projects = projects_for_user(user).select_related("community", "organization")
        context["place_projects"] = list(projects.order_by("-approved_at")[:10])
        communities = SelfOrganization.objects.filter(scope.community_filter("community__"))
        stages = dict(SelfOrganization.Stage.choices)
        context["selforg_stages"] = [(stages[row["stage"]], row["n"]) for row in
                                     communities.order_by("stage").values("stage").annotate(n=Count("id"))]
        context["pending_updates"] = ProgressReport.objects.filter(
            project__in=projects, status=ProgressReport.Status.SUBMITTED).count()
    org_ids = organization_ids_for_member(user)
    if org_ids:
        own = Project.objects.filter(LIVE, organization_id__in=org_ids)
        context["agency_projects"] = list(own.select_related("community").order_by("-approved_at")[:10])
    # The work queue: each app registers its groups for the home page (web.sections).
    context.update(sections.build("home", user=user, today=today))
    context["charts_json"] = json.dumps(context["charts"], ensure_ascii=False)
    context["memberships"] = (Membership.objects.filter(user=user).select_related("organization") if org_ids
                              else [])
    context["role_labels"] = role_labels(scope_for(user).roles)
    # The bureau sees its region's figures instead of the places summary.
    context["summary"] = scope_summary(user=user) if scope.has_place and region is None else None
    return context


