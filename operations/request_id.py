"""The request id: taken from a trusted-looking `X-Request-ID` header or made here, put
on the response, on error pages and on every log line written while the request runs."""

import contextlib
import logging
import re
import uuid
from contextvars import ContextVar

HEADER = "X-Request-ID"
# A proxy's id is kept only if it is short and plain: it goes into logs and HTML.
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
_current: ContextVar[str] = ContextVar("request_id", default="-")


def current() -> str:
    """The id of the request being served in this thread or task, "-" outside one."""
    return _current.get()


def make(incoming: str | None = None) -> str:
    if incoming and _ACCEPTABLE.match(incoming):
        return incoming
    return uuid.uuid4().hex


def set_current(value: str):
    """Set the id; returns the token to reset it with."""
    return _current.set(value)


def reset(token) -> None:
    _current.reset(token)


class RequestIdFilter(logging.Filter):
    """Gives every record a `request_id` attribute for the formatter."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current()
        return True


# Celery signal receivers (connected in OperationsConfig.ready).

def on_task_publish(headers=None, **kwargs):
    if headers is not None and current() != "-":
        headers.setdefault("request_id", current())


_task_tokens: dict[str, object] = {}


def on_task_start(task_id=None, task=None, **kwargs):
    # From the message header; an eager task inside a request keeps the request's id.
    incoming = getattr(task.request, "request_id", None) if task is not None else None
    _task_tokens[task_id] = set_current(incoming or (current() if current() != "-" else f"task-{task_id}"))


def on_task_end(task_id=None, **kwargs):
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        # ValueError: set in another context (should not happen with prefork/solo).
        with contextlib.suppress(ValueError):
            reset(token)
