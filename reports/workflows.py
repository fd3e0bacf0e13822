"""A report job's life, declared once: queued → running → done | failed; failed →
queued (retry); running → queued (requeue: its worker died); done | failed → expired
(files cleaned after the retention period). Only `retry` is a person's step; the
others are the worker's and beat's."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflow.engine import Machine, Transition, nobody, register

from . import access
from .models import Report

S = Report.Status


def _may_retry(user, report) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return report.requested_by_id == user.pk or access.reports_for_user(user).filter(pk=report.pk).exists()


def heartbeat_is_fresh(report, now=None) -> bool:
    """A running job whose worker wrote a heartbeat lately is alive."""
    beat = report.heartbeat_at or report.started_at
    stale_after = datetime.timedelta(seconds=settings.SHEQU_REPORT_HEARTBEAT_STALE)
    return beat is not None and beat > (now or timezone.now()) - stale_after


def _not_running_elsewhere(report, user, context):
    if report.status == S.RUNNING and heartbeat_is_fresh(report):
        return _("另一个工作进程正在生成该报表。")
    return None


def _worker_lost(report, user, context):
    if heartbeat_is_fresh(report, context.get("now")):
        return _("该报表仍在生成中。")
    return None


report_machine = register(Machine(
    name="report", model=Report, states=S, initial=S.QUEUED, verbose_name=_("报表任务"), transitions=[
        # A redelivered message (its worker died) starts the same job again — unless
        # another worker is alive on it (a duplicate message from the beat re-drive).
        Transition("start", frozenset({S.QUEUED, S.RUNNING}), S.RUNNING, _("开始生成"), nobody,
                   guards=(_not_running_elsewhere,)),
        Transition("requeue", frozenset({S.RUNNING}), S.QUEUED, _("工作进程中断，重新排队"), nobody,
                   guards=(_worker_lost,)),
        Transition("finish", frozenset({S.RUNNING}), S.DONE, _("生成完成"), nobody),
        Transition("fail", frozenset({S.QUEUED, S.RUNNING}), S.FAILED, _("生成失败"), nobody),
        Transition("retry", frozenset({S.FAILED}), S.QUEUED, _("重试"), _may_retry, _("您不能重试该报表。")),
        Transition("expire", frozenset({S.DONE, S.FAILED}), S.EXPIRED, _("文件已过期清理"), nobody),
    ]))
