from celery import shared_task

from . import figures


@shared_task(time_limit=600)
def refresh_figures() -> int:
    """Every five minutes: the dashboard snapshots of every region someone has opened."""
    return figures.refresh_all()
