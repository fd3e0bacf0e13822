"""What a report is made of, and the registry of report kinds.

A report covers one region (the city or a district) and is a title, summary figures,
tables and charts. The `reports` app queues, builds and serves them; the figures come
from the app that owns the data. Each app registers its kinds from `AppConfig.ready()`
(`register_report_kind`), so a new kind touches only the app that adds it — the
`reports` app, at the top, knows kinds only through this registry, and lower apps
(public funds, the programme's coverage) contribute without importing it.

This lives in `places` because a report's scope is a region: it is the lowest app that
knows regions, and every app with figures sits above it.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Region

YUAN, COUNT, TEXT, PERCENT = "yuan", "count", "text", "percent"


@dataclass
class Filters:
    region: Region  # the city or one district: the report's scope
    round_id: int | None = None
    year: int | None = None
    street_id: int | None = None
    agency_id: int | None = None
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    project_id: int | None = None  # a per-project kind's project
    # Who asked: a kind whose figures depend on the viewer (a dossier) reads it.
    viewer: object | None = None

    def community_q(self, prefix: str) -> Q:
        q = Q()
        if self.region.level == Region.Level.DISTRICT:
            q &= Q(**{f"{prefix}street__parent_id": self.region.pk})
        if self.street_id:
            q &= Q(**{f"{prefix}street_id": self.street_id})
        return q


@dataclass
class Table:
    name: str
    columns: list[tuple[str, str]]  # (label, kind)
    rows: list[list]
    total: list | None = None  # a totals row that reconciles with the rows
    note: str = ""


@dataclass
class ReportData:
    title: str
    subtitle: str
    summary: list[tuple[str, object, str]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[dict] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # sections whose data does not exist yet


ALL_FORMATS = ("xlsx", "pdf", "csv")


@dataclass(frozen=True)
class ReportKind:
    """`build(filters)` returns the report's data. `per_project`: the report covers one
    project (a dossier) and is asked for from the project's page, not the report form.
    `monthly`: beat builds last month's copy on the 1st for every bureau."""

    code: str
    label: str
    build: Callable[[Filters], ReportData]
    formats: tuple[str, ...] = ALL_FORMATS
    per_project: bool = False
    monthly: bool = False
    order: int = 100
    description: str = ""


_kinds: dict[str, ReportKind] = {}


def register_report_kind(kind: ReportKind) -> ReportKind:
    existing = _kinds.get(kind.code)
    if existing is not None and existing != kind:
        raise ValueError(f"report kind {kind.code!r} registered twice with different definitions")
    _kinds[kind.code] = kind
    return kind


def report_kinds(*, per_project: bool | None = None) -> list[ReportKind]:
    kinds = sorted(_kinds.values(), key=lambda k: (k.order, k.code))
    if per_project is not None:
        kinds = [k for k in kinds if k.per_project == per_project]
    return kinds


def report_kind(code: str) -> ReportKind | None:
    return _kinds.get(code)


def kind_choices() -> list[tuple[str, str]]:
    """Every kind, for the API's enum and the admin's filter."""
    return [(k.code, k.label) for k in report_kinds()]


def kind_label(code: str) -> str:
    kind = _kinds.get(code)
    return str(kind.label) if kind else code


def subtitle(filters: Filters, *, now: datetime.datetime) -> str:
    parts = [_("范围：%(r)s") % {"r": filters.region.name}]
    if filters.year:
        parts.append(_("年度：%(y)s") % {"y": filters.year})
    if filters.period_start or filters.period_end:
        parts.append(_("期间：%(a)s 至 %(b)s") % {"a": filters.period_start or "…", "b": filters.period_end or "…"})
    parts.append(_("生成时间：%(t)s") % {"t": f"{now:%Y-%m-%d %H:%M}"})
    return str(_("；")).join(str(p) for p in parts)
