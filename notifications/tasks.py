from celery import shared_task

from . import outbox


@shared_task(time_limit=300, soft_time_limit=270, acks_late=True, ignore_result=True)
def deliver_outbox() -> int:
    """Deliver due outbox rows. Idempotent: each row is claimed by a conditional UPDATE
    and marked sent once; a retry or a second worker finds nothing left to send."""
    return outbox.deliver_pending()


@shared_task(time_limit=300, ignore_result=True)
def send_notification_emails(notification_ids: list[int] | None = None) -> int:
    """The pre-outbox task name, kept so messages queued before the upgrade still drain:
    the rows are in the outbox now, so this simply delivers what is due."""
    return outbox.deliver_pending()
