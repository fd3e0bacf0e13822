"""The request id follows work into Celery: the publishing side puts it in the message
headers, the worker logs the task under it (or under the task's own id)."""

from types import SimpleNamespace

from celery.signals import task_success

from operations import request_id
from shequ.tasks import ping


def test_a_task_queued_in_a_request_carries_its_id():
    token = request_id.set_current("req-00001234")
    try:
        headers = {}
        request_id.on_task_publish(headers=headers)
        assert headers == {"request_id": "req-00001234"}
    finally:
        request_id.reset(token)
    headers = {}
    request_id.on_task_publish(headers=headers)
    assert headers == {}  # outside a request nothing is added


def test_the_worker_logs_a_task_under_the_request_id_or_its_own():
    task = SimpleNamespace(request=SimpleNamespace(request_id="req-00005678"))
    request_id.on_task_start(task_id="t1", task=task)
    assert request_id.current() == "req-00005678"
    request_id.on_task_end(task_id="t1")
    assert request_id.current() == "-"
    request_id.on_task_start(task_id="t2", task=SimpleNamespace(request=SimpleNamespace()))
    assert request_id.current() == "task-t2"
    request_id.on_task_end(task_id="t2")
    assert request_id.current() == "-"


def test_an_eager_task_keeps_the_request_id():
    seen = []

    def record(**kwargs):  # task_success fires inside the task's context, before postrun
        seen.append(request_id.current())

    task_success.connect(record, weak=False)
    token = request_id.set_current("req-eager001")
    try:
        assert ping.apply(args=["x"]).get() == "x"
        after = request_id.current()
    finally:
        request_id.reset(token)
        task_success.disconnect(record)
    assert seen == ["req-eager001"] and after == "req-eager001"


def test_untrusted_ids_are_replaced():
    assert request_id.make("short") != "short"
    assert request_id.make("a" * 65) != "a" * 65
    assert request_id.make("bad id with spaces") != "bad id with spaces"
    assert request_id.make("0f3c2b9e-1d2a-4c55-9e1b-7a9b2c3d4e5f") == "0f3c2b9e-1d2a-4c55-9e1b-7a9b2c3d4e5f"
