"""Report jobs: request (deduplicated), build (idempotent, run by Celery), retry,
fail stale jobs, clean old files."""

import contextlib
import datetime
import errno
import hashlib
import json
import logging
import tempfile
import threading

from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django import db
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment, User
from audit import services as audit
from notifications.services import notify
from places.models import Region
from places.reporting import Filters, ReportData, report_kind, report_kinds
from projects.access import get_project_for_user
from projects.models import Project
from reports.notification_kinds import NotificationKind

from . import access
from .builders import BUILDERS
from .models import Report, report_path
from .workflows import heartbeat_is_fresh, report_machine

logger = logging.getLogger(__name__)
ACTIVE = (Report.Status.QUEUED, Report.Status.RUNNING)
PARAM_KEYS = ("round", "year", "street", "agency", "period_start", "period_end")


def _clean_params(params: dict) -> dict:
    cleaned = {}
    for key in PARAM_KEYS:
        value = params.get(key)
        if value in (None, ""):
            continue
        cleaned[key] = value.isoformat() if isinstance(value, datetime.date) else (
            value.pk if hasattr(value, "pk") else value)
    return cleaned


@transaction.atomic
def report_request(*, actor: User | None, kind: str, format: str, region: Region | None = None,
                   project: Project | None = None, params: dict | None = None) -> Report:
    """Queue a report, or return the same one if it is already queued or running. A job
    whose worker or broker message was lost does not block the request: it is sent
    again (or, out of restarts, failed and a new one queued)."""
    params = _clean_params(params or {})
    spec = report_kind(kind)
    if spec is None or format not in Report.Format.values:
        raise ValidationError(_("未知的报表类型或格式。"))
    if format not in spec.formats:
        raise ValidationError({"format": _("%(k)s只提供 %(f)s。") % {
            "k": spec.label, "f": "、".join(f.upper() for f in spec.formats)}})
    if spec.per_project:
        if project is None:
            raise ValidationError({"project": _("%(k)s须指定项目。") % {"k": spec.label}})
        if actor is not None:
            get_project_for_user(actor, project.pk)
        region = project.community.street.parent
    else:
        project = None
        if region is None:
            raise ValidationError({"region": _("请选择报表范围。")})
        if actor is not None:
            access.require_report_region(actor, region)
    language = _report_language()
    key_source = json.dumps([kind, format, region.pk, project.pk if project else None, params, language],
                            sort_keys=True)
    dedupe_key = hashlib.sha256(key_source.encode()).hexdigest()
    open_job = Report.objects.select_for_update().filter(dedupe_key=dedupe_key, status__in=ACTIVE).first()
    if open_job is not None and _redrive(open_job, now=timezone.now()):
        return open_job
    try:
        with transaction.atomic():  # a savepoint: the unique open-job index is the real guard
            report = Report.objects.create(kind=kind, format=format, scope_region=region, params=params,
                                           project=project, dedupe_key=dedupe_key, requested_by=actor,
                                           language=language)
    except IntegrityError:  # the same request, a moment earlier, in another transaction
        return Report.objects.get(dedupe_key=dedupe_key, status__in=ACTIVE)
    audit.record(actor=actor, obj=report, action="report.request", to_state=report.status,
                 data={"kind": kind, "format": format, "params": params})
    _queue(report)
    return report


