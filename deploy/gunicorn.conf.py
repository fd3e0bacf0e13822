"""Gunicorn settings for `make serve`, the systemd unit and the container. Every value
can be overridden from the environment."""

import os


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


bind = os.environ.get("GUNICORN_BIND") or f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# The usual 2 × cores + 1 sync workers, capped: reports and PDFs run on Celery, so web
# workers only wait on the database.
workers = int(
    os.environ.get("WEB_CONCURRENCY") or min(2 * _cores() + 1, int(os.environ.get("GUNICORN_MAX_WORKERS", 9)))
)
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never takes the site down.
max_requests = 2000
max_requests_jitter = 200
# Trust X-Forwarded-* only from the local proxy (nginx on the same host).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}o)s'
