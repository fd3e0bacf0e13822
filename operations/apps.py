from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running the platform: error pages, request ids, health checks, backups. A
    bottom-level app: it imports no other project app, so every app may use it."""

    name = "operations"
    verbose_name = _("运维")
