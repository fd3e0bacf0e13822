from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentsConfig(AppConfig):
    name = "residents"
    verbose_name = _("居民")

    def ready(self):
        from audit.registry import register_actions

        register_actions({
            "resident.register": _("登记居民"),
            "resident.invite": _("发放邀请码"),
            "resident.activate": _("居民激活账号"),
            "resident.signin_code": _("短信验证码登录"),
        })
