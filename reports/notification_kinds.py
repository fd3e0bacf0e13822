"""The notification kinds this app sends; registered from apps.py. The codes are
stored on notifications, so they never change."""

from django.utils.translation import gettext_lazy as _


class NotificationKind:
    REPORT_READY = "report_ready"
    PROGRESS_DUE = "progress_due"


LABELS = {
    NotificationKind.REPORT_READY: _("报表生成"),
    NotificationKind.PROGRESS_DUE: _("进度报告到期提醒"),
}
