"""The application lifecycle as data: which action moves which states, and who acts.

draft → submitted → (形式审查) in_review | returned → (评审, 结论) approved | rejected |
returned → submitted … ; the applicant may withdraw before a decision.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import Application

S = Application.Status


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    actor: str  # "applicant" or "funder" (bureau staff managing the round)
    label: str


TRANSITIONS = {
    t.action: t
    for t in [
        Transition("submit", frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, "applicant", _("提交申报")),
        Transition("withdraw", frozenset({S.DRAFT, S.SUBMITTED, S.RETURNED, S.IN_REVIEW}), S.WITHDRAWN,
                   "applicant", _("撤回申报")),
        Transition("screen_pass", frozenset({S.SUBMITTED}), S.IN_REVIEW, "funder", _("形式审查通过")),
        Transition("screen_return", frozenset({S.SUBMITTED}), S.RETURNED, "funder", _("形式审查退回")),
        Transition("approve", frozenset({S.IN_REVIEW}), S.APPROVED, "funder", _("立项")),
        Transition("reject", frozenset({S.IN_REVIEW}), S.REJECTED, "funder", _("不予立项")),
        Transition("return", frozenset({S.IN_REVIEW}), S.RETURNED, "funder", _("退回修改")),
    ]
}


def allowed_actions(status: str, actor: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if status in t.sources and t.actor == actor]
