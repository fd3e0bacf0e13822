"""Evaluation workflow: rubrics as data, evaluations, scoring, consolidation, feedback
and answers, publication and the termination decision."""

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.selectors import users_with_role
from assessments.notification_kinds import NotificationKind
from audit import services as audit
from notifications.services import notify
from organizations.access import conflicts_of_interest
from organizations.models import Membership
from projects import services as project_services
from projects.access import can_manage_round
from projects.models import Project, Rectification

from . import access
from .models import (
    DEFAULT_GRADE_BANDS,
    Evaluation,
    EvaluatorSheet,
    FeedbackPoint,
    Grade,
    Indicator,
    Rubric,
    RubricCategory,
    Score,
)
from .workflows import evaluation_machine, evaluator_sheet_machine, rubric_machine

CENT = Decimal("0.01")
TEXT_MAX = 5000
S = Evaluation.Status


# --- Rubrics ---------------------------------------------------------------------


def _rubric_signature(categories) -> list:
    return [(c["code"], c["name"], Decimal(str(c["weight"])),
             [(i["code"], i["name"], Decimal(str(i["max_score"])), i.get("description", ""), i.get("evidence", ""),
               i.get("levels", [])) for i in c["indicators"]]) for c in categories]


@transaction.atomic
def rubric_load(*, data: dict, actor=None) -> Rubric:
    """Load a rubric from its data file. Unchanged → the same rubric; changed → a new
    version, activated, the previous active version retired (evaluations keep theirs)."""
    categories = data["categories"]
    errors = []
    for category in categories:
        points = sum(Decimal(str(i["max_score"])) for i in category["indicators"])
        if points != Decimal(str(category["weight"])):
            errors.append(_("范畴“%(c)s”的指标满分合计 %(p)s，与范畴分值 %(w)s 不符。") % {
                "c": category["name"], "p": points, "w": category["weight"]})
    if errors:
        raise ValidationError(errors)
    latest = Rubric.objects.filter(name=data["name"]).order_by("-version").first()
    if latest is not None:
        current = [{"code": c.code, "name": c.name, "weight": c.weight,
                    "indicators": [{"code": i.code, "name": i.name, "max_score": i.max_score,
                                    "description": i.description, "evidence": i.evidence, "levels": i.levels}
                                   for i in c.indicators.all()]}
                   for c in latest.categories.prefetch_related("indicators")]
        if _rubric_signature(current) == _rubric_signature(categories):
            return latest
    for old in Rubric.objects.filter(name=data["name"], status=Rubric.Status.ACTIVE):
        rubric_machine.fire(old, "retire", actor=actor, system=True)
    rubric = Rubric.objects.create(
        name=data["name"], version=(latest.version + 1) if latest else 1,
        note=data.get("version_note", ""), grade_bands=data.get("grade_bands") or DEFAULT_GRADE_BANDS,
        spread_threshold=Decimal(str(data.get("spread_threshold", 1))))
    for order, c in enumerate(categories):
        category = RubricCategory.objects.create(rubric=rubric, code=c["code"], name=c["name"],
                                                 weight=Decimal(str(c["weight"])), order=order)
        Indicator.objects.bulk_create(
            Indicator(category=category, code=i["code"], name=i["name"], description=i.get("description", ""),
                      evidence=i.get("evidence", ""), max_score=Decimal(str(i["max_score"])),
                      levels=i.get("levels", []), order=n)
            for n, i in enumerate(c["indicators"]))
    return rubric_machine.fire(rubric, "activate", actor=actor, system=True)


def active_rubric() -> Rubric | None:
    return Rubric.objects.filter(status=Rubric.Status.ACTIVE).order_by("-created_at").first()


def grade_for(total: Decimal, bands: list[dict]) -> str:
    """The first band (highest first) whose minimum the total reaches."""
    for band in sorted(bands, key=lambda b: b["min"], reverse=True):
        if total >= Decimal(str(band["min"])):
            return band["code"]
    return Grade.FAIL


# --- Evaluations -----------------------------------------------------------------


def _new_sheet(evaluation: Evaluation, user: User, kind: str) -> EvaluatorSheet:
    sheet = EvaluatorSheet.objects.create(evaluation=evaluation, evaluator=user, kind=kind)
    indicators = Indicator.objects.filter(category__rubric=evaluation.rubric)
    Score.objects.bulk_create(Score(sheet=sheet, indicator=indicator) for indicator in indicators)
    return sheet


