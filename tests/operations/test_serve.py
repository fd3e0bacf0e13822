"""`make serve` really serves: deploy/serve.sh (production settings, collectstatic,
migrate, gunicorn, Celery worker and beat) on a free port and a fresh SQLite database
answers /readyz, the login page and its static files, and stops on TERM."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8", "replace")


def _stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        process.wait()


def _running_in_group(pgid: int) -> list[int]:
    """Processes of the group that still run (zombies left to an init that does not
    reap them do not count)."""
    running = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            running.append(int(stat.parent.name))
    return running


def test_production_settings_pass_check_deploy_with_https_on(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in {"SHEQU_HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(DEBUG="False", SECRET_KEY="x" * 20 + "-check-deploy-only-" + "y" * 30, ALLOWED_HOSTS="shequ.example.org",
               SHEQU_VAR_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_served_stack_answers_and_stops(tmp_path):
    port = _free_port()
    env = {key: value for key, value in os.environ.items()
           if key not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG"}}
    env.update(
        SHEQU_VAR_DIR=str(tmp_path / "var"),
        HOST="127.0.0.1",
        PORT=str(port),
        BIN=str(Path(sys.executable).parent),
        WEB_CONCURRENCY="2",
        CELERY_CONCURRENCY="1",
        SHEQU_STATIC_COMPRESS="False",
    )
    log = tmp_path / "serve.log"
    with open(log, "w") as out:
        process = subprocess.Popen([str(ROOT / "deploy" / "serve.sh")], cwd=ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                status, _, body = _get(f"{base}/readyz")
            except OSError:
                status = None
            if status == 200:
                break
            time.sleep(0.5)
        assert status == 200, "the stack never became ready"

        status, headers, body = _get(f"{base}/accounts/login/")
        assert status == 200 and "登录" in body
        assert headers.get("X-Request-ID")
        assert "Strict-Transport-Security" not in headers  # plain HTTP: SHEQU_HTTPS=False
        stylesheet = re.search(r'href="(/static/css/shequ\.[0-9a-f]{12}\.css)"', body)
        assert stylesheet, "static files are not the collected, hashed ones"
        assert _get(base + stylesheet.group(1))[0] == 200
        status, _, body = _get(f"{base}/no/such/page/")
        assert status == 404 and "错误编号：" in body
        key = tmp_path / "var" / "secret_key"
        assert key.exists() and oct(key.stat().st_mode & 0o777) == "0o600"
        # The worker and beat came up beside the web server.
        while time.monotonic() < deadline and not all(
                mark in log.read_text() for mark in ("Booting worker", " ready.", "beat: Starting")):
            time.sleep(0.5)
    finally:
        _stop(process)
    output = log.read_text()
    assert process.returncode is not None
    deadline = time.monotonic() + 15
    while _running_in_group(process.pid) and time.monotonic() < deadline:
        time.sleep(0.3)
    assert not _running_in_group(process.pid), "the served stack did not stop:\n" + output[-3000:]
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0
    assert "Booting worker" in output and " ready." in output and "beat: Starting" in output, output[-3000:]
