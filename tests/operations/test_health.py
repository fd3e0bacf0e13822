"""/healthz says the process is up without touching anything; /readyz says whether the
instance should get traffic, without login and without leaking paths or hosts."""

import time
from unittest import mock

import pytest
from django.db import connection
from django.db.utils import OperationalError

from operations import heartbeat
from operations.tasks import worker_heartbeat


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.REDIS_URL = ""
    return settings.VAR_DIR


def test_healthz_answers_without_the_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0), mock.patch.object(connection, "ensure_connection",
                                                         side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_is_200_when_everything_answers(client, db, var_dir):
    worker_heartbeat()
    response = client.get("/readyz")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "ok"
    assert data["checks"]["database"]["ok"] is True
    assert data["checks"]["broker"] == {"ok": None, "skipped": True}
    assert data["checks"]["worker"]["ok"] is True and data["checks"]["worker"]["age_seconds"] <= 5
    assert data["checks"]["disk"]["ok"] is True and data["checks"]["disk"]["var_free_mb"] > 0
    assert str(var_dir) not in response.content.decode()


def test_readyz_is_503_when_the_database_is_down(client, db, var_dir):
    with mock.patch.object(connection, "ensure_connection", side_effect=OperationalError("host 10.0.0.5 refused")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {"ok": False}
    assert "10.0.0.5" not in response.content.decode()


def test_readyz_is_503_when_redis_is_unreachable(client, db, var_dir, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == {"ok": False}


def test_readyz_is_503_when_the_disk_is_full(client, db, var_dir, settings):
    settings.SHEQU_MIN_FREE_DISK_MB = 10**12
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["disk"]["ok"] is False


def test_a_stale_worker_is_reported_but_does_not_take_the_site_out(client, db, var_dir, settings):
    heartbeat.beat(time.time() - 3600)
    settings.SHEQU_HEARTBEAT_MAX_AGE = 300
    response = client.get("/readyz")
    assert response.status_code == 200
    worker = response.json()["checks"]["worker"]
    assert worker["ok"] is False and worker["age_seconds"] >= 3600 and worker["critical"] is False


def test_no_heartbeat_yet_reads_as_unknown_age(var_dir):
    assert heartbeat.age() is None


def test_heartbeat_is_shared_through_redis_when_configured(settings, var_dir):
    import redis
    url = "redis://127.0.0.1:6379/3"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("No Redis on 127.0.0.1:6379.")
    settings.REDIS_URL = url
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
                                   "KEY_PREFIX": f"ops-test-{time.monotonic_ns()}"}}
    heartbeat.beat(time.time() - 42)
    (var_dir / "celery" / "heartbeat").unlink()  # another host's worker: only the cache has it
    assert 41 <= heartbeat.age() <= 50
