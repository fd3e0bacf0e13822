from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from projects.access import get_project_for_finance
from web.forms import add_service_error
from web.views import confirm_first, paginate, run_step
from workflow.views import ignoring_reason, step_view

from . import access, selectors, services
from .forms import AnswerForm, DecisionForm, EvaluationForm, FeedbackForm, PublishForm, RectificationFromFeedbackForm
from .models import Evaluation, EvaluatorSheet, FeedbackPoint
from .workflows import evaluation_machine


@login_required
def rubric_list(request):
    return render(request, "assessments/rubric_list.html", {"rubrics": access.rubrics_for_user(request.user)})


@login_required
def rubric_detail(request, pk):
    rubric = get_object_or_404(access.rubrics_for_user(request.user), pk=pk)
    return render(request, "assessments/rubric_detail.html", {
        "rubric": rubric, "categories": list(rubric.categories.prefetch_related("indicators"))})


@login_required
def evaluation_list(request):
    queryset = selectors.evaluation_list(user=request.user)
    status = request.GET.get("status")
    if status in Evaluation.Status.values:
        queryset = queryset.filter(status=status)
    return render(request, "assessments/evaluation_list.html", {
        "page": paginate(request, queryset), "status": status, "statuses": Evaluation.Status.choices,
        "query": f"status={status}" if status else ""})


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_create(request, project_pk):
    project = get_project_for_finance(request.user, project_pk)
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.evaluation_create(project=project, actor=request.user,
                                                    evaluators=list(form.cleaned_data.pop("evaluators")),
                                                    **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("评估已安排，评估员已收到通知。"))
            return redirect("assessments:evaluation_detail", pk=evaluation.pk)
    return render(request, "projects/simple_form.html", {"form": form, "title": _("安排评估"),
                                                        "subtitle": project.title})


def _detail(request, evaluation, status=200, **forms):
    manage = access.can_manage_evaluation(request.user, evaluation)
    feedback_writer = access.can_write_feedback(request.user, evaluation)
    agency = access.is_project_agency(request.user, evaluation)
    show_results = access.can_see_results(request.user, evaluation)
    own = EvaluatorSheet.objects.filter(evaluation=evaluation, evaluator=request.user).first()
    self_sheet = evaluation.sheets.filter(kind=EvaluatorSheet.Kind.SELF).first() if (agency or manage) else None
    points = list(evaluation.feedback_points.select_related("answered_by", "rectification"))
    stage_open = evaluation.status == Evaluation.Status.FEEDBACK
    context = {
        "evaluation": evaluation,
        "project": evaluation.project,
        "manage": manage,
        "agency": agency,
        "feedback_writer": feedback_writer,
        "own_sheet": own,
        "self_sheet": self_sheet,
        "show_results": show_results,
        "result": services.consolidate(evaluation) if show_results else None,
        # Individual evaluators' columns: the funder, and evaluators who have submitted.
        "show_columns": manage
        or (
            own is not None
            and own.kind == EvaluatorSheet.Kind.EVALUATOR
            and own.status == EvaluatorSheet.Status.SUBMITTED
        ),
        "points": points,
        "feedback_form": forms.get("feedback_form") or (FeedbackForm() if feedback_writer and stage_open else None),
        "answer_form": AnswerForm() if agency and stage_open else None,
        "rectification_form": RectificationFromFeedbackForm() if manage and stage_open else None,
        "publish_form": forms.get("publish_form")
        or (PublishForm(initial={"feedback": evaluation.feedback}) if manage and stage_open else None),
        "decision_form": forms.get("decision_form")
        or (DecisionForm() if manage and evaluation.needs_termination_decision else None),
    }
    return render(request, "assessments/evaluation_detail.html", context, status=status)


@login_required
def evaluation_detail(request, pk):
    return _detail(request, access.get_evaluation_for_user(request.user, pk))


