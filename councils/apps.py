from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    name = "councils"
    verbose_name = _("居民议事会")

    def ready(self):
        from audit.registry import register_actions
        from notifications.registry import register_kinds
        from web import sections

        from .notification_kinds import LABELS

        register_kinds(LABELS)
        register_actions({
            "governance_role.assign": _("指定议事身份"),
            "council.create": _("组建议事会"),
            "council.officers": _("推选议事长"),
            "seat.add": _("增加议事会成员"),
            "seat.replace": _("议事会成员替补"),
            "proposal.raise": _("提出议题"),
            "proposal.cosign": _("联名议题"),
            "meeting.call": _("召集会议"),
            "meeting.check_in": _("会议签到"),
            "vote.prepare": _("准备表决"),
            "vote.ballot_cast": _("投票（登记）"),
            "execution.add": _("登记执行事项"),
        })
        sections.register(page="resident_home", slot="main", template="councils/_resident_home.html",
                          context=_resident_home)


def _resident_home(*, user, resident):
    from .selectors import resident_home

    return resident_home(user, resident)
