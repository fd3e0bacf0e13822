"""The checks behind /readyz. Each returns a dict with "ok" (True, False, or None when
not applicable) and numbers only — no paths, hosts or error texts leave the server."""

import logging
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.db import connections

from . import heartbeat

logger = logging.getLogger("operations")


def _elapsed_ms(start: float) -> float:
    return round((time.monotonic() - start) * 1000, 1)


def check_database() -> dict:
    start = time.monotonic()
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "not ready"; the reason goes to the log only
        logger.warning("就绪检查：数据库不可用（%s）", type(exc).__name__)
        return {"ok": False}
    return {"ok": True, "ms": _elapsed_ms(start)}


def check_broker() -> dict:
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        # The filesystem broker lives under var/, checked with the disk.
        return {"ok": None, "skipped": True}
    import redis

    start = time.monotonic()
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            client.ping()
        finally:
            client.close()
    except Exception as exc:
        logger.warning("就绪检查：Redis 不可用（%s）", type(exc).__name__)
        return {"ok": False}
    return {"ok": True, "ms": _elapsed_ms(start)}


def check_worker() -> dict:
    max_age = getattr(settings, "SHEQU_HEARTBEAT_MAX_AGE", 300)
    age = heartbeat.age()
    return {"ok": age is not None and age <= max_age, "age_seconds": None if age is None else round(age),
            "critical": False}


def _free_mb(path: Path) -> int:
    path = Path(path)
    while not path.exists() and path != path.parent:  # media/ appears with the first upload
        path = path.parent
    return shutil.disk_usage(path).free // (1024 * 1024)


def check_disk() -> dict:
    minimum = getattr(settings, "SHEQU_MIN_FREE_DISK_MB", 512)
    var_free = _free_mb(settings.VAR_DIR)
    media_free = _free_mb(settings.MEDIA_ROOT)
    return {"ok": min(var_free, media_free) >= minimum, "var_free_mb": var_free, "media_free_mb": media_free,
            "min_free_mb": minimum}


def run_checks() -> dict:
    return {"database": check_database(), "broker": check_broker(), "worker": check_worker(), "disk": check_disk()}
