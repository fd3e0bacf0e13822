from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from .models import Notification


@shared_task(time_limit=300, acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_emails(notification_ids: list[int]) -> int:
    """Send each notification's e-mail once: rows already marked emailed are skipped,
    so a retried task does not mail twice."""
    sent = 0
    pending = Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True).select_related("user")
    for notification in pending:
        link = f"\n\n{settings.SHEQU_SITE_URL}{notification.url}" if notification.url else ""
        send_mail(f"[社区营造] {notification.title}", notification.body + link, None, [notification.user.email])
        Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(emailed_at=timezone.now())
        sent += 1
    return sent
