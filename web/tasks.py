"""The thumbnail task (see web.thumbnails): idempotent, retried on storage errors."""
from celery import shared_task
from django.apps import apps

from . import thumbnails


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
