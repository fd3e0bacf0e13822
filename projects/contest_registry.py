"""Audit labels and notification kinds of community contests; registered from apps.py.
Notification codes are stored on notifications, so they never change."""

from django.utils.translation import gettext_lazy as _

CONTEST_SUBMITTED = "contest_application_submitted"
CONTEST_RETURNED = "contest_application_returned"
CONTEST_REVIEW = "contest_review_assigned"
CONTEST_DECIDED = "contest_application_decided"

NOTIFICATION_KINDS = {
    CONTEST_SUBMITTED: _("微创投申报提交"),
    CONTEST_RETURNED: _("微创投申报退回"),
    CONTEST_REVIEW: _("评审会评审任务"),
    CONTEST_DECIDED: _("微创投结果"),
}

AUDIT_ACTIONS = {
    "contest.create": _("创建微创投大赛"),
    "contest.apply": _("提交微创投申报"),
    "contest.review_assign": _("分配评审会评审"),
    "contest.grant": _("微创投立项资助"),
    "committee.create": _("成立居民评审会"),
    "committee.join": _("评审会成员加入"),
    "committee.exit": _("评审会成员退出"),
    "committee.role": _("调整评审会职务"),
}