@login_required
@require_POST
def self_assessment(request, pk):
    evaluation = access.get_evaluation_for_agency(request.user, pk)
    try:
        sheet = services.self_assessment_start(evaluation=evaluation, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("assessments:evaluation_detail", pk=evaluation.pk)
    return redirect("assessments:sheet", pk=sheet.pk)


close_scoring = step_view(
    evaluation_machine, name="close_scoring", confirm=False, lookup=access.get_evaluation_for_feedback,
    keyword="evaluation", services={"close_scoring": ignoring_reason(services.evaluation_close_scoring)},
    success=gettext_lazy("评分已结束，进入反馈与问答。"),
    back_url=lambda evaluation: reverse("assessments:evaluation_detail", args=[evaluation.pk]))


@login_required
@require_POST
def feedback_add(request, pk):
    evaluation = access.get_evaluation_for_feedback(request.user, pk)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.feedback_add(evaluation=evaluation, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            return redirect("assessments:evaluation_detail", pk=evaluation.pk)
    return _detail(request, evaluation, status=400, feedback_form=form)


def _point(request, point_pk) -> FeedbackPoint:
    point = get_object_or_404(FeedbackPoint.objects.select_related("evaluation"), pk=point_pk)
    access.get_evaluation_for_user(request.user, point.evaluation_id)  # 404 outside scope
    return point


@login_required
@require_POST
def feedback_answer(request, point_pk):
    point = _point(request, point_pk)
    if not access.is_project_agency(request.user, point.evaluation):
        raise PermissionDenied(_("只有执行机构的工作人员可以回应反馈。"))
    form = AnswerForm(request.POST)
    if form.is_valid():
        run_step(request, services.feedback_answer, _("回应已保存。"), point=point, answer=form.cleaned_data["answer"])
    else:
        messages.error(request, _("请填写回应。"))
    return redirect("assessments:evaluation_detail", pk=point.evaluation_id)


@login_required
@require_POST
def feedback_rectification(request, point_pk):
    point = _point(request, point_pk)
    if not access.can_manage_evaluation(request.user, point.evaluation):
        raise PermissionDenied(_("只有民政局工作人员可以提出整改事项。"))
    form = RectificationFromFeedbackForm(request.POST)
    if form.is_valid():
        run_step(request, services.feedback_rectification, _("已转为整改事项。"), point=point,
              due_on=form.cleaned_data["due_on"])
    else:
        messages.error(request, _("请填写整改期限。"))
    return redirect("assessments:evaluation_detail", pk=point.evaluation_id)


@login_required
@require_POST
def publish(request, pk):
    evaluation = access.get_evaluation_for_management(request.user, pk)
    form = PublishForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            confirm = confirm_first(
                request, title=_("确认发布评估结果"),
                back_url=reverse("assessments:evaluation_detail", args=[evaluation.pk]),
                summary=[(_("项目"), evaluation.project.title), (_("评估阶段"), evaluation.get_stage_display()),
                         (_("总分"), evaluation.total), (_("等级"), evaluation.get_grade_display())],
                warning=_("发布后结果对执行机构、街道和社区可见；如有错误可撤回发布。"),
                step=lambda: services.evaluation_publish(evaluation=evaluation, actor=request.user, **data))
            if confirm is not None:
                return confirm
            services.evaluation_publish(evaluation=evaluation, actor=request.user, **data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("评估结果已发布。"))
            return redirect("assessments:evaluation_detail", pk=evaluation.pk)
    return _detail(request, evaluation, status=400, publish_form=form)


unpublish = step_view(
    evaluation_machine, name="unpublish", lookup=access.get_evaluation_for_management, keyword="evaluation",
    services={"unpublish": services.evaluation_unpublish}, success=gettext_lazy("已撤回发布，可修改反馈后重新发布。"),
    back_url=lambda evaluation: reverse("assessments:evaluation_detail", args=[evaluation.pk]),
    summary=lambda evaluation: [
        (_("项目"), evaluation.project.title), (_("评估阶段"), evaluation.get_stage_display()),
        (_("总分"), evaluation.total), (_("等级"), evaluation.get_grade_display())])


@login_required
@require_POST
def decide(request, pk):
    evaluation = access.get_evaluation_for_management(request.user, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.termination_decide(evaluation=evaluation, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("资助决定已记录。"))
            return redirect("assessments:evaluation_detail", pk=evaluation.pk)
    return _detail(request, evaluation, status=400, decision_form=form)


# --- Scoring ---------------------------------------------------------------------


def _parse_scores(post, groups) -> tuple[dict, dict]:
    """Read score_/evidence_/comment_ fields for the sheet's indicators."""
    scores, errors = {}, {}
    for group in groups:
        for row in group["scores"]:
            key = row.indicator_id
            if f"score_{key}" not in post:
                continue
            raw = post.get(f"score_{key}", "").strip()
            try:
                value = Decimal(raw) if raw else None
            except InvalidOperation:
                value = Decimal("NaN")
            if value is not None and not value.is_finite():
                errors[f"score_{key}"] = _("请输入数字。")
                continue
            scores[key] = {"score": value, "evidence": post.get(f"evidence_{key}", ""),
                           "comment": post.get(f"comment_{key}", "")}
    return scores, errors


@login_required
@require_http_methods(["GET", "POST"])
def sheet(request, pk):
    sheet = access.get_sheet_for_scoring(request.user, pk)
    groups = selectors.sheet_rows(sheet)
    locked = sheet.status == EvaluatorSheet.Status.SUBMITTED or sheet.evaluation.status != Evaluation.Status.SCORING
    errors, typed = {}, {}
    if request.method == "POST":
        if locked:
            raise PermissionDenied(_("评估表已提交或评估已进入反馈阶段，不能再修改。"))
        scores, errors = _parse_scores(request.POST, groups)
        typed = {k: request.POST.get(k, "") for k in request.POST}
        if not errors:
            try:
                services.sheet_save(sheet=sheet, actor=request.user, scores=scores)
                if "submit" in request.POST:
                    services.sheet_submit(sheet=sheet, actor=request.user)
            except ValidationError as exc:
                errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            else:
                if "submit" in request.POST:
                    messages.success(request, _("评估表已提交。"))
                    return redirect("assessments:evaluation_detail", pk=sheet.evaluation_id)
                messages.success(request, _("已保存。"))
                return redirect("assessments:sheet", pk=sheet.pk)
    for group in groups:
        for row in group["scores"]:
            key = f"score_{row.indicator_id}"
            row.error = " ".join(errors.get(key, [])) if isinstance(errors.get(key), list) else errors.get(key, "")
            row.typed = typed.get(key)
    filled = sum(1 for g in groups for r in g["scores"] if r.score is not None)
    total = sum(len(g["scores"]) for g in groups)
    return render(request, "assessments/sheet.html", {
        "sheet": sheet, "evaluation": sheet.evaluation, "groups": groups, "locked": locked,
        "errors": errors.get("__all__", []) if isinstance(errors.get("__all__"), list) else [],
        "field_errors": bool(errors), "filled": filled, "count": total,
    }, status=400 if errors else 200)


@login_required
@require_POST
def sheet_autosave(request, pk):
    """htmx: save one indicator as the evaluator moves on; answers a status line."""
    sheet = access.get_sheet_for_scoring(request.user, pk)
    groups = selectors.sheet_rows(sheet)
    scores, errors = _parse_scores(request.POST, groups)
    if not errors:
        try:
            services.sheet_save(sheet=sheet, actor=request.user, scores=scores)
        except ValidationError as exc:
            errors = {"x": exc.messages}
    if errors:
        message = " ".join(m for v in errors.values() for m in (v if isinstance(v, list) else [v]))
        return render(request, "assessments/_autosave_status.html", {"message": message}, status=422)
    return render(request, "assessments/_autosave_status.html", {"saved_at": timezone.localtime()})
