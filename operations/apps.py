from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running the platform: error pages, request ids, health checks, backups. A
    bottom-level app: it imports no other project app, so every app may use it."""

    name = "operations"
    verbose_name = _("运维")

    def ready(self):
        from celery import signals

        from . import request_id

        # A task queued during a request logs under that request's id; others under
        # their own task id.
        signals.before_task_publish.connect(request_id.on_task_publish, weak=False)
        signals.task_prerun.connect(request_id.on_task_start, weak=False)
        signals.task_postrun.connect(request_id.on_task_end, weak=False)