@transaction.atomic
def evaluation_create(*, project: Project, actor: User, stage: str, scheduled_on: datetime.date,
                      evaluators: list[User], place: str = "", rubric: Rubric | None = None,
                      lead_evaluator: User | None = None) -> Evaluation:
    if not can_manage_round(actor, project.round):
        raise PermissionDenied(_("只有本轮资助方的民政局工作人员可以安排评估。"))
    if project.status != Project.Status.ACTIVE:
        raise ValidationError(_("项目状态为“%(s)s”，不能安排评估。") % {"s": project.get_status_display()})
    rubric = rubric or active_rubric()
    if rubric is None:
        raise ValidationError({"rubric": _("还没有启用的评估体系，请先载入。")})
    if not evaluators:
        raise ValidationError({"evaluators": _("请至少选择一名评估员（通常为 3 名）。")})
    errors = []
    qualified = users_with_role(evaluators, Role.EVALUATOR)
    members = conflicts_of_interest(evaluators, [project.organization_id])
    for user in evaluators:
        if user.pk not in qualified:
            errors.append(_("%(u)s 不是参与式评估员。") % {"u": user.display_name})
        elif (user.pk, project.organization_id) in members:
            errors.append(_("%(u)s 是执行机构“%(o)s”的成员，不能评估本项目（利益回避）。") % {
                "u": user.display_name, "o": project.organization.name})
    if lead_evaluator is not None and lead_evaluator not in evaluators:
        errors.append(_("牵头评估员须是本次的评估员之一。"))
    if errors:
        raise ValidationError({"evaluators": errors})
    evaluation = Evaluation.objects.create(project=project, rubric=rubric, stage=stage, scheduled_on=scheduled_on,
                                           place=place, lead_evaluator=lead_evaluator, created_by=actor)
    for user in evaluators:
        _new_sheet(evaluation, user, EvaluatorSheet.Kind.EVALUATOR)
    audit.record(actor=actor, obj=evaluation, action="evaluation.create", to_state=S.SCORING,
                 data={"evaluators": [u.username for u in evaluators], "rubric": rubric.pk})
    notify(users=evaluators, kind=NotificationKind.EVALUATION_ASSIGNED,
           title=_("评估任务：%(p)s（%(s)s）") % {"p": project.title, "s": evaluation.get_stage_display()},
           body=_("评估日期 %(d)s %(place)s") % {"d": scheduled_on, "place": place},
           url=reverse("assessments:evaluation_detail", args=[evaluation.pk]))
    return evaluation


@transaction.atomic
def self_assessment_start(*, evaluation: Evaluation, actor: User) -> EvaluatorSheet:
    if not access.is_project_agency(actor, evaluation):
        raise PermissionDenied(_("只有执行机构的工作人员可以自评。"))
    if evaluation.status != S.SCORING:
        raise ValidationError(_("评分阶段已结束，不能再自评。"))
    existing = EvaluatorSheet.objects.filter(evaluation=evaluation, kind=EvaluatorSheet.Kind.SELF).first()
    return existing or _new_sheet(evaluation, actor, EvaluatorSheet.Kind.SELF)


def _sheet_for_write(sheet: EvaluatorSheet, actor: User) -> EvaluatorSheet:
    sheet = EvaluatorSheet.objects.select_for_update().select_related("evaluation").get(pk=sheet.pk)
    if sheet.evaluator_id != actor.pk:
        raise PermissionDenied(_("只能填写自己的评估表。"))
    if sheet.status == EvaluatorSheet.Status.SUBMITTED:
        raise ValidationError(_("评估表已提交，不能再修改。"))
    if sheet.evaluation.status != S.SCORING:
        raise ValidationError(_("评估已进入反馈阶段，评估表不能再修改。"))
    return sheet


@transaction.atomic
def sheet_save(*, sheet: EvaluatorSheet, actor: User, scores: dict[int, dict]) -> EvaluatorSheet:
    """Save some or all indicators of a draft sheet (the page autosaves one at a time).
    `scores` maps indicator id → {"score", "evidence", "comment"}; each score 0..max."""
    sheet = _sheet_for_write(sheet, actor)
    rows = {s.indicator_id: s for s in sheet.scores.select_related("indicator").filter(indicator_id__in=scores)}
    errors = {}
    for indicator_id, values in scores.items():
        row = rows.get(indicator_id)
        if row is None:
            # An indicator not on this sheet is refused, not ignored (#13).
            errors[f"score_{indicator_id}"] = _("指标 %(i)s 不在本评估表中。") % {"i": indicator_id}
            continue
        score = values.get("score", row.score)
        for name in ("evidence", "comment"):
            if len(values.get(name) or "") > TEXT_MAX:
                errors[f"{name}_{indicator_id}"] = _("不能超过 %(n)s 字。") % {"n": TEXT_MAX}
        if score is not None and not isinstance(score, Decimal | int):
            errors[f"score_{indicator_id}"] = _("请输入数字。")
            continue
        if score is not None and (not Decimal(score).is_finite() or not (0 <= score <= row.indicator.max_score)):
            errors[f"score_{indicator_id}"] = _("%(n)s 的得分应在 0 到 %(m)s 之间。") % {
                "n": row.indicator.name, "m": row.indicator.max_score.normalize()}
            continue
        row.score = score
        row.evidence = values.get("evidence", row.evidence)
        row.comment = values.get("comment", row.comment)
    if errors:
        raise ValidationError(errors)
    Score.objects.bulk_update(rows.values(), ["score", "evidence", "comment"])
    EvaluatorSheet.objects.filter(pk=sheet.pk).update(updated_at=timezone.now())
    return sheet


