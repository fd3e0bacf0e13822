import logging

from celery import shared_task

from . import backups, heartbeat

logger = logging.getLogger("operations")


@shared_task(time_limit=30, ignore_result=True)
def worker_heartbeat() -> float:
    """Run every minute by beat: its age in /readyz says a worker is consuming tasks."""
    return heartbeat.beat()


@shared_task(time_limit=4 * 3600, acks_late=True)
def nightly_backup() -> str:
    """The daily backup, then the retention prune. A retried run makes a new backup
    directory; a half-written one is never left looking complete."""
    path = backups.create_backup()
    removed = backups.prune()
    logger.info("备份完成：%s，清理旧备份 %d 份", path.name, len(removed))
    return path.name
