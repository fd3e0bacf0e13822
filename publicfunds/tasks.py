from celery import shared_task

from . import dossier


@shared_task(acks_late=True, time_limit=300, soft_time_limit=270)
def build_dossier(fund_id: int) -> bool:
    """Idempotent: builds only when a request is newer than the last build."""
    return dossier.dossier_build(fund_id=fund_id)


@shared_task(time_limit=300)
def sweep_dossiers() -> int:
    """Builds what a lost message left requested (the broker was down when it was queued)."""
    return dossier.sweep_dossiers()
