"""The Celery app. Broker and backend come from settings (Redis or the filesystem)."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")

app = Celery("shequ")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The beat schedule lives in code so that it is reviewed like code. Later capabilities
# (monthly reports, due-update reminders) add their entries here.
app.conf.beat_schedule = {
    "clear-expired-sessions": {
        "task": "shequ.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=30),
    },
}


@app.on_after_configure.connect
def _ensure_broker_folders(sender, **kwargs):
    # The filesystem transport needs its folders to exist before a worker polls them.
    from django.conf import settings

    if str(settings.CELERY_BROKER_URL).startswith("filesystem"):
        for key in ("data_folder_in", "data_folder_out", "processed_folder"):
            os.makedirs(settings.CELERY_BROKER_TRANSPORT_OPTIONS[key], exist_ok=True)
        os.makedirs(settings.CELERY_RESULTS_DIR, exist_ok=True)
