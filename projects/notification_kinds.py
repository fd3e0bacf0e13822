"""The notification kinds this app sends; registered from apps.py. The codes are
stored on notifications, so they never change."""

from django.utils.translation import gettext_lazy as _


class NotificationKind:
    APPLICATION_SUBMITTED = "application_submitted"
    APPLICATION_RETURNED = "application_returned"
    REVIEW_ASSIGNED = "review_assigned"
    APPLICATION_DECIDED = "application_decided"
    PROGRESS_SUBMITTED = "progress_submitted"
    PROGRESS_RETURNED = "progress_returned"
    ENDORSEMENT_REQUESTED = "endorsement_requested"


LABELS = {
    NotificationKind.APPLICATION_SUBMITTED: _("申报书提交"),
    NotificationKind.APPLICATION_RETURNED: _("申报书退回"),
    NotificationKind.REVIEW_ASSIGNED: _("评审任务分配"),
    NotificationKind.APPLICATION_DECIDED: _("立项结论"),
    NotificationKind.PROGRESS_SUBMITTED: _("进度报告提交"),
    NotificationKind.PROGRESS_RETURNED: _("进度报告退回"),
    NotificationKind.ENDORSEMENT_REQUESTED: _("征求社区意见"),
}
