from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("报表")

    def ready(self):
        from audit.registry import register_actions
        from notifications.registry import register_kinds

        from . import tasks  # noqa: F401  (registers the Celery tasks services queue by name)
        from .access import register_archive
        from .audit_actions import AUDIT_ACTIONS
        from .notification_kinds import LABELS

        register_actions(AUDIT_ACTIONS)
        register_kinds(LABELS)
        register_archive()
