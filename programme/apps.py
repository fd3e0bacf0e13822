from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "programme"
    verbose_name = _("营造行动全局")

    def ready(self):
        from audit.registry import register_actions
        from web import sections

        from . import report_kinds
        from .registry import AUDIT_ACTIONS

        register_actions(AUDIT_ACTIONS)
        report_kinds.register()
        sections.register(page="home", slot="figures", template="programme/_home_coverage.html",
                          context=_home_coverage)


def _home_coverage(*, user, today):
    """The bureau's home shows this year's coverage against its target (seed 003: the
    city's goal that 90 % of communities run 营造 actions)."""
    from places.access import scope_for

    from .selectors import coverage_report

    if not scope_for(user).is_bureau:
        return {}
    return {"home_coverage": coverage_report(user=user, year=today.year, history=False)}
