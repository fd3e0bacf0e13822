"""Reads: the allocation a community's profile earns under the city's rules, the
collection's turnout and tallies, and figures per area for the reports."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from places.models import Household

from .models import AllocationRule, Collection, YearFund


@dataclass(frozen=True)
class Allocation:
    rule: AllocationRule | None
    amount: Decimal
    calculation: str


def _yuan(value: Decimal) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def rule_for(kind: str, year: int) -> AllocationRule | None:
    """The rule in force on 1 January of `year` (a rate raised mid-year applies from the next)."""
    return AllocationRule.objects.filter(kind=kind, effective_from__lte=datetime.date(year, 1, 1)) \
        .order_by("-effective_from").first()


def allocation_for(community, year: int) -> Allocation:
    """The community's allocation from its profile (kind, households) by the rule of the year."""
    rule = rule_for(community.kind, year)
    if rule is None:
        return Allocation(None, Decimal("0"), _("尚无适用于“%(k)s”%(y)s 年的资金标准。") % {
            "k": community.get_kind_display(), "y": year})
    if rule.per_100_households is not None:
        amount = (Decimal(community.households) * rule.per_100_households / 100).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP)
        text = _("%(h)s 户 ÷ 100 × %(r)s 元 = %(a)s 元（%(rule)s）") % {
            "h": f"{community.households:,}", "r": _yuan(rule.per_100_households), "a": _yuan(amount),
            "rule": rule}
    else:
        amount = rule.fixed_amount
        text = _("定额 %(a)s 元（%(rule)s）") % {"a": _yuan(amount), "rule": rule}
    return Allocation(rule, amount, text)


@dataclass(frozen=True)
class Turnout:
    voted: int
    households: int

    @property
    def percent(self) -> Decimal:
        if not self.households:
            return Decimal("0")
        return (Decimal(self.voted) * 100 / self.households).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def turnout(collection: Collection) -> Turnout:
    """Households voted ÷ households (the community's household records; frozen when closed)."""
    households = collection.households_total
    if households is None:
        households = Household.objects.filter(community_id=collection.fund.community_id).count()
    return Turnout(collection.votes.count(), households)


def tallies(collection: Collection):
    return collection.options.annotate(households=Count("votes")).order_by("-households", "pk")


AREA_FIELDS = {"district": "community__street__parent", "street": "community__street", "community": "community"}


def figures_by_area(year: int, level: str = "district", funds=None) -> list[dict]:
    """Allocated (the bureau's figure where it overrode), spent and balance, and the
    turnout of the closed collections (households voted ÷ households), per district,
    street or community for one year — for the reports to wire in."""
    return _figures(year, level, funds)


def _figures(year, level, funds):
    from django.db.models.functions import Coalesce

    from .models import HouseholdVote

    key = AREA_FIELDS[level]
    funds = (funds if funds is not None else YearFund.objects.all()).filter(year=year)
    rows = {r[key]: r for r in funds.values(key, f"{key}__name").annotate(
        allocated_total=Sum(Coalesce("override", "allocated")), spent_total=Sum("spent"),
        balance_total=Sum("balance"), funds=Count("pk"))}
    closed = Collection.objects.filter(fund__in=funds, closed_at__isnull=False)
    households = closed.values(f"fund__{key}").annotate(n=Sum("households_total"))
    voted = HouseholdVote.objects.filter(collection__in=closed).values(f"collection__fund__{key}").annotate(
        n=Count("pk"))
    h = {r[f"fund__{key}"]: r["n"] or 0 for r in households}
    v = {r[f"collection__fund__{key}"]: r["n"] for r in voted}
    out = []
    for area, row in rows.items():
        total = h.get(area, 0)
        out.append({"area": area, "name": row[f"{key}__name"], "funds": row["funds"],
                    "allocated": row["allocated_total"], "spent": row["spent_total"],
                    "balance": row["balance_total"], "households": total, "voted": v.get(area, 0),
                    "turnout": Turnout(v.get(area, 0), total).percent})
    return sorted(out, key=lambda r: r["name"] or "")


def resident_home(user, resident) -> dict:
    """The resident home: this community's latest fund, its open collection (and whether
    the household voted) — the way to the vote, the decision and the public accounts."""
    from .models import HouseholdVote

    fund = YearFund.objects.filter(community_id=resident.community_id).order_by("-year").first()
    collection = fund.collections.filter(closed_at__isnull=True).order_by("-opens_on").first() if fund else None
    voted = bool(collection and resident.household_id and HouseholdVote.objects.filter(
        collection=collection, household_id=resident.household_id).exists())
    return {"fund_latest": fund, "fund_collection": collection, "fund_household_voted": voted}
