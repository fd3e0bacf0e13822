from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task(time_limit=60)
def ping(value: str = "pong") -> str:
    """Round-trip through the broker; used by the worker health test and `make run`."""
    return value


@shared_task(time_limit=600, acks_late=True)
def clear_expired_sessions() -> int:
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
