"""Who may see or act on rounds, applications and projects, built on places.access.

- Rounds (calls for proposals) are public to signed-in users. A round is managed by
  its funder: a district round by that district's bureau, a city round by city bureau
  staff; admins manage all.
- Applications: drafts are the agency's own. Once submitted, an application is
  visible to the bureau, street and community staff whose place covers its community,
  and to reviewers assigned to it. Agency staff always see their organisation's.
- Projects follow their application.
Outside the scope: 404. Visible but not allowed to act: 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from organizations.access import organization_ids_for_member
from places.access import communities_for_user, scope_for
from residents.access import community_life_q
from web.access import get_in_scope
from web.archive import LIVE, live

from .contest_applicants import contest_applicant_q, is_contest_applicant
from .models import (
    Application,
    FundingRound,
    ProgressReport,
    Project,
    Rectification,
    ReviewSheet,
    SupervisorAssignment,
)

CONTEST = FundingRound.Kind.CONTEST


def rounds_for_user(user) -> QuerySet[FundingRound]:
    """Bureau rounds are public to signed-in users; a community contest to the staff
    covering its community and its residents (projects.contest_access)."""
    if not getattr(user, "is_authenticated", False):
        return FundingRound.objects.none()
    q = ~Q(kind=CONTEST)
    life = community_life_q(user, "")
    if life is not None:
        q |= Q(kind=CONTEST) & life
    return FundingRound.objects.filter(LIVE).filter(q)


def can_manage_round(user, funding_round: FundingRound) -> bool:
    scope = scope_for(user)
    if funding_round.kind == CONTEST:  # a community contest is run by its community's staff
        return scope.is_admin or funding_round.community_id in scope.community_ids
    return scope.city_wide or funding_round.funder_id in scope.bureau_district_ids


def managed_rounds_q(user, prefix: str = "") -> Q:
    """Rounds (reached through `prefix`) that the user manages: bureau rounds of their
    bureau role, contests of their community."""
    scope = scope_for(user)
    if scope.is_admin:
        return Q(**{f"{prefix}pk__isnull": False})
    contests = Q(**{f"{prefix}kind": CONTEST, f"{prefix}community_id__in": scope.community_ids})
    if scope.bureau_city:
        return ~Q(**{f"{prefix}kind": CONTEST}) | contests
    return Q(**{f"{prefix}funder_id__in": scope.bureau_district_ids}) & ~Q(**{f"{prefix}kind": CONTEST}) | contests


def can_create_round(user) -> bool:
    return scope_for(user).is_bureau


def applications_for_user(user) -> QuerySet[Application]:
    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    scope = scope_for(user)
    # A contest applicant's groups as a subquery, not a join over group members: the join
    # made every list GROUP BY the application (27 ms a query for 18,000 applications of a
    # round at province scale, #15).
    q = (Q(organization_id__in=organization_ids_for_member(user))
         | Q(pk__in=Application.objects.filter(contest_applicant_q(user)).values("pk")))
    if scope.has_place:
        q |= scope.community_filter("community__") & ~Q(status=Application.Status.DRAFT)
    q |= Q(pk__in=ReviewSheet.objects.filter(reviewer=user).values("application_id"))
    return Application.objects.filter(q, LIVE, live("round__"))


def get_application_for_user(user, pk) -> Application:
    return get_in_scope(
        applications_for_user(user).select_related(
            "round__funder", "round__review_form", "organization", "community__street__parent"
        ),
        pk,
        _("未找到该申报书，或不在您的权限范围内。"),
    )


def is_applicant(user, application: Application) -> bool:
    if application.organization_id is None:  # a contest application: a group or a courtyard
        return is_contest_applicant(user, application)
    return application.organization_id in organization_ids_for_member(user)


def can_edit_application(user, application: Application) -> bool:
    return is_applicant(user, application) and application.status in (
        Application.Status.DRAFT, Application.Status.RETURNED)


def get_application_for_edit(user, pk) -> Application:
    application = get_application_for_user(user, pk)
    if not is_applicant(user, application):
        raise PermissionDenied(_("只有申报机构的工作人员可以修改申报书。"))
    return application


def can_endorse(user, application: Application) -> bool:
    return application.community_id in scope_for(user).community_ids


def get_application_for_endorse(user, pk) -> Application:
    application = get_application_for_user(user, pk)
    if not can_endorse(user, application):
        raise PermissionDenied(_("只有实施社区的工作人员可以填写社区意见。"))
    return application


def can_manage_application(user, application: Application) -> bool:
    return can_manage_round(user, application.round)


def get_application_for_management(user, pk) -> Application:
    application = get_application_for_user(user, pk)
    if not can_manage_application(user, application):
        raise PermissionDenied(_("只有本轮资助方的民政局工作人员可以审查、分配评审和作出结论。"))
    return application


def get_round_for_user(user, pk) -> FundingRound:
    return get_in_scope(
        rounds_for_user(user).select_related("funder", "review_form"),
        pk,
        _("未找到该资助轮次。"),
    )


def get_round_for_management(user, pk) -> FundingRound:
    funding_round = get_round_for_user(user, pk)
    if not can_manage_round(user, funding_round):
        raise PermissionDenied(_("只有本轮资助方的民政局工作人员可以管理本轮。"))
    return funding_round


def sheets_for_user(user) -> QuerySet[ReviewSheet]:
    """Review sheets a user may read, the one rule for pages and API:
    - their own sheets;
    - a colleague's submitted sheet on an application whose sheet they have already
      submitted themselves (reviewers score independently, then may compare);
    - every sheet in rounds their bureau role manages.
    The applicant and place staff see the decision, not the sheets."""
    if not getattr(user, "is_authenticated", False):
        return ReviewSheet.objects.none()
    own_submitted = ReviewSheet.objects.filter(reviewer=user, status=ReviewSheet.Status.SUBMITTED)
    q = Q(reviewer=user) | Q(status=ReviewSheet.Status.SUBMITTED,
                             application_id__in=own_submitted.values("application_id"))
    q |= managed_rounds_q(user, "application__round__")
    return ReviewSheet.objects.filter(q)


def scores_visible_q(user, prefix: str = "") -> Q:
    """Applications (reached through `prefix`) whose review scores the user may see: the
    round's funder, and a reviewer once their own sheet on it is submitted — the same rule
    as sheets_for_user. Filters, orderings and aggregates on scores ask this too."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    own_submitted = ReviewSheet.objects.filter(reviewer=user, status=ReviewSheet.Status.SUBMITTED)
    q = Q(**{f"{prefix}pk__in": own_submitted.values("application_id")})
    q |= managed_rounds_q(user, f"{prefix}round__")
    return q


