from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("用户与角色")

    def ready(self):
        from audit.registry import register_actions

        register_actions({"role.assign": _("授予角色"), "role.revoke": _("撤销角色")})
