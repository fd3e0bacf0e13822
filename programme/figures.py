"""The bureau home's coverage card, kept as a region figure snapshot (places.figures):
the city's (or district's) coverage this year, and each district's, against the target
— the same `coverage_report` the coverage page and report read."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from places.models import Region

from .selectors import CoverageRow, coverage_report

_FIELDS = ("region_id", "code", "name", "total", "covered")


@dataclass(frozen=True)
class HomeCoverage:
    year: int
    city: CoverageRow
    districts: list[CoverageRow]


def _row(row: CoverageRow) -> list:
    return [*(getattr(row, f) for f in _FIELDS), None if row.target is None else str(row.target)]


def _unrow(values: list) -> CoverageRow:
    *fields, target = values
    return CoverageRow(*fields, target=None if target is None else Decimal(target))


def compute(region: Region, today: datetime.date) -> dict:
    report = coverage_report(region=region, year=today.year, history=False)
    return {"year": report.year, "city": _row(report.city), "districts": [_row(r) for r in report.districts]}


def load(payload: dict) -> HomeCoverage:
    return HomeCoverage(payload["year"], _unrow(payload["city"]), [_unrow(r) for r in payload["districts"]])
