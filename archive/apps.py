from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = _("归档")

    def ready(self):
        from audit.registry import register_actions

        register_actions({
            "archive.archive": _("归档"),
            "archive.restore": _("恢复归档"),
            "archive.purge": _("清除已归档数据"),
        })
