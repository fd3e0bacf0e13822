from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("通知")

    def ready(self):
        # The outbox queues its delivery task by name (notifications sits below the
        # apps that would otherwise import it): make sure it is registered.
        from . import tasks  # noqa: F401
