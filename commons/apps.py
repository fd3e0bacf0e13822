from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonsConfig(AppConfig):
    name = "commons"
    verbose_name = _("院落自治与社区基金")

    def ready(self):
        from audit.registry import register_actions
        from web import sections

        register_actions({
            "courtyard.body_save": _("登记院落自治组织"),
            "courtyard.member_add": _("院落自治组织成员加入"),
            "courtyard.member_leave": _("院落自治组织成员退出"),
            "courtyard.compact_adopt": _("通过院落公约新版本"),
            "courtyard.activity_add": _("登记院落活动"),
            "courtyard.income": _("院落账目收入"),
            "courtyard.expense": _("院落账目支出"),
            "community_fund.donation": _("社区基金收到利润捐赠"),
            "community_fund.grant": _("社区基金资助自组织"),
            "community_fund.debit": _("社区基金其他支出"),
        })
        sections.register(page="resident_home", slot="main", template="commons/_resident_home.html",
                          context=_resident_home)


def _resident_home(*, user, resident):
    """The resident's own courtyard (三有一公开) and the community fund, when there are any."""
    from .models import CommunityFund

    return {"commons_courtyard": resident.courtyard if resident.courtyard_id else None,
            "commons_fund": CommunityFund.objects.filter(community_id=resident.community_id).first()}
