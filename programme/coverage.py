"""Evidence sources for coverage: which rows prove that a community ran 营造 actions
in a year.

A source is a code, a label and a function `evidence(year)` returning a queryset of
rows that have a `community` foreign key. Coverage asks, for each community, whether
any active rule's source has a row for it (or for a community merged into it) — one
EXISTS subquery per source inside one grouped query.

The funded-project source is built in (this app sits above projects). An app added
later (micro-grant contests, public-funds cycles) adds a source without touching this
app: it puts a module `<app>/coverage_sources.py` with a list `EVIDENCE_SOURCES`, and
the bureau adds or activates the matching CoverageRule row. Lower apps never import
this module; it finds them, as seed_demo finds `demo` modules.
"""

import datetime
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from projects.models import Project


@dataclass(frozen=True)
class EvidenceSource:
    code: str
    label: str
    evidence: Callable[[int], QuerySet]


def funded_project_evidence(year: int) -> QuerySet:
    """Funded projects in progress or closed whose period touches the year; a project
    with no dates yet counts in its round's year. Terminated projects do not count."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    dated = Q(starts_on__isnull=False, starts_on__lte=last) & (Q(ends_on__isnull=True) | Q(ends_on__gte=first))
    undated = Q(starts_on__isnull=True, round__year=year)
    return Project.objects.filter(status__in=[Project.Status.ACTIVE, Project.Status.CLOSED]).filter(dated | undated)


BUILT_IN = [EvidenceSource("funded_project", _("资助项目"), funded_project_evidence)]


@lru_cache(maxsize=1)
def registered_sources() -> dict[str, EvidenceSource]:
    sources = {source.code: source for source in BUILT_IN}
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.coverage_sources")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.coverage_sources":
                raise
            continue
        for source in getattr(module, "EVIDENCE_SOURCES", []):
            sources[source.code] = source
    return sources
