"""Scoped, optimised reads for the programme pages and API."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from places.access import scope_for
from places.models import Community, Region

from .coverage import registered_sources
from .models import CoverageRule, CoverageTarget

# --- Coverage ---------------------------------------------------------------------

FIRST_YEAR = 2000


def coverage_years() -> range:
    """Years a coverage question may ask about: the programme's records to next year."""
    return range(FIRST_YEAR, timezone.localdate().year + 2)


def require_coverage_viewer(user) -> None:
    """Coverage is place information: staff of a place see their place's figures."""
    if not scope_for(user).has_place:
        raise PermissionDenied(_("覆盖率按管辖区划统计，您的角色没有区划范围。"))


@dataclass(frozen=True)
class RuleView:
    source: str
    label: str
    definition: str
    available: bool


def coverage_rules() -> list[RuleView]:
    """The active rules, each marked whether an installed app provides its data."""
    sources = registered_sources()
    return [RuleView(rule.source, rule.label, rule.definition, rule.source in sources)
            for rule in CoverageRule.objects.filter(active=True)]


def covered_expression(year: int, rules: list[RuleView] | None = None):
    """A boolean SQL expression, evaluated per Community row: does any active,
    available source have evidence for it (or a community merged into it) in `year`?"""
    sources = registered_sources()
    rules = coverage_rules() if rules is None else rules
    mine = Q(community=OuterRef("pk")) | Q(community__merged_into=OuterRef("pk"))
    checks = [Exists(sources[rule.source].evidence(year).filter(mine)) for rule in rules if rule.available]
    if not checks:
        return Value(False, output_field=BooleanField())
    return ExpressionWrapper(reduce(or_, checks), output_field=BooleanField())


def communities_with_coverage(*, user=None, region: Region | None = None, year: int,
                              rules=None) -> QuerySet[Community]:
    """Active communities in the user's scope — or, for a report, in `region` (the
    report's own scope, already checked when it was asked for) — each annotated
    `is_covered`."""
    communities = Community.objects.filter(merged_into__isnull=True)
    if region is not None:
        if region.level == Region.Level.DISTRICT:
            communities = communities.filter(street__parent=region)
        elif region.level == Region.Level.STREET:
            communities = communities.filter(street=region)
    else:
        scope = scope_for(user)
        if not scope.has_place:
            return Community.objects.none()
        communities = communities.filter(scope.community_filter())
    return communities.annotate(is_covered=covered_expression(year, rules))


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class CoverageRow:
    region_id: int | None
    code: str
    name: str
    total: int
    covered: int
    target: Decimal | None = None

    @property
    def percent(self) -> Decimal | None:
        return percent(self.covered, self.total)

    @property
    def uncovered(self) -> int:
        return self.total - self.covered

    @property
    def meets_target(self) -> bool | None:
        if self.target is None or self.percent is None:
            return None
        return self.percent >= self.target

    def as_dict(self) -> dict:
        return {"region": self.region_id, "code": self.code, "name": self.name, "total": self.total,
                "covered": self.covered, "uncovered": self.uncovered,
                "percent": None if self.percent is None else str(self.percent),
                "target": None if self.target is None else str(self.target), "meets_target": self.meets_target}


class Targets:
    """Yearly targets, read in one query; a region without its own target takes its
    nearest ancestor's."""

    def __init__(self, years):
        self.by_key = {(t.year, t.region_id): t.percent for t in CoverageTarget.objects.filter(year__in=list(years))}
        self.parents = dict(Region.objects.filter(level__in=[Region.Level.STREET, Region.Level.DISTRICT])
                            .values_list("pk", "parent_id")) if self.by_key else {}

    def for_region(self, year: int, region_id: int | None) -> Decimal | None:
        seen = 0
        while region_id is not None and seen < 4:
            if (year, region_id) in self.by_key:
                return self.by_key[(year, region_id)]
            region_id = self.parents.get(region_id)
            seen += 1
        return None

    def for_city(self, year: int) -> Decimal | None:
        if not hasattr(self, "city_id"):
            self.city_id = Region.objects.filter(level=Region.Level.CITY).values_list("pk", flat=True).first()
        return self.by_key.get((year, self.city_id))


@dataclass
class CoverageReport:
    year: int
    rules: list[RuleView]
    city: CoverageRow
    districts: list[CoverageRow]
    streets: list[CoverageRow]
    district: Region | None
    history: list[CoverageRow]


def coverage_report(*, user=None, region: Region | None = None, year: int, district: Region | None = None,
                    history: bool = True) -> CoverageReport:
    """Coverage of the user's place (or of a report's `region`) for `year`: the whole
    scope, per district, and per street of one district — each a grouped query over
    Community with EXISTS subqueries, never a loop over communities. With `history`,
    also the scope's figures for the neighbouring years that have targets, to show the
    trend against them."""
    if region is None:
        require_coverage_viewer(user)
    where = {"user": user, "region": region}
    rules = coverage_rules()
    years = sorted({year, *CoverageTarget.objects.values_list("year", flat=True).distinct()} & set(coverage_years()))
    targets = Targets(years)

    def total_for(y):
        counts = communities_with_coverage(**where, year=y, rules=rules).aggregate(
            total=Count("pk"), covered=Count("pk", filter=Q(is_covered=True)))
        return CoverageRow(None, "", _("管辖范围合计"), counts["total"], counts["covered"], targets.for_city(y))

    city = total_for(year)
    history = []
    for y in (y for y in years if history and abs(y - year) <= 3):
        row = city if y == year else total_for(y)
        history.append(CoverageRow(None, str(y), str(y), row.total, row.covered, targets.for_city(y)))
    annotated = communities_with_coverage(**where, year=year, rules=rules)
    districts = [
        CoverageRow(r["street__parent_id"], r["street__parent__code"], r["street__parent__name"], r["total"],
                    r["covered"], targets.for_region(year, r["street__parent_id"]))
        for r in annotated.values("street__parent_id", "street__parent__code", "street__parent__name")
        .annotate(total=Count("pk"), covered=Count("pk", filter=Q(is_covered=True))).order_by("street__parent__code")
    ]
    streets = []
    if district is not None:
        streets = [
            CoverageRow(r["street_id"], r["street__code"], r["street__name"], r["total"], r["covered"],
                        targets.for_region(year, r["street_id"]))
            for r in annotated.filter(street__parent=district).values("street_id", "street__code", "street__name")
            .annotate(total=Count("pk"), covered=Count("pk", filter=Q(is_covered=True))).order_by("street__code")
        ]
    if len(districts) == 1:  # a district's (or street's) staff compare with their district's target
        city.target = districts[0].target
    return CoverageReport(year, rules, city, districts, streets, district, history)


def uncovered_communities(*, user=None, region: Region | None = None, year: int, district: Region | None = None,
                          street: Region | None = None) -> QuerySet[Community]:
    queryset = communities_with_coverage(user=user, region=region, year=year).filter(is_covered=False)
    if district is not None:
        queryset = queryset.filter(street__parent=district)
    if street is not None:
        queryset = queryset.filter(street=street)
    return queryset.select_related("street__parent").order_by("code")


def districts_in_scope(user) -> QuerySet[Region]:
    scope = scope_for(user)
    districts = Region.objects.filter(level=Region.Level.DISTRICT)
    if scope.city_wide:
        return districts
    ids = Community.objects.filter(scope.community_filter()).values("street__parent_id")
    return districts.filter(pk__in=ids)


def parse_year(value) -> int:
    """The year asked for, or this year when missing or out of range."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return timezone.localdate().year
    return year if year in coverage_years() else timezone.localdate().year
