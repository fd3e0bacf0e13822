"""Work-queue groups for a role's home page. Each app builds its own groups in its
selectors or work queues (`work_queue_for(user, today)`) and reaches the home page through a
`web.sections` registration on page "home", slot "queue"; the home page (in `reports`)
renders whatever is registered without knowing the apps.

A group costs at most two queries whatever the data size: the first items (the
caller's queryset carries its own select_related), then a count only when they fill
the group. The count stops at COUNT_CAP (shown as "999+"): a province's backlog of
90,000 unpaid tranches costs a count over a thousand rows, not over all of them; the
group's list page has the exact figure.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import QuerySet

ITEMS_SHOWN = 5
COUNT_CAP = 999


@dataclass(frozen=True)
class QueueItem:
    label: str
    url: str
    due: datetime.date | None = None
    overdue: bool = False
    note: str = ""


@dataclass(frozen=True)
class QueueGroup:
    title: str
    count: int
    url: str = ""
    items: list[QueueItem] = field(default_factory=list)
    more: bool = False  # more than `count` (the count stopped at COUNT_CAP)


def group(title: str, queryset: QuerySet, item: Callable[[object], QueueItem], *, url: str = "",
          limit: int = ITEMS_SHOWN) -> QueueGroup:
    """A queue group from a queryset: its count and its first `limit` rows as items."""
    rows = list(queryset[:limit])
    # Fewer rows than the limit is the count: most groups are short, and skip the query.
    count = len(rows) if len(rows) < limit else queryset[:COUNT_CAP + 1].count()
    return QueueGroup(title=title, count=min(count, COUNT_CAP), more=count > COUNT_CAP, url=url,
                      items=[item(row) for row in rows])
