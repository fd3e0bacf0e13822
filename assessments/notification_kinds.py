"""The notification kinds this app sends; registered from apps.py. The codes are
stored on notifications, so they never change."""

from django.utils.translation import gettext_lazy as _


class NotificationKind:
    EVALUATION_ASSIGNED = "evaluation_assigned"
    EVALUATION_PUBLISHED = "evaluation_published"


LABELS = {
    NotificationKind.EVALUATION_ASSIGNED: _("评估任务分配"),
    NotificationKind.EVALUATION_PUBLISHED: _("评估结果发布"),
}
