"""Who may see or act on evaluations, built on places/organizations/projects access.

- Bureau staff covering the project's community follow every evaluation; the round's
  funder runs it (creates, assigns evaluators, writes feedback, publishes, decides).
- Evaluators see the evaluations they are assigned; a colleague's sheet only once their
  own is submitted.
- The agency sees its projects' evaluations from the start (the rubric, its own
  self-assessment), the feedback when it is written, and the result when published.
- Street and community staff see results once published.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from organizations.access import organization_ids_for_member
from places.access import scope_for
from projects.access import can_manage_round, managed_rounds_q
from web.access import get_in_scope
from web.archive import LIVE, live

from .models import Evaluation, EvaluatorSheet, Rubric


def rubrics_for_user(user) -> QuerySet[Rubric]:
    """Rubrics are published criteria: every signed-in user may read them."""
    return Rubric.objects.all() if getattr(user, "is_authenticated", False) else Rubric.objects.none()


def evaluations_for_user(user) -> QuerySet[Evaluation]:
    if not getattr(user, "is_authenticated", False):
        return Evaluation.objects.none()
    scope = scope_for(user)
    q = Q(project__organization_id__in=organization_ids_for_member(user))
    q |= Q(pk__in=EvaluatorSheet.objects.filter(evaluator=user, kind=EvaluatorSheet.Kind.EVALUATOR)
           .values("evaluation_id"))
    if scope.has_place:
        place = scope.community_filter("project__community__")
        q |= place if scope.is_bureau else place & Q(status=Evaluation.Status.PUBLISHED)
    return Evaluation.objects.filter(q, LIVE, live("project__"))


def get_evaluation_for_user(user, pk) -> Evaluation:
    return get_in_scope(
        evaluations_for_user(user).select_related(
            "project__round", "project__organization", "project__community__street__parent", "rubric",
            "lead_evaluator"),
        pk,
        _("未找到该评估，或不在您的权限范围内。"),
    )


def can_manage_evaluation(user, evaluation: Evaluation) -> bool:
    return can_manage_round(user, evaluation.project.round)


def can_write_feedback(user, evaluation: Evaluation) -> bool:
    return can_manage_evaluation(user, evaluation) or evaluation.lead_evaluator_id == getattr(user, "pk", None)


def get_evaluation_for_management(user, pk) -> Evaluation:
    evaluation = get_evaluation_for_user(user, pk)
    if not can_manage_evaluation(user, evaluation):
        raise PermissionDenied(_("只有本轮资助方的民政局工作人员可以办理评估。"))
    return evaluation


def get_evaluation_for_feedback(user, pk) -> Evaluation:
    evaluation = get_evaluation_for_user(user, pk)
    if not can_write_feedback(user, evaluation):
        raise PermissionDenied(_("只有民政局工作人员或牵头评估员可以撰写反馈。"))
    return evaluation


def is_project_agency(user, evaluation: Evaluation) -> bool:
    return evaluation.project.organization_id in organization_ids_for_member(user)


def get_evaluation_for_agency(user, pk) -> Evaluation:
    evaluation = get_evaluation_for_user(user, pk)
    if not is_project_agency(user, evaluation):
        raise PermissionDenied(_("只有执行机构的工作人员可以自评和回应反馈。"))
    return evaluation


def sheets_for_user(user) -> QuerySet[EvaluatorSheet]:
    """The one independence rule for pages and API: your own sheets; colleagues'
    submitted sheets once your own is submitted; all sheets for the funder; the
    agency's own self-assessments for its staff."""
    if not getattr(user, "is_authenticated", False):
        return EvaluatorSheet.objects.none()
    own_submitted = EvaluatorSheet.objects.filter(evaluator=user, kind=EvaluatorSheet.Kind.EVALUATOR,
                                                  status=EvaluatorSheet.Status.SUBMITTED)
    q = Q(evaluator=user) | Q(kind=EvaluatorSheet.Kind.EVALUATOR, status=EvaluatorSheet.Status.SUBMITTED,
                              evaluation_id__in=own_submitted.values("evaluation_id"))
    q |= Q(kind=EvaluatorSheet.Kind.SELF,
           evaluation__project__organization_id__in=organization_ids_for_member(user))
    scope = scope_for(user)
    if scope.city_wide:
        q |= Q(pk__isnull=False)
    elif scope.bureau_district_ids:
        q |= Q(evaluation__project__round__funder_id__in=scope.bureau_district_ids)
    return EvaluatorSheet.objects.filter(q)


def get_sheet_for_scoring(user, pk) -> EvaluatorSheet:
    return get_in_scope(
        EvaluatorSheet.objects.select_related("evaluation__rubric", "evaluation__project").filter(evaluator=user),
        pk,
        _("未找到该评估表。"),
    )


def results_visible_q(user) -> Q:
    """Evaluations whose total and grade `user` may see — can_see_results as a filter, for
    list filters and aggregates on grade or total."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    q = Q(status=Evaluation.Status.PUBLISHED)
    scope = scope_for(user)
    if scope.city_wide:
        return Q(pk__isnull=False)
    if scope.bureau_district_ids:
        q |= Q(project__round__funder_id__in=scope.bureau_district_ids)
    q |= Q(status=Evaluation.Status.FEEDBACK, project__organization_id__in=organization_ids_for_member(user))
    q |= Q(pk__in=EvaluatorSheet.objects.filter(evaluator=user, kind=EvaluatorSheet.Kind.EVALUATOR,
                                                status=EvaluatorSheet.Status.SUBMITTED).values("evaluation_id"))
    return q


def can_see_results(user, evaluation: Evaluation) -> bool:
    """Consolidated scores: the funder and evaluators who have submitted as soon as they
    exist; the agency from the feedback stage; everyone in scope once published."""
    if evaluation.status == Evaluation.Status.PUBLISHED or can_manage_evaluation(user, evaluation):
        return True
    if evaluation.status == Evaluation.Status.FEEDBACK and is_project_agency(user, evaluation):
        return True
    return EvaluatorSheet.objects.filter(evaluation=evaluation, evaluator=user, kind=EvaluatorSheet.Kind.EVALUATOR,
                                         status=EvaluatorSheet.Status.SUBMITTED).exists()


def evaluations_managed_by(user) -> QuerySet[Evaluation]:
    """Evaluations (archived or not) of projects in rounds the user's bureau funds."""
    return Evaluation.objects.filter(managed_rounds_q(user, "project__round__"))


def register_archive() -> None:
    from django.urls import reverse
    from django.utils.translation import gettext_lazy

    from web import archive

    archive.register(Evaluation, kind="evaluation", label=gettext_lazy("评估"), order=50,
                     visible=evaluations_for_user, managed=evaluations_managed_by,
                     url=lambda e: reverse("assessments:evaluation_detail", args=[e.pk]))
