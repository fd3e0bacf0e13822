"""Reads of the expert pool: workload, suggestions, and the 1+1+1+1 team check.

Workload is what an expert has on their desk now: review sheets not yet submitted,
supervision of projects still running, evaluation sheets of evaluations still being
scored — each a correlated COUNT subquery, so a page of experts is one query.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment
from assessments.models import Evaluation, EvaluatorSheet
from organizations.access import conflicts_of_interest
from places.access import scope_for
from projects.access import projects_for_user
from projects.models import Application, Project, ReviewSheet, SupervisorAssignment

from .models import Expert

# A suggestion role → (platform role the assigning service requires, expert kind or None).
ROLES = {
    "reviewer": (Role.REVIEWER, None),
    "evaluator": (Role.EVALUATOR, None),
    SupervisorAssignment.Position.UNIVERSITY_EXPERT: (Role.SUPERVISOR, Expert.Kind.UNIVERSITY),
    SupervisorAssignment.Position.SENIOR_SUPERVISOR: (Role.SUPERVISOR, Expert.Kind.SENIOR_SUPERVISOR),
    SupervisorAssignment.Position.SOCIAL_WORKER: (Role.SUPERVISOR, Expert.Kind.SOCIAL_WORKER),
}
TEAM_POSITIONS = [choice for choice in SupervisorAssignment.Position]


def can_browse_pool(user) -> bool:
    return scope_for(user).is_bureau


def require_pool_viewer(user) -> None:
    if not can_browse_pool(user):
        raise PermissionDenied(_("专家库及其工作量只向民政局工作人员开放。"))


def _count(queryset, field: str):
    return Coalesce(Subquery(queryset.filter(**{field: OuterRef("user_id")}).order_by().values(field)
                             .annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), Value(0))


def with_workload(queryset: QuerySet[Expert]) -> QuerySet[Expert]:
    reviews = _count(ReviewSheet.objects.filter(status=ReviewSheet.Status.ASSIGNED), "reviewer")
    supervisions = _count(SupervisorAssignment.objects.filter(project__status=Project.Status.ACTIVE), "supervisor")
    evaluations = _count(EvaluatorSheet.objects.filter(kind=EvaluatorSheet.Kind.EVALUATOR,
                                                       status=EvaluatorSheet.Status.DRAFT,
                                                       evaluation__status=Evaluation.Status.SCORING), "evaluator")
    return queryset.annotate(reviews=reviews, supervisions=supervisions, evaluations=evaluations).annotate(
        workload=F("reviews") + F("supervisions") + F("evaluations"))


def experts_for_user(user) -> QuerySet[Expert]:
    if not can_browse_pool(user):
        return with_workload(Expert.objects.none())
    return with_workload(Expert.objects.select_related("user").prefetch_related("regions", "groups"))


def suggest_experts(*, role: str, project: Project | None = None, application: Application | None = None,
                    limit: int = 5) -> list[Expert]:
    """Active experts who may take `role` on the project (or application), least busy
    first, those serving its district before others at equal workload. Never one who
    belongs to the executing organisation (the platform's conflict-of-interest rule),
    never one already on it, never one without the platform role the assignment needs."""
    if role not in ROLES:
        raise ValueError(role)
    target = application if application is not None else project
    if target is None:
        raise ValueError("project or application")
    platform_role, kind = ROLES[role]
    queryset = Expert.objects.filter(active=True, user__is_active=True).filter(
        Exists(RoleAssignment.objects.filter(user=OuterRef("user_id"), role=platform_role)))
    if kind:
        queryset = queryset.filter(kind=kind)
    if role == "reviewer":
        queryset = queryset.exclude(Exists(ReviewSheet.objects.filter(application=target,
                                                                      reviewer=OuterRef("user_id"))))
    elif role == "evaluator":
        queryset = queryset.exclude(Exists(EvaluatorSheet.objects.filter(
            evaluation__project=target, evaluation__status=Evaluation.Status.SCORING, evaluator=OuterRef("user_id"))))
    else:
        queryset = queryset.exclude(Exists(SupervisorAssignment.objects.filter(project=target,
                                                                               supervisor=OuterRef("user_id"))))
    district_id = target.community.street.parent_id
    queryset = with_workload(queryset.select_related("user")).annotate(
        serves_district=Exists(Expert.regions.through.objects.filter(expert=OuterRef("pk"), region_id=district_id)))
    candidates = list(queryset.order_by("workload", "-serves_district", "user__real_name", "pk"))
    conflicted = {user_id for user_id, _org in conflicts_of_interest([e.user for e in candidates],
                                                                     [target.organization_id])}
    return [expert for expert in candidates if expert.user_id not in conflicted][:limit]


def teams_for_user(user) -> QuerySet[Project]:
    """Running projects in the user's reach, each annotated with which of the three
    supervision positions are filled and `team_complete`."""
    filled = {position.value: Exists(SupervisorAssignment.objects.filter(project=OuterRef("pk"),
                                                                        position=position.value))
              for position in TEAM_POSITIONS}
    queryset = projects_for_user(user).filter(status=Project.Status.ACTIVE).annotate(
        **{f"has_{code}": expr for code, expr in filled.items()})
    complete = Q(**{f"has_{code}": True for code in filled})
    return queryset.annotate(team_complete=ExpressionWrapper(complete, output_field=BooleanField()))


def incomplete_teams(user) -> QuerySet[Project]:
    return teams_for_user(user).filter(team_complete=False).select_related("community", "organization").order_by(
        "community__code", "pk")


def missing_positions(project) -> list:
    """The positions a project annotated by `teams_for_user` still lacks."""
    return [position for position in TEAM_POSITIONS if not getattr(project, f"has_{position.value}")]
