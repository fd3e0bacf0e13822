"""Conditions a tranche waits for before it may be paid, by its trigger (set per round
in TrancheRule). A check gets the project and the tranche and returns the Chinese reason
it may not be paid yet, or None.

Some conditions live in higher apps: "after the mid-term evaluation is published" is
known to `assessments`, which sits above this app — so it registers its check here from
its AppConfig.ready(), and `disbursement_record` asks this registry without importing it.
A trigger with no check registered is refused: a payment never goes out unchecked.
"""

from collections.abc import Callable

from django.utils.translation import gettext as _

from .models import Project, Tranche, TrancheRule

Check = Callable[[Project, Tranche], str | None]

_checks: dict[str, list[Check]] = {}


def register(trigger: str, check: Check) -> None:
    checks = _checks.setdefault(trigger, [])
    if check not in checks:
        checks.append(check)


def refusal(project: Project, tranche: Tranche) -> str | None:
    checks = _checks.get(tranche.trigger)
    if not checks:
        return _("拨付条件“%(t)s”尚无核验规则，不能拨付。") % {"t": tranche.get_trigger_display()}
    for check in checks:
        reason = check(project, tranche)
        if reason:
            return reason
    return None


def _agreement_signed(project: Project, tranche: Tranche) -> str | None:
    if not project.agreement_signed_on:
        return _("第 %(n)s 批须在签订协议后拨付：尚未登记协议签订。") % {"n": tranche.order}
    return None


def _project_closed(project: Project, tranche: Tranche) -> str | None:
    if project.status != Project.Status.CLOSED:
        return _("第 %(n)s 批须在项目结项后拨付：项目当前为“%(s)s”。") % {
            "n": tranche.order, "s": project.get_status_display()}
    return None


def register_own() -> None:
    register(TrancheRule.Trigger.AGREEMENT, _agreement_signed)
    register(TrancheRule.Trigger.FINAL, _agreement_signed)
    register(TrancheRule.Trigger.FINAL, _project_closed)
