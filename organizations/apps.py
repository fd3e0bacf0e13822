from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("社会组织")

    def ready(self):
        from audit.registry import register_actions

        from . import sections
        from .access import register_archive
        from .audit_actions import AUDIT_ACTIONS

        register_actions(AUDIT_ACTIONS)
        sections.register()
        register_archive()