def _report_language() -> str:
    """The active language if the site offers it (a request's, or the default for beat)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    offered = {code for code, _name in settings.LANGUAGES}
    return language if language in offered else settings.LANGUAGE_CODE


def _queue(report: Report) -> None:
    """Send the job to a worker once the transaction commits. The broker may be down:
    the request still succeeds (the job row is the truth), `report.enqueue_failed` tells
    the page to say so, and beat sends the job again a minute later."""
    report.enqueue_failed = False

    def send():
        report.enqueue_failed = not enqueue(report.pk)

    transaction.on_commit(send)


def enqueue(report_id: int) -> bool:
    # The task is looked up by name (reports.tasks imports this module, and is
    # registered from ReportsConfig.ready()), so services and tasks form no circle.
    try:
        current_app.tasks["reports.tasks.build_report"].delay(report_id)
    except Exception:  # kombu OperationalError, socket errors: the job stays queued for the beat re-drive
        logger.warning("report %s: broker unreachable, left queued for the re-drive", report_id, exc_info=True)
        return False
    return True


def _redrive(report: Report, *, now: datetime.datetime) -> bool:
    """Keep an open job moving. Returns False if it was failed instead (out of restarts)."""
    if report.status == Report.Status.QUEUED:
        waited_long = report.queued_at < now - datetime.timedelta(seconds=settings.SHEQU_REPORT_REQUEUE_AFTER)
        if waited_long and Report.objects.filter(pk=report.pk, status=Report.Status.QUEUED).update(queued_at=now):
            _queue(report)
        return True
    if heartbeat_is_fresh(report, now):
        return True
    if report.restarts + 1 >= settings.SHEQU_REPORT_MAX_ATTEMPTS:
        report_fail(report_id=report.pk, now=now, error=_(
            "生成报表的工作进程多次中断，已停止自动重试。请点击“重试”，如仍失败请联系管理员。"))
        return False
    try:
        report_machine.fire(report, "requeue", actor=None, system=True, context={"now": now}, updates={
            "queued_at": now, "restarts": F("restarts") + 1, "progress": 0, "heartbeat_at": None})
    except ValidationError:  # it finished or beat meanwhile
        return report.status in ACTIVE
    _queue(report)
    return True


def sweep_reports(*, now: datetime.datetime | None = None) -> int:
    """Beat, every minute: send queued jobs nobody started to the broker again; requeue
    running jobs whose heartbeat stopped (their worker died), failing them after
    SHEQU_REPORT_MAX_ATTEMPTS runs. Returns how many jobs it touched."""
    now = now or timezone.now()
    requeue_before = now - datetime.timedelta(seconds=settings.SHEQU_REPORT_REQUEUE_AFTER)
    stale_before = now - datetime.timedelta(seconds=settings.SHEQU_REPORT_HEARTBEAT_STALE)
    candidates = Report.objects.filter(
        Q(status=Report.Status.QUEUED, queued_at__lt=requeue_before)
        | Q(status=Report.Status.RUNNING, heartbeat_at__lt=stale_before)
        | Q(status=Report.Status.RUNNING, heartbeat_at__isnull=True, started_at__lt=stale_before))
    touched = 0
    for report in candidates:
        with transaction.atomic():
            _redrive(report, now=now)
        touched += 1
    return touched


def _filters(report: Report) -> Filters:
    params = report.params
    as_date = lambda v: datetime.date.fromisoformat(v) if v else None  # noqa: E731
    return Filters(region=report.scope_region, round_id=params.get("round"), year=params.get("year"),
                   street_id=params.get("street"), agency_id=params.get("agency"),
                   period_start=as_date(params.get("period_start")), period_end=as_date(params.get("period_end")),
                   project_id=report.project_id, viewer=report.requested_by)


def report_data(report: Report) -> ReportData:
    """The figures, from the app that registered the report's kind."""
    return report_kind(report.kind).build(_filters(report))


def _progress(report_id: int, percent: int) -> None:
    Report.objects.filter(pk=report_id, status=Report.Status.RUNNING).update(progress=percent,
                                                                             heartbeat_at=timezone.now())


