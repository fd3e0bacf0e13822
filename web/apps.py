from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """Page and API plumbing every app shares. No models."""

    name = "web"
    verbose_name = _("页面与接口公共组件")
