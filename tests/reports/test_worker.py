"""A real Celery worker process builds a report over Redis, against the test database
(PostgreSQL), as production does."""

import os
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

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def test_worker_builds_a_report_over_redis(cast, places, build, tmp_path, settings):
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        if os.environ.get("CI"):
            pytest.fail("CI runs this against PostgreSQL and Redis (.ci/run sets DATABASE_URL and REDIS_URL).")
        pytest.skip("Needs PostgreSQL and Redis (set DATABASE_URL and REDIS_URL).")
    from shequ.celery import app

    build(Application.Status.APPROVED, amount=Decimal("50000"))
    app.conf.task_always_eager = False
    settings.MEDIA_ROOT = tmp_path / "media"
    database = connection.settings_dict
    env = dict(os.environ, SHEQU_VAR_DIR=str(tmp_path),
               DATABASE_URL=f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}")
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "shequ", "worker", "--pool=solo", "--loglevel=INFO",
         "--without-heartbeat", "--without-mingle", "--without-gossip", "-n", f"reports-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        with transaction.atomic():
            report = services.report_request(actor=cast["city_bureau"], kind="funding", format="xlsx",
                                             region=places.city)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            report.refresh_from_db()
            if report.status in (Report.Status.DONE, Report.Status.FAILED):
                break
            time.sleep(0.5)
    finally:
        worker.terminate()
        try:
            output = worker.communicate(timeout=20)[0]
        except subprocess.TimeoutExpired:
            worker.kill()
            output = ""
    assert report.status == Report.Status.DONE, (report.error, output[-3000:])
    assert (tmp_path / "media" / report.file.name).exists()
    assert report.row_count > 0
