from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShequConfig(AppConfig):
    """The project package: no models; it holds the seed_demo command and project-wide tasks."""

    name = "shequ"
    verbose_name = _("项目总装")
