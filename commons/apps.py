from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonsConfig(AppConfig):
    name = "commons"
    verbose_name = _("院落自治与社区基金")

    def ready(self):
        from audit.registry import register_actions

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