@contextlib.contextmanager
def _heartbeat(report_id: int):
    """Beat for the job from a thread while a long builder step runs: the sweep must
    tell a slow build from a dead worker. The thread dies with the worker process."""
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(settings.SHEQU_REPORT_HEARTBEAT_INTERVAL):
                Report.objects.filter(pk=report_id, status=Report.Status.RUNNING).update(heartbeat_at=timezone.now())
        finally:
            db.connections.close_all()

    thread = threading.Thread(target=beat, name=f"report-{report_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


def _report_folder(report: Report) -> str:
    return report_path(report, "").rstrip("/")


def _remove_leftovers(report: Report, keep: str = "") -> None:
    """Delete whatever a failed or killed attempt left in the job's own folder."""
    storage = report.file.storage
    folder = _report_folder(report)
    try:
        files = storage.listdir(folder)[1]
    except (FileNotFoundError, NotImplementedError):
        return
    for name in files:
        path = f"{folder}/{name}"
        if path != keep:
            storage.delete(path)


def user_error(exc: BaseException) -> str:
    """What the person waiting is told: never a path, an errno or an exception name
    (those go to the log)."""
    if isinstance(exc, SoftTimeLimitExceeded):
        return _("生成超时：数据量过大，请缩小范围后重试。")
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return _("服务器存储空间不足，报表未能保存。请稍后重试或联系管理员。")
    if isinstance(exc, OSError):
        return _("报表文件保存失败，请稍后重试；如仍失败请联系管理员。")
    if isinstance(exc, db.DatabaseError):
        return _("数据库暂时不可用，请稍后重试。")
    return _("生成报表时出错，请重试；如仍失败请联系管理员。")


def report_build(*, report_id: int) -> Report:
    """Build the file. Safe to run again: a redelivered task (worker died) starts over
    and replaces whatever a dead attempt left; a finished report is left alone. The file
    is built in a temporary file and moved into storage only when complete."""
    report = Report.objects.select_related("scope_region").get(pk=report_id)
    if report.status not in ACTIVE:
        return report
    try:
        report_machine.fire(report, "start", actor=None, system=True, updates={
            "started_at": timezone.now(), "heartbeat_at": timezone.now(), "progress": 5, "error": "",
            "attempts": F("attempts") + 1})
    except ValidationError:  # another delivery finished it meanwhile, or is building it
        return report
    try:
        with _heartbeat(report_id), translation.override(report.language):
            data = report_data(report)
            _progress(report_id, 50)
            with tempfile.TemporaryFile() as handle:
                rows = BUILDERS[report.format](data, handle)
                handle.seek(0)
                _progress(report_id, 90)
                if report.file:
                    report.file.delete(save=False)
                _remove_leftovers(report)
                name = f"{report.title}-{timezone.localdate():%Y%m%d}.{report.format}"
                report.file.save(name, File(handle), save=False)
        report_machine.fire(report, "finish", actor=None, system=True, updates={
            "progress": 100, "row_count": rows, "file": report.file.name, "finished_at": timezone.now(),
            "heartbeat_at": timezone.now()})
    except Exception as exc:  # the job records any failure for the person waiting on it
        logger.exception("report %s failed", report_id)
        _remove_leftovers(report)
        report_fail(report_id=report_id, error=user_error(exc))
        raise
    report.refresh_from_db()
    if report.requested_by_id:
        notify(users=[report.requested_by], kind=NotificationKind.REPORT_READY,
               title=_("报表已生成：%(t)s") % {"t": report.title}, url=reverse("reports:report_detail",
                                                                           args=[report.pk]))
    return report


def report_fail(*, report_id: int, error: str, now: datetime.datetime | None = None) -> bool:
    report = Report.objects.get(pk=report_id)
    if report.status not in ACTIVE:
        return False
    try:
        report_machine.fire(report, "fail", actor=None, system=True, updates={
            "error": error[:2000], "finished_at": now or timezone.now()})
    except ValidationError:  # it finished meanwhile
        return False
    return True


@transaction.atomic
def report_retry(*, report: Report, actor: User) -> Report:
    report = report_machine.fire(report, "retry", actor=actor, updates={
        "progress": 0, "error": "", "restarts": 0, "queued_at": timezone.now(), "heartbeat_at": None})
    _queue(report)
    return report


def fail_stale_reports(*, now: datetime.datetime | None = None) -> int:
    """The pre-heartbeat sweep's name, kept for messages queued before the upgrade."""
    return sweep_reports(now=now)


def cleanup_reports(*, now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.SHEQU_REPORT_RETENTION_DAYS)
    count = 0
    for report in Report.objects.filter(created_at__lt=cutoff).exclude(status__in=ACTIVE).exclude(
            status=Report.Status.EXPIRED).iterator():
        if report.file:
            report.file.delete(save=False)
        report_machine.fire(report, "expire", actor=None, system=True, updates={"file": ""})
        count += 1
    return count


def monthly_reports(*, today: datetime.date | None = None) -> list[Report]:
    """On the 1st: last month's progress and funding reports for the city bureau and
    for each district bureau that has staff."""
    today = today or timezone.localdate()
    last_day = today.replace(day=1) - datetime.timedelta(days=1)
    params = {"period_start": last_day.replace(day=1), "period_end": last_day}
    regions = Region.objects.filter(level=Region.Level.CITY) | Region.objects.filter(
        pk__in=RoleAssignment.objects.filter(role=Role.BUREAU).values("region_id"), level=Region.Level.DISTRICT)
    created = []
    for region in regions.distinct().order_by("code"):
        for kind in (k.code for k in report_kinds(per_project=False) if k.monthly):
            with transaction.atomic():
                report = report_request(actor=None, kind=kind, format=Report.Format.XLSX, region=region,
                                        params=params)
            staff = [a.user for a in RoleAssignment.objects.filter(role=Role.BUREAU, region=region)
                     .select_related("user")]
            notify(users=staff, kind=NotificationKind.REPORT_READY,
                   title=_("%(m)s 月度%(k)s已开始生成") % {"m": f"{last_day:%Y-%m}", "k": report.kind_label},
                   url=reverse("reports:report_detail", args=[report.pk]))
            created.append(report)
    return created


def progress_reminders(*, today: datetime.date | None = None) -> int:
    """Tell agencies three days before, and on the day, that an update is due."""
    from organizations.models import Membership
    from projects.models import ProgressReport

    today = today or timezone.localdate()
    due = ProgressReport.objects.filter(
        status__in=[ProgressReport.Status.DRAFT, ProgressReport.Status.RETURNED],
        due_on__in=[today, today + datetime.timedelta(days=3)], project__status=Project.Status.ACTIVE,
    ).select_related("project")
    staff_by_org: dict[int, list] = {}
    for membership in Membership.objects.filter(organization_id__in=due.values("project__organization_id")) \
            .select_related("user"):
        staff_by_org.setdefault(membership.organization_id, []).append(membership.user)
    sent = 0
    for report in due:
        when = _("今天") if report.due_on == today else _("3 天后")
        notify(users=staff_by_org.get(report.project.organization_id, []), kind=NotificationKind.PROGRESS_DUE,
               title=_("%(p)s 第 %(n)s 期进度报告%(w)s到期") % {"p": report.project.title, "n": report.number,
                                                             "w": when},
               url=reverse("projects:progress_detail", args=[report.pk]))
        sent += 1
    return sent


