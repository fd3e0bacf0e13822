"""Work-queue groups for a role's home page. Each app builds its own groups in its
selectors or work queues (`work_queue_for(user, today)`) and reaches the home page through a
`web.sections` registration on page "home", slot "queue"; the home page (in `reports`)
renders whatever is registered without knowing the apps.

A group costs two queries whatever the data size: one count, one slice of the first
items (the caller's queryset carries its own select_related).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import QuerySet

ITEMS_SHOWN = 5


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


def group(title: str, queryset: QuerySet, item: Callable[[object], QueueItem], *, url: str = "",
          limit: int = ITEMS_SHOWN) -> QueueGroup:
    """A queue group from a queryset: its count and its first `limit` rows as items."""
    count = queryset.count()
    rows = list(queryset[:limit]) if count else []
    return QueueGroup(title=title, count=count, url=url, items=[item(row) for row in rows])
