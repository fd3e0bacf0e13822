from celery import shared_task

from . import ledger


@shared_task(soft_time_limit=300, time_limit=360)
def expire_points() -> int:
    """Daily: expire points by each community's rule (idempotent)."""
    return ledger.expire_by_rule()
