"""kill -9 of a real Celery worker mid-report, over Redis and PostgreSQL: the job's
heartbeat stops, the sweep requeues it, another worker finishes it (issue 14)."""

import datetime
import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection, transaction

from projects.models import Application
from reports import services
from reports.models import Report

# Skipped at collection (not inside the test) without PostgreSQL and Redis, so that on
# SQLite no transactional test flushes the divisions other tests in this worker share.
# CI sets both and fails below if the database is not PostgreSQL after all.
NEEDS = os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("REDIS_URL")
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(not NEEDS and not os.environ.get("CI"),
                                 reason="Needs PostgreSQL and Redis (set DATABASE_URL and REDIS_URL).")]
ROOT = Path(__file__).resolve().parents[2]


def start_worker(tmp_path, name, script=None, **extra_env):
    database = connection.settings_dict
    env = dict(os.environ, SHEQU_VAR_DIR=str(tmp_path), SHEQU_REPORT_HEARTBEAT_INTERVAL="1", **extra_env,
               DATABASE_URL=f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}")
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    args = ["worker", "--pool=solo", "--loglevel=INFO", "--without-heartbeat", "--without-mingle",
            "--without-gossip", "-n", f"{name}-{os.getpid()}@%h"]
    command = [sys.executable, script, *args] if script else [sys.executable, "-m", "celery", "-A", "shequ", *args]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_for(report, condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if condition(report):
            return True
        time.sleep(0.25)
    return False


def stop(worker):
    worker.terminate()
    try:
        return worker.communicate(timeout=15)[0]
    except subprocess.TimeoutExpired:
        worker.kill()
        return worker.communicate()[0]


def test_a_killed_worker_job_is_requeued_and_finished(cast, places, build, tmp_path, settings):
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        if os.environ.get("CI"):
            pytest.fail("CI runs this against PostgreSQL and Redis (.ci/run sets DATABASE_URL and REDIS_URL).")
        pytest.skip("Needs PostgreSQL and Redis (set DATABASE_URL and REDIS_URL).")
    from shequ.celery import app

    build(Application.Status.APPROVED, amount=Decimal("50000"))
    app.conf.task_always_eager = False
    settings.MEDIA_ROOT = tmp_path / "media"
    doomed = start_worker(tmp_path, "doomed", str(ROOT / "tests" / "reports" / "slow_worker.py"),
                          SLOW_BUILD_SECONDS="60")
    rescuer = None
    try:
        with transaction.atomic():
            report = services.report_request(actor=cast["city_bureau"], kind="funding", format="xlsx",
                                             region=places.city)
        assert wait_for(report, lambda r: r.status == Report.Status.RUNNING and r.heartbeat_at, 25), stop(doomed)
        first_beat = report.heartbeat_at
        assert wait_for(report, lambda r: r.heartbeat_at > first_beat, 5)  # the heartbeat thread beats

        doomed.send_signal(signal.SIGKILL)  # mid-report, no chance to clean up or acknowledge
        doomed.wait(timeout=10)
        time.sleep(1.5)
        report.refresh_from_db()
        frozen = report.heartbeat_at
        assert report.status == Report.Status.RUNNING
        assert not wait_for(report, lambda r: r.heartbeat_at != frozen, 2)  # nobody beats any more

        # Two minutes and a second later, beat's sweep notices and requeues it.
        assert services.sweep_reports(now=frozen + datetime.timedelta(seconds=121)) == 1
        report.refresh_from_db()
        assert (report.status, report.restarts) == (Report.Status.QUEUED, 1)

        rescuer = start_worker(tmp_path, "rescuer")
        assert wait_for(report, lambda r: r.status in (Report.Status.DONE, Report.Status.FAILED), 30)
    finally:
        output = stop(rescuer) if rescuer else ""
        if doomed.poll() is None:
            stop(doomed)
    assert report.status == Report.Status.DONE, (report.error, output[-3000:])
    assert report.attempts == 2
    assert (tmp_path / "media" / report.file.name).exists()
    assert len(list((tmp_path / "media").rglob("*.xlsx"))) == 1  # one file, not one per attempt
