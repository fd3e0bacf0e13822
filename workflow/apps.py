from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = _("流程引擎")

    def ready(self):
        # Each app declares its machines in `<app>/workflows.py`; load them all so the
        # registry (walked by the tests, the template tag and the API) is complete.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("workflows")
