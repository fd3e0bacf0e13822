"""A report job's life, declared once: queued → running → done | failed; failed →
queued (retry); done | failed → expired (files cleaned after the retention period).
Only `retry` is a person's step; the others are the worker's and beat's."""

from django.utils.translation import gettext_lazy as _

from workflow.engine import Machine, Transition, nobody, register

from . import access
from .models import Report

S = Report.Status


def _may_retry(user, report) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return report.requested_by_id == user.pk or access.reports_for_user(user).filter(pk=report.pk).exists()


report_machine = register(Machine(
    name="report", model=Report, states=S, initial=S.QUEUED, verbose_name=_("报表任务"), transitions=[
        # A redelivered message (its worker died) starts the same job again.
        Transition("start", frozenset({S.QUEUED, S.RUNNING}), S.RUNNING, _("开始生成"), nobody),
        Transition("finish", frozenset({S.RUNNING}), S.DONE, _("生成完成"), nobody),
        Transition("fail", frozenset({S.QUEUED, S.RUNNING}), S.FAILED, _("生成失败"), nobody),
        Transition("retry", frozenset({S.FAILED}), S.QUEUED, _("重试"), _may_retry, _("您不能重试该报表。")),
        Transition("expire", frozenset({S.DONE, S.FAILED}), S.EXPIRED, _("文件已过期清理"), nobody),
    ]))