@transaction.atomic
def sheet_submit(*, sheet: EvaluatorSheet, actor: User) -> EvaluatorSheet:
    sheet = _sheet_for_write(sheet, actor)
    scores = list(sheet.scores.select_related("indicator").order_by("indicator__category__order",
                                                                    "indicator__order"))
    missing = [s.indicator.code for s in scores if s.score is None]
    if missing:
        raise ValidationError(
            _("还有 %(n)s 项指标未打分：%(codes)s。") % {"n": len(missing), "codes": _("、").join(missing)}
        )
    total = sum((s.score for s in scores), Decimal("0")).quantize(CENT)
    return evaluator_sheet_machine.fire(sheet, "submit", actor=actor, updates={
        "total": total, "submitted_at": timezone.now()}, data={"kind": sheet.kind, "total": str(total)})


# --- Consolidation -----------------------------------------------------------------


def consolidate(evaluation: Evaluation) -> dict:
    """Per indicator the evaluators' scores, mean and spread; category subtotals; the
    total out of the rubric's points and the grade. Exact decimals, two queries."""
    rubric = evaluation.rubric
    categories = list(rubric.categories.prefetch_related("indicators"))
    sheets = list(evaluation.sheets.filter(kind=EvaluatorSheet.Kind.EVALUATOR).select_related("evaluator")
                  .order_by("pk"))
    submitted = [s for s in sheets if s.status == EvaluatorSheet.Status.SUBMITTED]
    by_indicator = defaultdict(dict)
    for indicator_id, sheet_id, score in Score.objects.filter(sheet__in=submitted).values_list(
            "indicator_id", "sheet_id", "score"):
        by_indicator[indicator_id][sheet_id] = score
    threshold = rubric.spread_threshold
    result_categories = []
    total = Decimal("0")
    flagged = 0
    for category in categories:
        rows = []
        subtotal = Decimal("0")
        for indicator in category.indicators.all():
            scores = [by_indicator[indicator.pk].get(s.pk) for s in submitted]
            present = [x for x in scores if x is not None]
            mean = (sum(present, Decimal("0")) / len(present)) if present else None
            spread = (max(present) - min(present)) if len(present) > 1 else Decimal("0")
            flag = spread > threshold
            flagged += flag
            if mean is not None:
                subtotal += mean
            rows.append({"indicator": indicator, "scores": scores,
                         "mean": mean.quantize(CENT, rounding=ROUND_HALF_UP) if mean is not None else None,
                         "spread": spread, "flag": flag})
        total += subtotal
        result_categories.append({"category": category, "rows": rows,
                                  "subtotal": subtotal.quantize(CENT, rounding=ROUND_HALF_UP)})
    total = total.quantize(CENT, rounding=ROUND_HALF_UP)
    complete = bool(sheets) and len(submitted) == len(sheets)
    return {
        "sheets": sheets, "submitted": submitted, "complete": complete, "categories": result_categories,
        "total": total if submitted else None, "grade": grade_for(total, rubric.grade_bands) if complete else "",
        "flagged": flagged,
    }


# --- Feedback, publication, decision -----------------------------------------------


@transaction.atomic
def evaluation_close_scoring(*, evaluation: Evaluation, actor: User) -> Evaluation:
    """All sheets are in: fix the total and grade, and open the feedback stage."""
    result = consolidate(evaluation)
    return evaluation_machine.fire(evaluation, "close_scoring", actor=actor, updates={
        "total": result["total"], "grade": result["grade"],
        "category_scores": {c["category"].code: str(c["subtotal"]) for c in result["categories"]}})


@transaction.atomic
def feedback_add(*, evaluation: Evaluation, actor: User, kind: str, text: str) -> FeedbackPoint:
    if not access.can_write_feedback(actor, evaluation):
        raise PermissionDenied(_("只有民政局工作人员或牵头评估员可以撰写反馈。"))
    if evaluation.status != S.FEEDBACK:
        raise ValidationError(_("只有在反馈阶段可以添加反馈要点。"))
    if not text.strip():
        raise ValidationError({"text": _("请填写反馈内容。")})
    return FeedbackPoint.objects.create(evaluation=evaluation, kind=kind, text=text.strip())


