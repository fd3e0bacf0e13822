from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("报表")

    def ready(self):
        from audit.registry import register_actions
        from notifications.registry import register_kinds

        # tasks: imported to register the Celery tasks that services queue by name.
        from . import kinds, tasks  # noqa: F401
        from .audit_actions import AUDIT_ACTIONS
        from .notification_kinds import LABELS

        register_actions(AUDIT_ACTIONS)
        register_kinds(LABELS)
        kinds.register()
