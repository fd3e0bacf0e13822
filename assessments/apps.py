from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("参与式评估")

    def ready(self):
        from audit.registry import register_actions
        from notifications.registry import register_kinds

        from . import sections, tranche_gates
        from .access import register_archive
        from .audit_actions import AUDIT_ACTIONS
        from .notification_kinds import LABELS

        register_actions(AUDIT_ACTIONS)
        register_kinds(LABELS)
        sections.register()
        tranche_gates.register()
        register_archive()