def can_see_scores(user, application: Application) -> bool:
    if can_manage_application(user, application):
        return True
    return ReviewSheet.objects.filter(application=application, reviewer=user,
                                      status=ReviewSheet.Status.SUBMITTED).exists()


def can_see_reviewer_identity(user, application: Application) -> bool:
    """Reviewers are named to the round's funder and to fellow reviewers of the same
    application; the applicant, place staff and project viewers see “评审专家”."""
    return can_manage_application(user, application) or ReviewSheet.objects.filter(
        application=application, reviewer=user).exists()


def reviewer_ids_hidden_from(user, application: Application) -> set[int]:
    """Reviewers of `application` whose names `user` may not see (empty when they may)."""
    if can_see_reviewer_identity(user, application):
        return set()
    return set(ReviewSheet.objects.filter(application=application).values_list("reviewer_id", flat=True))


def actor_label(event, hidden_ids: set[int]) -> str:
    """Who did it, as this viewer may be told: a reviewer hidden from them is “评审专家”."""
    if event.actor_id is None:
        return _("系统")
    if event.actor_id in hidden_ids:
        return _("评审专家")
    return event.actor.display_name


def get_sheet_for_reviewer(user, pk) -> ReviewSheet:
    return get_in_scope(
        ReviewSheet.objects.select_related("application__round", "form").filter(reviewer=user),
        pk,
        _("未找到该评审表。"),
    )


def projects_for_user(user) -> QuerySet[Project]:
    if not getattr(user, "is_authenticated", False):
        return Project.objects.none()
    scope = scope_for(user)
    if scope.city_wide:
        # Everything is in scope: no OR over memberships and assignments, which at
        # province scale costs a hash over every project on each count (bench, #15).
        return Project.objects.filter(LIVE)
    q = Q(organization_id__in=organization_ids_for_member(user))
    if scope.has_place:
        q |= scope.community_filter("community__")
    q |= Q(application_id__in=ReviewSheet.objects.filter(reviewer=user).values("application_id"))
    q |= Q(pk__in=SupervisorAssignment.objects.filter(supervisor=user).values("project_id"))
    # Evaluators assigned to one of its evaluations (assessments app, above this one:
    # reached through the reverse relation's name, not an import).
    q |= Q(pk__in=Project.objects.filter(evaluations__sheets__evaluator=user).values("pk"))
    return Project.objects.filter(q, LIVE)


def get_project_for_user(user, pk) -> Project:
    return get_in_scope(
        projects_for_user(user).select_related(
            "round__funder", "organization", "community__street__parent", "application"),
        pk,
        _("未找到该项目，或不在您的权限范围内。"),
    )


