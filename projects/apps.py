from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("项目")

    def ready(self):
        from audit.registry import register_actions
        from notifications.registry import register_kinds
        from web import thumbnails

        from . import contest_registry, gates, page_sections
        from .access import register_archive
        from .audit_actions import AUDIT_ACTIONS
        from .notification_kinds import LABELS

        register_actions(AUDIT_ACTIONS)
        register_kinds(LABELS)
        register_actions(contest_registry.AUDIT_ACTIONS)
        register_kinds(contest_registry.NOTIFICATION_KINDS)
        page_sections.register()
        gates.register_own()
        thumbnails.register("projects.ActivityPhoto", "image")
        thumbnails.register("projects.ApplicationAttachment", "file")
        register_archive()
