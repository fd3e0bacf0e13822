"""The Celery worker's heartbeat: a beat task run by a worker writes the time; /readyz
reads its age. Shared through the cache (Redis) when there is one — several hosts see
the same value — and a file under var/ otherwise."""

import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

CACHE_KEY = "operations:worker-heartbeat"


def _file() -> Path:
    return Path(settings.VAR_DIR) / "celery" / "heartbeat"


def _shared_cache() -> bool:
    return bool(getattr(settings, "REDIS_URL", ""))


def beat(now: float | None = None) -> float:
    now = time.time() if now is None else now
    if _shared_cache():
        cache.set(CACHE_KEY, now, timeout=24 * 3600)
    path = _file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(f"{now:.3f}")
    tmp.replace(path)
    return now


def age() -> float | None:
    """Seconds since the last heartbeat, None if there has been none."""
    last = None
    if _shared_cache():
        last = cache.get(CACHE_KEY)
    if last is None:
        try:
            last = float(_file().read_text())
        except (OSError, ValueError):
            return None
    return max(0.0, time.time() - float(last))
