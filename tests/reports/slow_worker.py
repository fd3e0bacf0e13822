"""A Celery worker whose Excel builder takes SLOW_BUILD_SECONDS: long enough for a test
to kill it mid-report (tests/reports/test_worker_killed.py). Run as a script."""

import os
import sys
import time

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")

import django  # noqa: E402

django.setup()

from reports import builders  # noqa: E402
from shequ.celery import app  # noqa: E402

_real = builders.BUILDERS["xlsx"]


def _slow(data, handle):
    time.sleep(float(os.environ.get("SLOW_BUILD_SECONDS", "30")))
    return _real(data, handle)


builders.BUILDERS["xlsx"] = _slow

if __name__ == "__main__":
    app.worker_main(sys.argv[1:])
