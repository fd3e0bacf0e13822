from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "places"
    verbose_name = _("社区与区划")

    def ready(self):
        from audit.registry import register_actions

        register_actions({
            "community.update": _("修改社区档案"),
            "community.merge": _("并入其他社区"),
            "community.absorb": _("接收合并社区"),
            "divisions.import": _("导入行政区划"),
            "community.create": _("新建社区档案"),
            "communities.import": _("批量导入社区档案"),
        })