@transaction.atomic
def feedback_answer(*, point: FeedbackPoint, actor: User, answer: str) -> FeedbackPoint:
    point = FeedbackPoint.objects.select_for_update().select_related("evaluation__project").get(pk=point.pk)
    if not access.is_project_agency(actor, point.evaluation):
        raise PermissionDenied(_("只有执行机构的工作人员可以回应反馈。"))
    if point.evaluation.status != S.FEEDBACK:
        raise ValidationError(_("评估已发布，不能再修改回应。"))
    if not answer.strip():
        raise ValidationError({"answer": _("请填写回应。")})
    point.answer, point.answered_by, point.answered_at = answer.strip(), actor, timezone.now()
    point.save(update_fields=["answer", "answered_by", "answered_at"])
    audit.record(actor=actor, obj=point.evaluation, action="evaluation.answer", data={"point": point.pk})
    return point


@transaction.atomic
def feedback_rectification(*, point: FeedbackPoint, actor: User, due_on: datetime.date,
                           owner: str = Rectification.Owner.PROJECT) -> Rectification:
    """Turn a problem in the feedback into a rectification item on the project."""
    point = FeedbackPoint.objects.select_for_update().select_related("evaluation__project__community").get(pk=point.pk)
    if not access.can_manage_evaluation(actor, point.evaluation):
        raise PermissionDenied(_("只有民政局工作人员可以提出整改事项。"))
    if point.rectification_id:
        return point.rectification
    project = point.evaluation.project
    item = project_services.rectification_raise(actor=actor, community=project.community, project=project,
                                                source=Rectification.Source.EVALUATION, owner=owner,
                                                description=point.text, due_on=due_on)
    FeedbackPoint.objects.filter(pk=point.pk).update(rectification=item)
    return item


@transaction.atomic
def evaluation_publish(*, evaluation: Evaluation, actor: User, feedback: str) -> Evaluation:
    if not access.can_manage_evaluation(actor, evaluation):
        raise PermissionDenied(_("只有民政局工作人员可以发布评估结果。"))
    if not feedback.strip():
        raise ValidationError({"feedback": _("请填写综合反馈后再发布。")})
    evaluation = evaluation_machine.fire(evaluation, "publish", actor=actor, updates={
        "feedback": feedback.strip(), "published_at": timezone.now()})
    staff = [m.user for m in Membership.objects.filter(organization_id=evaluation.project.organization_id)
             .select_related("user")]
    notify(users=staff, kind=NotificationKind.EVALUATION_PUBLISHED,
           title=_("评估结果已发布：%(p)s · %(g)s") % {"p": evaluation.project.title,
                                                  "g": evaluation.get_grade_display()},
           url=reverse("assessments:evaluation_detail", args=[evaluation.pk]))
    return evaluation


@transaction.atomic
def evaluation_unpublish(*, evaluation: Evaluation, actor: User, reason: str) -> Evaluation:
    """撤回发布 (with a reason): the result goes back to 反馈与问答; it can be published again."""
    if not reason.strip():
        raise ValidationError({"reason": _("请写明撤回原因。")})
    return evaluation_machine.fire(evaluation, "unpublish", actor=actor, reason=reason.strip(),
                                   updates={"published_at": None})


@transaction.atomic
def termination_decide(*, evaluation: Evaluation, actor: User, decision: str, reason: str) -> Evaluation:
    """After a 不合格 result the funder decides: continue, or terminate the project
    (淘汰) — recorded with its reason."""
    if not access.can_manage_evaluation(actor, evaluation):
        raise PermissionDenied(_("只有本轮资助方的民政局工作人员可以作出资助决定。"))
    if decision not in (Evaluation.Decision.CONTINUE, Evaluation.Decision.TERMINATE):
        raise ValidationError({"decision": _("请选择决定。")})
    if not reason.strip():
        raise ValidationError({"reason": _("请写明理由。")})
    changed = Evaluation.objects.filter(pk=evaluation.pk, status=S.PUBLISHED, grade=Grade.FAIL, decision="").update(
        decision=decision, decision_reason=reason, decided_by=actor)
    if changed != 1:
        raise ValidationError(_("只有已发布且不合格、尚未作出决定的评估需要资助决定。"))
    evaluation.refresh_from_db()
    audit.record(actor=actor, obj=evaluation, action="evaluation.decision", to_state=decision, reason=reason)
    if decision == Evaluation.Decision.TERMINATE and evaluation.project.status in (
            Project.Status.AGREEMENT, Project.Status.ACTIVE):
        project_services.project_terminate(project=evaluation.project, actor=actor, reason=reason)
    return evaluation
