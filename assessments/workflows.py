"""The state machines of participatory evaluation, declared once.

rubric: draft → active → retired (loading a changed rubric retires the old version).
evaluation: scoring → feedback (问答) → published.
evaluator sheet: draft → submitted (locked).
"""

from django.utils.translation import gettext_lazy as _

from workflow.engine import Machine, Transition, nobody, register

from . import access
from .models import Evaluation, EvaluatorSheet, FeedbackPoint, Rubric

E = Evaluation.Status
RS = Rubric.Status
SS = EvaluatorSheet.Status

rubric_machine = register(Machine(
    name="rubric", model=Rubric, states=RS, initial=RS.DRAFT, verbose_name=_("评估体系"), transitions=[
        # Both are taken by the loader (a command run by an administrator), never by a button.
        Transition("activate", frozenset({RS.DRAFT}), RS.ACTIVE, _("启用"), nobody),
        Transition("retire", frozenset({RS.ACTIVE}), RS.RETIRED, _("停用"), nobody),
    ]))


def _can_close_scoring(user, evaluation) -> bool:
    return access.can_write_feedback(user, evaluation)


def _all_sheets_in(evaluation, user, context):
    waiting = [s.evaluator.display_name for s in evaluation.sheets.select_related("evaluator")
               if s.status != SS.SUBMITTED]
    if waiting or not evaluation.sheets.exists():
        return _("还有评估员未提交：%(n)s。") % {"n": str(_("、")).join(waiting) or _("无评估员")}
    return None


def _manager(user, evaluation) -> bool:
    return access.can_manage_evaluation(user, evaluation)


def _feedback_answered(evaluation, user, context):
    unanswered = evaluation.feedback_points.filter(answer="").exclude(kind=FeedbackPoint.Kind.STRENGTH).count()
    if unanswered:
        return _("还有 %(n)s 条问题或建议机构尚未回应。") % {"n": unanswered}
    return None


def _no_decision_yet(evaluation, user, context):
    if evaluation.decision:
        return _("已根据本次结果作出资助决定，不能撤回发布。")
    return None


evaluation_machine = register(Machine(
    name="evaluation", model=Evaluation, states=E, initial=E.SCORING, verbose_name=_("评估"), transitions=[
        Transition("close_scoring", frozenset({E.SCORING}), E.FEEDBACK, _("结束评分，进入反馈"), _can_close_scoring,
                   _("只有民政局工作人员或牵头评估员可以结束评分。"), guards=(_all_sheets_in,),
                   confirm=_("结束评分后评估表不能再修改，将计算总分和等级。确定吗？")),
        Transition("publish", frozenset({E.FEEDBACK}), E.PUBLISHED, _("发布评估结果"), _manager,
                   _("只有民政局工作人员可以发布评估结果。"), guards=(_feedback_answered,),
                   confirm=_("发布后结果对执行机构、街道和社区可见。确定发布吗？")),
        Transition("unpublish", frozenset({E.PUBLISHED}), E.FEEDBACK, _("撤回发布"), _manager,
                   _("只有民政局工作人员可以撤回发布。"), guards=(_no_decision_yet,), reason_required=True,
                   style="secondary",
                   confirm=_("撤回后结果对执行机构、街道和社区不再可见，可修改反馈后重新发布。确定撤回吗？")),
    ]))


def _own_sheet(user, sheet) -> bool:
    return sheet.evaluator_id == getattr(user, "pk", None)


def _evaluation_scoring(sheet, user, context):
    if sheet.evaluation.status != E.SCORING:
        return _("评估已进入反馈阶段，评估表不能再修改。")
    return None


evaluator_sheet_machine = register(Machine(
    name="evaluation_sheet", model=EvaluatorSheet, states=SS, initial=SS.DRAFT, verbose_name=_("评估表"),
    transitions=[
        Transition("submit", frozenset({SS.DRAFT}), SS.SUBMITTED, _("提交评估表"), _own_sheet,
                   _("只能提交自己的评估表。"), guards=(_evaluation_scoring,),
                   confirm=_("提交后评分锁定，不能再修改。确定提交吗？")),
    ]))
