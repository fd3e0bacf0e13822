from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "programme"
    verbose_name = _("营造行动全局")

    def ready(self):
        from audit.registry import register_actions

        from .registry import AUDIT_ACTIONS

        register_actions(AUDIT_ACTIONS)
