"""Report jobs never stuck (issue 14): a broker that is down, a worker that dies, a disk
that fills up — the job row is the truth, and within two minutes every job moves on."""

import datetime
import errno
from unittest import mock

import pytest
from celery import current_app
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from reports import services
from reports.models import Report
from reports.workflows import report_machine

pytestmark = pytest.mark.django_db


def request(actor, region, kind="funding"):
    with transaction.atomic():
        return services.report_request(actor=actor, kind=kind, format="xlsx", region=region)


def broker_down():
    return mock.patch.object(current_app.tasks["reports.tasks.build_report"], "delay",
                             side_effect=OperationalError("Error 111 connecting to 127.0.0.1:6379."))


def age(report, **fields):
    """Move the job's clocks back, as if the time had passed."""
    Report.objects.filter(pk=report.pk).update(**fields)
    report.refresh_from_db()


def commit_runs_callbacks_at_once():
    """Outside tests a request's atomic block commits, and the after-commit hooks run,
    before the view goes on; inside a test transaction they would run too late."""
    return mock.patch.object(transaction, "on_commit", lambda func, using=None, robust=False: func())


def test_broker_down_the_page_says_queued_and_the_sweep_starts_it(cast, places, client_for,
                                                                     django_capture_on_commit_callbacks):
    client = client_for("city_bureau")
    with broker_down(), commit_runs_callbacks_at_once():
        response = client.post(reverse("reports:report_list"), {"kind": "progress", "format": "xlsx",
                                                                 "region": places.city.pk}, follow=True)
    assert response.status_code == 200
    assert "已排队，稍后自动开始。" in response.content.decode()
    report = Report.objects.get()
    assert report.status == Report.Status.QUEUED

    assert services.sweep_reports() == 0  # queued just now: left alone
    with django_capture_on_commit_callbacks(execute=True):
        assert services.sweep_reports(now=timezone.now() + datetime.timedelta(seconds=61)) == 1
    report.refresh_from_db()
    assert report.status == Report.Status.DONE, report.error


def test_broker_down_the_api_answers_202_queued(cast, places, client_for):
    with broker_down(), commit_runs_callbacks_at_once():
        response = client_for("city_bureau").post("/api/reports/", {"kind": "funding", "format": "csv",
                                                                    "region": places.city.pk},
                                                  content_type="application/json")
    assert response.status_code == 202
    assert (response.json()["status"], response.json()["message"]) == ("queued", "已排队，稍后自动开始。")


def test_a_stuck_queued_job_no_longer_blocks_the_same_request(cast, places, django_capture_on_commit_callbacks):
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        stuck = request(cast["city_bureau"], places.city)
    age(stuck, queued_at=timezone.now() - datetime.timedelta(minutes=5))
    # The broker is back: asking again sends the same job to a worker instead of
    # returning a dead one.
    with django_capture_on_commit_callbacks(execute=True):
        again = request(cast["city_bureau"], places.city)
    assert again.pk == stuck.pk
    stuck.refresh_from_db()
    assert stuck.status == Report.Status.DONE, stuck.error
    assert Report.objects.count() == 1


def test_the_database_holds_one_open_job_per_request(cast, places, django_capture_on_commit_callbacks):
    from django.db import IntegrityError

    with django_capture_on_commit_callbacks(execute=False):
        first = request(cast["city_bureau"], places.city)
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(kind=first.kind, format=first.format, scope_region=first.scope_region,
                              dedupe_key=first.dedupe_key)


def test_a_fresh_queued_job_is_shared_not_duplicated(cast, places, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        first = request(cast["city_bureau"], places.city)
        second = request(cast["city_bureau"], places.city)
    assert first.pk == second.pk and Report.objects.count() == 1


def test_a_dead_workers_job_is_requeued_then_failed_after_three_runs(cast, places, client_for,
                                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        report = request(cast["city_bureau"], places.city)
    now = timezone.now()
    for run in range(1, 4):
        # A worker starts the job, reports a heartbeat, and is killed.
        services.report_machine.fire(report, "start", actor=None, system=True, updates={
            "started_at": now, "heartbeat_at": now, "attempts": run})
        assert services.sweep_reports(now=now + datetime.timedelta(seconds=90)) == 0  # still fresh: left alone
        now += datetime.timedelta(minutes=2, seconds=1)
        with django_capture_on_commit_callbacks(execute=False) as sent:
            assert services.sweep_reports(now=now) == 1
        report.refresh_from_db()
        if run < 3:
            assert (report.status, report.restarts, len(sent)) == (Report.Status.QUEUED, run, 1)
    assert report.status == Report.Status.FAILED and len(sent) == 0
    assert "多次中断" in report.error
    actions = [event.action for event in report_audit(report)]
    assert actions.count("report.requeue") == 2 and actions[-1] == "report.fail"
    page = client_for("city_bureau").get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert reverse("reports:report_retry", args=[report.pk]) in page  # the retry button
    # A person's retry gives the job its restarts back.
    with django_capture_on_commit_callbacks(execute=False):
        services.report_retry(report=report, actor=cast["city_bureau"])
    report.refresh_from_db()
    assert (report.status, report.restarts) == (Report.Status.QUEUED, 0)


def report_audit(report):
    from audit.models import AuditEvent

    return AuditEvent.objects.filter(action__startswith="report.", object_id=str(report.pk)).order_by("pk")


def test_a_second_message_does_not_restart_a_live_job(cast, places, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        report = request(cast["city_bureau"], places.city)
    report_machine.fire(report, "start", actor=None, system=True, updates={"heartbeat_at": timezone.now(),
                                                                            "started_at": timezone.now()})
    assert services.report_build(report_id=report.pk).status == Report.Status.RUNNING  # refused, untouched
    assert Report.objects.get(pk=report.pk).attempts == 0


def test_disk_full_fails_in_chinese_and_leaves_no_partial_file(cast, places, settings, tmp_path,
                                                                django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    real_save = FileSystemStorage._save

    def fills_the_disk(storage, name, content):
        real_save(storage, name, type(content)(__import__("io").BytesIO(b"PK\x03\x04 half a workbook")))
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / name))

    with mock.patch.object(FileSystemStorage, "_save", fills_the_disk), \
            django_capture_on_commit_callbacks(execute=True):
        report = request(cast["city_bureau"], places.city)
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.error == "服务器存储空间不足，报表未能保存。请稍后重试或联系管理员。"
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []  # the half-written file is gone
    assert not report.file


@pytest.mark.parametrize(("exc", "expected"), [
    (OSError(errno.EACCES, "Permission denied", "/srv/media/x"), "报表文件保存失败"),
    (__import__("django.db").db.OperationalError("could not connect to server"), "数据库暂时不可用"),
    (__import__("celery.exceptions").exceptions.SoftTimeLimitExceeded(), "生成超时"),
    (KeyError("round"), "生成报表时出错"),
])
def test_failure_messages_name_no_path_errno_or_exception(exc, expected):
    message = services.user_error(exc)
    assert message.startswith(expected)
    assert "/" not in message and "rrno" not in message and type(exc).__name__ not in message
