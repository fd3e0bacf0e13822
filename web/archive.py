"""Archive instead of delete (#14): the fields every archivable workflow object carries,
and the registry through which the apps that own such objects tell the `archive` app
who may archive which rows.

A workflow object (an organisation, a round, an application, a project, an evaluation,
a report) is never deleted from a page or the admin: it is archived. Archived rows keep
their history and relations; the apps' `*_for_user` querysets leave them out (the
`LIVE` filter), so every list, API, export and report drops them in one place. Bureau
staff restore them from the 已归档 list; only `manage.py purge_archived` removes them.

This module sits in the lowest layer so that any model can use the mixin; it knows no
app. Apps register their archivable models from `AppConfig.ready()`:

    archive.register(Project, kind="project", label=_("项目"), visible=projects_for_user,
                     managed=managed_projects,
                     url=lambda project: reverse("projects:project_detail", args=[project.pk]))

`visible(user)` is the app's `*_for_user` (live rows the user may see: outside it, 404);
`managed(user)` returns the rows (archived or not) that the user's bureau role manages:
the service archives or restores only those (visible but not managed: 403).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The filter the access layer adds to every `*_for_user` queryset of an archivable model.
LIVE = Q(archived_at__isnull=True)


def live(prefix: str = "") -> Q:
    """LIVE for a row reached through `prefix` ("project__"): a child of an archived
    parent leaves the lists with it."""
    return Q(**{f"{prefix}archived_at__isnull": True})


class Archivable(models.Model):
    """Adds 归档时间 / 归档人 / 归档原因. Set only by `archive.services`."""

    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True, editable=False, db_index=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("归档人"), on_delete=models.SET_NULL, null=True, blank=True,
        editable=False, related_name="+",
    )
    archive_reason = models.CharField(_("归档原因"), max_length=500, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


@dataclass(frozen=True)
class Kind:
    kind: str  # stable ASCII key used in URLs and the API ("project")
    model: type[models.Model]
    label: str  # Chinese, e.g. 项目
    visible: Callable  # user -> the app's `*_for_user` queryset (live rows the user may see)
    managed: Callable  # user -> QuerySet of rows (archived or not) the user's bureau role manages
    url: Callable | None = None  # obj -> the object's page (for live rows)
    order: int = 100


_kinds: dict[str, Kind] = {}


def register(model, *, kind: str, label, visible: Callable, managed: Callable, url: Callable | None = None,
             order: int = 100) -> Kind:
    if not issubclass(model, Archivable):
        raise TypeError(f"{model._meta.label} is not Archivable")
    entry = Kind(kind=kind, model=model, label=label, visible=visible, managed=managed, url=url, order=order)
    _kinds[kind] = entry
    return entry


def kinds() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda k: (k.order, k.kind))


def get_kind(kind: str) -> Kind | None:
    return _kinds.get(kind)


def kind_for(obj) -> Kind | None:
    for entry in _kinds.values():
        if isinstance(obj, entry.model):
            return entry
    return None
