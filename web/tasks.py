"""The thumbnail task (see web.thumbnails): queued after commit, idempotent, retried on storage errors."""
import logging

from celery import shared_task
from django.apps import apps
from django.db import transaction

from . import thumbnails

logger = logging.getLogger(__name__)


@shared_task(bind=True, time_limit=120, soft_time_limit=100, acks_late=True, ignore_result=True,
             max_retries=5, default_retry_delay=30)
def make_thumbnail(self, model_label: str, pk: int, field_name: str) -> bool:
    """Make the thumbnail of one registered image field; True when made now, False when it
    existed already or the row or file is gone (nothing to retry)."""
    if (model_label, field_name) not in thumbnails.registered():
        return False
    instance = apps.get_model(model_label).objects.filter(pk=pk).first()
    field_file = getattr(instance, field_name, None) if instance else None
    if not field_file:
        return False
    try:
        return thumbnails.make_thumbnail(field_file)[1]
    except FileNotFoundError:
        return False  # deleted meanwhile
    except ValueError:
        return False  # not an image: the page shows the placeholder
    except OSError as exc:
        from PIL import UnidentifiedImageError

        if isinstance(exc, UnidentifiedImageError):
            return False
        raise self.retry(exc=exc) from exc


def queue_thumbnail(instance, field_name: str) -> None:
    """Make the thumbnail for `instance.<field_name>` after the caller's transaction commits.
    A broker that is down must not fail the upload: the first request makes it instead."""
    label = instance._meta.label
    if (label, field_name) not in thumbnails.registered():
        raise ValueError(f"{label}.{field_name} is not registered for thumbnails")

    def send():
        try:
            make_thumbnail.delay(label, instance.pk, field_name)
        except Exception:  # noqa: BLE001 — broker errors vary by transport
            logger.warning("thumbnail task for %s %s not queued; made on first request", label, instance.pk)

    transaction.on_commit(send)
