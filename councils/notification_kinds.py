"""The notification kinds this app sends; registered from apps.py. The codes are
stored on notifications, so they never change."""

from django.utils.translation import gettext_lazy as _


class NotificationKind:
    MEETING_CALLED = "council_meeting_called"
    VOTE_OPEN = "council_vote_open"
    RESULT_PUBLISHED = "council_result_published"
    PROPOSAL_REVIEWED = "council_proposal_reviewed"


LABELS = {
    NotificationKind.MEETING_CALLED: _("议事会会议召集"),
    NotificationKind.VOTE_OPEN: _("议事会开始投票"),
    NotificationKind.RESULT_PUBLISHED: _("议题表决结果公示"),
    NotificationKind.PROPOSAL_REVIEWED: _("议题审查结果"),
}
