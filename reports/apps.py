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
        from .access import register_archive
        from .audit_actions import AUDIT_ACTIONS
        from .notification_kinds import LABELS

        register_actions(AUDIT_ACTIONS)
        register_kinds(LABELS)
        kinds.register()
        register_archive()
        # The bureau home's cards and charts: a region snapshot (places.figures).
        from places import figures

        from .dashboards import bureau_figures

        figures.register("bureau", bureau_figures)
