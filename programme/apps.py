from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "programme"
    verbose_name = _("营造行动全局")

    def ready(self):
        from audit.registry import register_actions
        from places import figures as places_figures
        from web import sections

        from . import figures, report_kinds
        from .registry import AUDIT_ACTIONS

        register_actions(AUDIT_ACTIONS)
        report_kinds.register()
        # The coverage card reads `home_figures.coverage`, a region snapshot the
        # bureau's dashboard loads with its other figures.
        places_figures.register("coverage", figures.compute, figures.load)
        sections.register(page="home", slot="figures", template="programme/_home_coverage.html")
