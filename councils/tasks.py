from celery import shared_task

from . import services


@shared_task(time_limit=300, acks_late=True)
def executions_overdue_sweep() -> int:
    """Daily: council decisions past their due date become rectification items."""
    return services.executions_overdue_sweep()
