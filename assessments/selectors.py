import datetime

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from organizations.access import organization_ids_for_member
from places.access import scope_for
from projects.access import managed_rounds_q
from web import queues

from . import access
from .models import Evaluation, EvaluatorSheet, FeedbackPoint, Score


def evaluation_list(*, user) -> QuerySet[Evaluation]:
    return (access.evaluations_for_user(user)
            .select_related("project__organization", "project__community__street__parent", "rubric")
            .order_by("-scheduled_on", "-pk"))


def sheet_rows(sheet: EvaluatorSheet) -> list[dict]:
    """The sheet's 53 scores grouped by category, in two queries."""
    scores = list(Score.objects.filter(sheet=sheet).select_related("indicator__category")
                  .order_by("indicator__category__order", "indicator__order"))
    groups: list[dict] = []
    for score in scores:
        category = score.indicator.category
        if not groups or groups[-1]["category"].pk != category.pk:
            groups.append({"category": category, "scores": []})
        groups[-1]["scores"].append(score)
    return groups


# --- Work queues (the role's home page) ------------------------------------------


def _evaluation_url(evaluation_id: int) -> str:
    return reverse("assessments:evaluation_detail", args=[evaluation_id])


def work_queue_for(user, today: datetime.date) -> list[queues.QueueGroup]:
    """Evaluators: their open sheets with the evaluation date and progress; agencies:
    feedback points to answer; bureau: evaluations waiting to be published."""
    groups: list[queues.QueueGroup] = []
    scope = scope_for(user)
    if scope.is_bureau:
        ready = (Evaluation.objects.filter(managed_rounds_q(user, "project__round__"),
                                           status=Evaluation.Status.FEEDBACK)
                 .select_related("project").order_by("scheduled_on", "pk"))
        groups.append(queues.group(_("待发布的评估"), ready, lambda e: queues.QueueItem(
            label=f"{e.project.title} · {e.get_stage_display()}", url=_evaluation_url(e.pk), due=e.scheduled_on),
            url=reverse("assessments:evaluation_list")))
    if "evaluator" in scope.roles:
        sheets = (EvaluatorSheet.objects.filter(evaluator=user, kind=EvaluatorSheet.Kind.EVALUATOR,
                                                status=EvaluatorSheet.Status.DRAFT,
                                                evaluation__status=Evaluation.Status.SCORING)
                  .select_related("evaluation__project")
                  .annotate(scored=Count("scores", filter=Q(scores__score__isnull=False)), total_scores=Count("scores"))
                  .order_by("evaluation__scheduled_on", "pk"))
        groups.append(queues.group(_("待完成的评估表"), sheets, lambda s: queues.QueueItem(
            label=f"{s.evaluation.project.title} · {s.evaluation.get_stage_display()}",
            url=reverse("assessments:sheet", args=[s.pk]), due=s.evaluation.scheduled_on,
            overdue=s.evaluation.scheduled_on < today,
            note=_("已评 %(a)s / %(b)s 项") % {"a": s.scored, "b": s.total_scores}),
            url=reverse("assessments:evaluation_list")))
    org_ids = organization_ids_for_member(user)
    if org_ids:
        points = (FeedbackPoint.objects.filter(evaluation__project__organization_id__in=org_ids,
                                               evaluation__status=Evaluation.Status.FEEDBACK, answer="")
                  .exclude(kind=FeedbackPoint.Kind.STRENGTH).select_related("evaluation__project")
                  .order_by("evaluation__scheduled_on", "pk"))
        groups.append(queues.group(_("待回应的评估反馈"), points, lambda p: queues.QueueItem(
            label=_("%(t)s · %(k)s：%(x)s") % {"t": p.evaluation.project.title, "k": p.get_kind_display(),
                                               "x": p.text[:40]},
            url=_evaluation_url(p.evaluation_id))))
    return groups


def home_queue(*, user, today, **kwargs) -> dict:
    return {"assessments_queue": work_queue_for(user, today)}
