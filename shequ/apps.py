from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShequConfig(AppConfig):
    name = "shequ"
    verbose_name = _("社区与用户")
