"""The e-mail outbox: rows written in the caller's transaction, delivered by a Celery
task with retries and backoff, re-driven by beat every minute.

Outbox rows are delivery bookkeeping, not a workflow object: nobody acts on them, no
page offers their steps, and `notifications` sits below the `workflow` engine in the
layout. Their status therefore moves here, only here, by conditional UPDATEs (see
tests/test_workflow_engine.py EXEMPT)."""

import datetime
import logging
from collections.abc import Iterable

from celery import current_app
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import OutboxMessage

logger = logging.getLogger(__name__)
S = OutboxMessage.Status
MAX_ATTEMPTS = 8
# A claimed row is not offered again for this long: the sender that claimed it has
# this much time to send and record it (a dead sender's row is then tried again).
LEASE = datetime.timedelta(minutes=5)


def backoff(attempts: int) -> datetime.timedelta:
    """1, 2, 4, … minutes, at most an hour."""
    return datetime.timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def enqueue(messages: Iterable[OutboxMessage]) -> list[OutboxMessage]:
    """Write the rows in the caller's transaction and ask a worker to deliver them after
    it commits. Rows whose key exists already are left as they are."""
    rows = OutboxMessage.objects.bulk_create(list(messages), ignore_conflicts=True)
    if rows:
        transaction.on_commit(kick)
    return rows


def kick() -> bool:
    """Ask a worker to deliver now. The broker being down must not fail the request that
    caused the mail: the row stays pending and beat re-drives it."""
    try:
        # Looked up by name: notifications.tasks imports this module.
        current_app.tasks["notifications.tasks.deliver_outbox"].delay()
    except Exception:  # kombu OperationalError, socket errors, a misconfigured broker: all the same to the caller
        logger.warning("outbox: could not reach the broker; pending mail waits for the beat re-drive", exc_info=True)
        return False
    return True


def _due_ids(now: datetime.datetime, limit: int) -> list[int]:
    queryset = OutboxMessage.objects.filter(status=S.PENDING, next_attempt_at__lte=now).order_by("next_attempt_at")
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            return list(queryset.select_for_update(skip_locked=True).values_list("pk", flat=True)[:limit])
    return list(queryset.values_list("pk", flat=True)[:limit])


def _claim(pk: int, now: datetime.datetime) -> OutboxMessage | None:
    """Take one row for sending: a conditional UPDATE, so of two senders only one wins."""
    claimed = OutboxMessage.objects.filter(pk=pk, status=S.PENDING, next_attempt_at__lte=now).update(
        attempts=F("attempts") + 1, next_attempt_at=now + LEASE)
    return OutboxMessage.objects.get(pk=pk) if claimed else None


def deliver_one(message: OutboxMessage, *, now: datetime.datetime) -> bool:
    try:
        send_mail(message.subject, message.body, None, [message.recipient])
    except Exception as exc:  # SMTP refusals and network errors: record, back off, try again later
        logger.warning("outbox %s: sending failed (attempt %s)", message.pk, message.attempts, exc_info=True)
        gave_up = message.attempts >= MAX_ATTEMPTS
        OutboxMessage.objects.filter(pk=message.pk, status=S.PENDING).update(
            status=S.FAILED if gave_up else S.PENDING, next_attempt_at=now + backoff(message.attempts),
            last_error=f"{type(exc).__name__}: {exc}"[:2000])
        return False
    sent_at = timezone.now()
    OutboxMessage.objects.filter(pk=message.pk, status=S.PENDING).update(status=S.SENT, sent_at=sent_at,
                                                                          last_error="")
    if message.notification_id:
        from .models import Notification

        Notification.objects.filter(pk=message.notification_id, emailed_at__isnull=True).update(emailed_at=sent_at)
    return True


def deliver_pending(*, now: datetime.datetime | None = None, limit: int = 200) -> int:
    """Send every due pending row once. Safe to run in several workers at once."""
    now = now or timezone.now()
    sent = 0
    for pk in _due_ids(now, limit):
        message = _claim(pk, now)
        if message is not None:
            sent += deliver_one(message, now=now)
    return sent


def subject_for(title: str) -> str:
    # The mail goes out in the language of the request that caused it (services run inside it).
    return (_("[社区营造] %(title)s") % {"title": title})[:250]
