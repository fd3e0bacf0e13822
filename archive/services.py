"""Archive, restore and purge: the one mechanism for removing workflow objects (#14).

Archiving sets 归档时间/归档人/归档原因 on the row; every `*_for_user` queryset leaves
archived rows out, so the object disappears from lists, API, exports and reports while
its history, relations and files stay. Restoring clears the three fields. Both are
audited on the object. Purging (a superuser, from `manage.py purge_archived`) is the
only hard delete: archived rows older than N days, never one whose deletion would take a
live archivable object with it, with the counts removed per model in the audit row.
"""

import datetime
from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from web import archive as registry

from . import access

REASON_MAX_LENGTH = 500


def _entry(obj) -> registry.Kind:
    entry = registry.kind_for(obj)
    if entry is None:
        raise ValidationError(_("该对象不能归档。"))
    return entry


def _check_scope(obj, actor, entry: registry.Kind) -> None:
    if not access.managed(actor, entry).filter(pk=obj.pk).exists():
        raise PermissionDenied(_("只有管辖该对象的民政局工作人员可以归档或恢复。"))


@transaction.atomic
def archive(*, obj, actor, reason: str):
    """Archive `obj` (an Archivable row registered in web.archive) with a reason."""
    entry = _entry(obj)
    _check_scope(obj, actor, entry)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写归档原因。")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": _("归档原因不能超过 %(n)s 个字。") % {"n": REASON_MAX_LENGTH}})
    row = entry.model.objects.select_for_update().get(pk=obj.pk)
    if row.archived_at is not None:
        raise ValidationError(_("该%(label)s已经归档。") % {"label": entry.label})
    now = timezone.now()
    entry.model.objects.filter(pk=row.pk).update(archived_at=now, archived_by=actor, archive_reason=reason)
    audit.record(actor=actor, obj=row, action="archive.archive", reason=reason, data={"kind": entry.kind})
    row.refresh_from_db()
    return row


@transaction.atomic
def restore(*, obj, actor):
    """Bring an archived object back into the lists."""
    entry = _entry(obj)
    _check_scope(obj, actor, entry)
    row = entry.model.objects.select_for_update().get(pk=obj.pk)
    if row.archived_at is None:
        raise ValidationError(_("该%(label)s没有归档。") % {"label": entry.label})
    entry.model.objects.filter(pk=row.pk).update(archived_at=None, archived_by=None, archive_reason="")
    audit.record(actor=actor, obj=row, action="archive.restore",
                 data={"kind": entry.kind, "archived_at": row.archived_at.isoformat(),
                       "archive_reason": row.archive_reason})
    row.refresh_from_db()
    return row


def _kept(instance, cutoff) -> bool:
    return instance.archived_at is None or instance.archived_at >= cutoff


def _protected_victims(collector: Collector, cutoff) -> list[str]:
    """Archivable rows the deletion would cascade to that are not themselves due for
    purging (live, or archived more recently than the cutoff)."""
    victims = []
    for model, instances in collector.data.items():
        if issubclass(model, registry.Archivable):
            victims += [f"{model._meta.verbose_name} #{i.pk}" for i in instances if _kept(i, cutoff)]
    for queryset in collector.fast_deletes:
        if issubclass(queryset.model, registry.Archivable) and queryset.exclude(archived_at__lt=cutoff).exists():
            victims.append(str(queryset.model._meta.verbose_name))
    return victims


def _files(collector: Collector) -> list[tuple]:
    files = []
    for model, instances in collector.data.items():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        for instance in instances:
            for field in fields:
                value = getattr(instance, field.attname)
                if value:
                    files.append((field.storage, str(value)))
    return files


def purge(*, actor, older_than_days: int, commit: bool = False) -> dict:
    """Delete archived rows archived more than `older_than_days` ago, children first.

    Superusers only. Returns {"counts": {model label: rows removed}, "objects": n,
    "skipped": [reason, …]}. Without `commit` everything runs and is rolled back, so
    the counts are exactly what a real run would remove. A real run writes one audit
    row with the counts and removes the deleted rows' files after commit."""
    if actor is None or not actor.is_active or not actor.is_superuser:
        raise PermissionDenied(_("只有超级管理员可以清除已归档数据。"))
    if older_than_days < 0:
        raise ValidationError(_("天数不能为负数。"))
    cutoff = timezone.now() - datetime.timedelta(days=older_than_days)
    counts: Counter = Counter()
    skipped: list[str] = []
    objects = 0
    files: list[tuple] = []
    # Children before parents: a report before its project, a project before its round.
    order = sorted(registry.kinds(), key=lambda k: -k.order)
    with transaction.atomic():
        for entry in order:
            for obj in entry.model.objects.filter(archived_at__lt=cutoff).order_by("pk"):
                collector = Collector(using=DEFAULT_DB_ALIAS)
                try:
                    collector.collect([obj])
                except (ProtectedError, RestrictedError):
                    skipped.append(_("%(label)s #%(pk)s：仍被其他记录引用，未清除。") % {
                        "label": entry.label, "pk": obj.pk})
                    continue
                victims = _protected_victims(collector, cutoff)
                if victims:
                    skipped.append(_("%(label)s #%(pk)s：会连带删除未到期清除的%(v)s，未清除。") % {
                        "label": entry.label, "pk": obj.pk, "v": "、".join(victims[:3])})
                    continue
                files += _files(collector)
                _total, removed = collector.delete()
                counts.update({label: n for label, n in removed.items() if n})
                objects += 1
        result = {"counts": dict(sorted(counts.items())), "objects": objects, "skipped": skipped,
                  "older_than_days": older_than_days, "commit": commit}
        if not commit:
            transaction.set_rollback(True)
        elif objects or skipped:
            audit.record(actor=actor, obj=actor, action="archive.purge", data=result)

            def remove_files():
                for storage, name in files:
                    storage.delete(name)

            transaction.on_commit(remove_files)
    return result
