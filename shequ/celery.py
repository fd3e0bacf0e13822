"""The Celery app. Broker and backend come from settings (Redis or the filesystem)."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")

app = Celery("shequ")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The beat schedule lives in code so that it is reviewed like code.
app.conf.beat_schedule = {
    "clear-expired-sessions": {
        "task": "shequ.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=30),
    },
    # On the 1st at 02:00 (CELERY_TIMEZONE is Asia/Shanghai): last month's reports.
    "monthly-reports": {"task": "reports.tasks.monthly_reports", "schedule": crontab(day_of_month=1, hour=2, minute=0)},
    # Reminders three days before and on the day an update is due.
    "progress-reminders": {"task": "reports.tasks.progress_reminders", "schedule": crontab(hour=8, minute=0)},
    # The e-mail outbox: whatever a broker outage or a dead worker left pending.
    "deliver-outbox": {"task": "notifications.tasks.deliver_outbox", "schedule": 60.0},
    # Report jobs never stuck: re-send queued jobs, requeue those whose worker died.
    "sweep-reports": {"task": "reports.tasks.sweep_reports", "schedule": 60.0},
    "cleanup-reports": {"task": "reports.tasks.cleanup_reports", "schedule": crontab(hour=4, minute=15)},
    # operations (#14): backup and prune daily at 03:00; the worker heartbeat /readyz reads.
    "nightly-backup": {"task": "operations.tasks.nightly_backup", "schedule": crontab(hour=3, minute=0)},
    "worker-heartbeat": {"task": "operations.tasks.worker_heartbeat", "schedule": 60.0},
    # end operations
    # councils (#17): council decisions past their due date become rectification items.
    "council-executions-overdue": {"task": "councils.tasks.executions_overdue_sweep",
                                   "schedule": crontab(hour=6, minute=30)},
    # Time bank: points older than a community's expiry rule are retired, as entries.
    "timebank-expire-points": {"task": "timebank.tasks.expire_points", "schedule": crontab(hour=3, minute=45)},
    # publicfunds (#18): dossiers requested while the broker was down.
    "public-fund-dossiers": {"task": "publicfunds.tasks.sweep_dossiers", "schedule": 300.0},
    # Dashboard figures per region (places.figures: REFRESH_SECONDS).
    "refresh-figures": {"task": "places.tasks.refresh_figures", "schedule": 300.0},
}


@app.on_after_configure.connect
def _ensure_broker_folders(sender, **kwargs):
    # The filesystem transport needs its folders to exist before a worker polls them.
    from django.conf import settings

    if str(settings.CELERY_BROKER_URL).startswith("filesystem"):
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            os.makedirs(settings.CELERY_BROKER_TRANSPORT_OPTIONS[key], exist_ok=True)
        os.makedirs(settings.CELERY_RESULTS_DIR, exist_ok=True)
