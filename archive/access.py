"""Who may archive and restore what: bureau staff, for the rows their bureau role
manages (each app's registered `managed(user)`: a district bureau its district's rows,
the city bureau and admins everything). Outside the user's sight: 404; visible but not
theirs to archive: 403 with the reason."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from places.access import scope_for
from web import archive as registry
from web.access import get_in_scope


def _kind(kind: str) -> registry.Kind:
    entry = registry.get_kind(kind)
    if entry is None:
        raise Http404(_("没有这类可归档的对象。"))
    return entry


def managed(user, entry: registry.Kind):
    """The rows of `entry` (archived or not) that `user` may archive and restore."""
    if not scope_for(user).is_bureau:
        return entry.model.objects.none()
    return entry.managed(user)


def can_archive(user, obj) -> bool:
    entry = registry.kind_for(obj)
    return (entry is not None and not obj.is_archived
            and managed(user, entry).filter(pk=obj.pk).exists())


def require_archive_list(user) -> None:
    if not scope_for(user).is_bureau:
        raise PermissionDenied(_("只有民政局工作人员可以查看和恢复已归档的对象。"))


def get_for_archive(user, kind: str, pk):
    """A live object the user can see (its app's `*_for_user`), and may archive."""
    entry = _kind(kind)
    obj = get_in_scope(entry.visible(user), pk, _("未找到该对象，或不在您的权限范围内。"))
    if not managed(user, entry).filter(pk=obj.pk).exists():
        raise PermissionDenied(_("只有管辖该对象的民政局工作人员可以归档。"))
    return obj


def get_for_restore(user, kind: str, pk):
    entry = _kind(kind)
    require_archive_list(user)
    return get_in_scope(managed(user, entry).filter(archived_at__isnull=False), pk,
                        _("未找到该已归档对象，或不在您的权限范围内。"))


def archived_for_user(user, entry: registry.Kind):
    return (managed(user, entry).filter(archived_at__isnull=False)
            .select_related("archived_by").order_by("-archived_at", "-pk"))
