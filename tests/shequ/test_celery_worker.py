"""A real Celery worker process, on Redis when REDIS_URL is set and on the filesystem
broker otherwise, runs a task end to end."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker(tmp_path):
    env = dict(os.environ)
    if not env.get("REDIS_URL"):
        # A private var/ so the test's filesystem broker never meets a developer's worker.
        env["SHEQU_VAR_DIR"] = str(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "shequ", "worker", "--pool=solo", "--loglevel=INFO",
         "--without-heartbeat", "--without-mingle", "--without-gossip", "-n", f"test-{os.getpid()}@%h",
         "-Q", f"test-{os.getpid()}"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    yield env, f"test-{os.getpid()}"
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_worker_runs_a_task_end_to_end(worker):
    env, queue = worker
    # The client runs in its own process too, with the same environment as the worker.
    script = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','shequ.settings'); django.setup();"
        "from shequ.tasks import ping;"
        f"print(ping.apply_async(args=['社区'], queue='{queue}').get(timeout=60))"
    )
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("社区")
    assert time.monotonic() - started < 120


def test_beat_schedule_is_defined_in_code():
    from shequ.celery import app

    assert "clear-expired-sessions" in app.conf.beat_schedule
    assert app.conf.beat_schedule["clear-expired-sessions"]["task"] == "shequ.tasks.clear_expired_sessions"