def get_project_for_finance(user, pk) -> Project:
    project = get_project_for_user(user, pk)
    if not can_manage_round(user, project.round):
        raise PermissionDenied(_("只有本轮资助方的民政局工作人员可以登记拨付。"))
    return project



def is_project_agency(user, project: Project) -> bool:
    return project.organization_id in organization_ids_for_member(user)


def is_project_supervisor(user, project: Project) -> bool:
    return SupervisorAssignment.objects.filter(project=project, supervisor=user).exists()


def progress_reports_for_user(user) -> QuerySet[ProgressReport]:
    if getattr(user, "is_authenticated", False) and scope_for(user).city_wide:
        return ProgressReport.objects.filter(live("project__"))
    return ProgressReport.objects.filter(project__in=projects_for_user(user))


def get_progress_report_for_user(user, pk) -> ProgressReport:
    return get_in_scope(
        progress_reports_for_user(user).select_related(
            "project__round", "project__community__street__parent", "project__organization", "project__application",
        ),
        pk,
        _("未找到该进度报告，或不在您的权限范围内。"),
    )


def get_report_for_filing(user, pk) -> ProgressReport:
    report = get_progress_report_for_user(user, pk)
    if not is_project_agency(user, report.project):
        raise PermissionDenied(_("只有执行机构的工作人员可以填报进度报告。"))
    return report


def get_report_for_review(user, pk) -> ProgressReport:
    report = get_progress_report_for_user(user, pk)
    if not can_manage_round(user, report.project.round):
        raise PermissionDenied(_("只有本轮资助方的民政局工作人员可以审核进度报告。"))
    return report


def can_comment_report(user, report: ProgressReport) -> bool:
    scope = scope_for(user)
    return scope.has_place and Project.objects.filter(
        pk=report.project_id).filter(scope.community_filter("community__")).exists()


def get_project_for_supervision(user, pk) -> Project:
    project = get_project_for_user(user, pk)
    if not is_project_supervisor(user, project):
        raise PermissionDenied(_("只有本项目的督导可以记录督导。"))
    return project


def rectifications_for_user(user) -> QuerySet[Rectification]:
    if not getattr(user, "is_authenticated", False):
        return Rectification.objects.none()
    scope = scope_for(user)
    if scope.city_wide:
        return Rectification.objects.all()
    q = Q(project__in=projects_for_user(user)) | Q(raised_by=user)
    if scope.has_place:
        q |= scope.community_filter("community__")
    return Rectification.objects.filter(q)


def get_rectification_for_user(user, pk) -> Rectification:
    return get_in_scope(
        rectifications_for_user(user).select_related("community", "project", "raised_by"),
        pk,
        _("未找到该整改事项。"),
    )


def can_raise_rectification(user, *, community, project=None) -> bool:
    """Place staff covering the community (residents' complaints come in through them)
    and the project's supervisors."""
    if communities_for_user(user).filter(pk=community.pk).exists():
        return True
    return project is not None and is_project_supervisor(user, project)


def is_rectification_owner(user, item: Rectification) -> bool:
    if item.owner == Rectification.Owner.COMMUNITY:
        return item.community_id in scope_for(user).community_ids
    return item.project is not None and is_project_agency(user, item.project)


def can_verify_rectification(user, item: Rectification) -> bool:
    scope = scope_for(user)
    if item.raised_by_id == user.pk:
        return True
    return scope.is_bureau and scope.covers_district(item.community.street.parent_id)


# Archive (#14): the rows (archived or not) the funder's bureau manages.
def rounds_managed_by(user) -> QuerySet[FundingRound]:
    return FundingRound.objects.filter(managed_rounds_q(user))


def applications_managed_by(user) -> QuerySet[Application]:
    return Application.objects.filter(managed_rounds_q(user, "round__")).exclude(status=Application.Status.DRAFT)


def projects_managed_by(user) -> QuerySet[Project]:
    return Project.objects.filter(managed_rounds_q(user, "round__"))


def register_archive() -> None:
    from django.urls import reverse
    from django.utils.translation import gettext_lazy

    from web import archive

    archive.register(FundingRound, kind="round", label=gettext_lazy("资助轮次"), order=20,
                     visible=rounds_for_user, managed=rounds_managed_by,
                     url=lambda r: reverse("projects:round_detail", args=[r.pk]))
    archive.register(Application, kind="application", label=gettext_lazy("申报书"), order=30,
                     visible=applications_for_user, managed=applications_managed_by,
                     url=lambda a: reverse("projects:application_detail", args=[a.pk]))
    archive.register(Project, kind="project", label=gettext_lazy("项目"), order=40,
                     visible=projects_for_user, managed=projects_managed_by,
                     url=lambda p: reverse("projects:project_detail", args=[p.pk]))
