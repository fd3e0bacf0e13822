"""Dashboard figures per region, kept as snapshots (issue #15: dashboards ≤ 50 ms at any
scale).

A bureau's home shows aggregates over every project, evaluation and community of its
city or district. Computed on each request they grow with the data (204 ms at province
scale); here each app registers the figures it adds (`register(name, compute, load)`),
they are computed for a region by that app's own selectors — the same ones the reports
use, so the two agree — and stored as one `FigureSnapshot` row per region and name. Beat
refreshes every snapshot that exists every REFRESH_SECONDS; a reader finding none, one
from another day, or one older than STALE_SECONDS (beat not running) computes it on the
spot. The page says when its figures were counted.

`compute(region, today)` returns JSON-able data with no translated text (the page adds
labels in the reader's language); `load(payload)` turns it back into what the template
reads. This lives in `places` because the key is a region, like the report kinds.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from .models import FigureSnapshot, Region

REFRESH_SECONDS = 300  # the beat schedule (shequ/celery.py)
STALE_SECONDS = 900  # a reader recomputes what beat has not refreshed for this long


@dataclass(frozen=True)
class FigureKind:
    name: str
    compute: Callable[[Region, datetime.date], object]
    load: Callable[[object], object]


_KINDS: dict[str, FigureKind] = {}


def register(name: str, compute: Callable[[Region, datetime.date], object],
             load: Callable[[object], object] = lambda payload: payload) -> None:
    _KINDS[name] = FigureKind(name, compute, load)


@dataclass(frozen=True)
class Figures:
    values: dict
    computed_at: datetime.datetime | None

    def __getitem__(self, name):
        return self.values[name]


def _compute(region: Region, today: datetime.date, names) -> list[FigureSnapshot]:
    now = timezone.now()
    rows = [FigureSnapshot(region=region, name=name, as_of=today, computed_at=now,
                           payload=_KINDS[name].compute(region, today)) for name in names]
    # An upsert: two readers refreshing the same region at once both succeed.
    FigureSnapshot.objects.bulk_create(rows, update_conflicts=True, unique_fields=["region", "name"],
                                       update_fields=["as_of", "computed_at", "payload"])
    return rows


def read(region: Region, today: datetime.date, names=None) -> Figures:
    """The region's figures (all registered kinds, or `names`), computing the missing,
    stale or other-day ones now. One query when beat keeps them fresh."""
    names = list(names or _KINDS)
    stale_before = timezone.now() - datetime.timedelta(seconds=STALE_SECONDS)
    found = {row.name: row for row in FigureSnapshot.objects.filter(region=region, name__in=names)
             if row.as_of == today and row.computed_at >= stale_before}
    missing = [name for name in names if name not in found]
    if missing:
        found.update({row.name: row for row in _compute(region, today, missing)})
    return Figures(values={name: _KINDS[name].load(found[name].payload) for name in names},
                   computed_at=min(row.computed_at for row in found.values()) if found else None)


def refresh(region: Region, today: datetime.date | None = None) -> None:
    _compute(region, today or timezone.localdate(), list(_KINDS))


def refresh_all(today: datetime.date | None = None) -> int:
    """Recompute every region someone has looked at (a snapshot exists); returns how
    many regions. Beat calls this; a region nobody opens costs nothing."""
    region_ids = FigureSnapshot.objects.values_list("region_id", flat=True).distinct()
    regions = list(Region.objects.filter(pk__in=region_ids))
    for region in regions:
        refresh(region, today)
    return len(regions)
