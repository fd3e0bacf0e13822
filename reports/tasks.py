from celery import shared_task
from django.conf import settings

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=settings.SHEQU_REPORT_TIME_LIMIT,
             soft_time_limit=settings.SHEQU_REPORT_TIME_LIMIT - 30)
def build_report(report_id: int) -> str:
    """Idempotent: a redelivered message rebuilds the same job; a finished one is kept."""
    return services.report_build(report_id=report_id).status


@shared_task(time_limit=300)
def sweep_reports() -> int:
    """Every minute: re-send queued jobs, requeue or fail jobs whose worker died."""
    return services.sweep_reports()


@shared_task(time_limit=300)
def fail_stale_reports() -> int:
    # The old beat entry's name, kept so a message queued before the upgrade still runs.
    return services.sweep_reports()


@shared_task(time_limit=600)
def cleanup_reports() -> int:
    return services.cleanup_reports()


@shared_task(time_limit=600)
def monthly_reports() -> int:
    return len(services.monthly_reports())


@shared_task(time_limit=600)
def progress_reminders() -> int:
    return services.progress_reminders()
