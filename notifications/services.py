"""In-app notifications plus e-mail. Services call `notify` inside their transaction:
the notification rows and one outbox row per e-mail are written in that transaction,
so a state change and its mail are kept or lost together; a worker sends the mail
after the commit (notifications.outbox)."""

from collections.abc import Iterable

from django.conf import settings

from . import outbox
from .models import Notification, NotificationPreference, OutboxMessage
from .registry import is_registered, kind_codes


def notify(*, users: Iterable, kind: str, title: str, body: str = "", url: str = "") -> list[Notification]:
    if not is_registered(kind):
        raise ValueError(f"unknown notification kind {kind!r}: register it with notifications.registry.register_kind")
    recipients = {u.pk: u for u in users if u is not None and u.is_active}
    if not recipients:
        return []
    notifications = Notification.objects.bulk_create(
        Notification(user_id=pk, kind=kind, title=title[:200], body=body[:5000], url=url) for pk in recipients
    )
    muted = set(NotificationPreference.objects.filter(user_id__in=recipients, kind=kind, email=False)
                .values_list("user_id", flat=True))
    link = f"\n\n{settings.SHEQU_SITE_URL}{url}" if url else ""
    outbox.enqueue(
        OutboxMessage(key=f"notification:{n.pk}", notification=n, recipient=recipients[n.user_id].email,
                      subject=outbox.subject_for(title), body=body + link)
        for n in notifications if n.user_id not in muted and recipients[n.user_id].email
    )
    return notifications


def set_email_preferences(*, user, enabled_kinds: set[str]) -> None:
    for kind in kind_codes():
        NotificationPreference.objects.update_or_create(user=user, kind=kind,
                                                        defaults={"email": kind in enabled_kinds})


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
