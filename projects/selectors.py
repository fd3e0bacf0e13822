"""Scoped, optimised reads for rounds, applications, reviews and projects."""

from decimal import Decimal

from django.db.models import Avg, Count, Max, Min, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import history_for
from organizations.models import Organization
from web import sections
from web.search import clean_query, search, text_filter

from . import access
from .models import Application, FundingRound, Project, ReviewScore, ReviewSheet
from .revisions import diff

SUBMITTED = Q(review_sheets__status=ReviewSheet.Status.SUBMITTED)


def with_scores(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """Score aggregates over submitted sheets, computed in SQL."""
    return queryset.annotate(
        mean_total=Avg("review_sheets__total", filter=SUBMITTED),
        max_total=Max("review_sheets__total", filter=SUBMITTED),
        min_total=Min("review_sheets__total", filter=SUBMITTED),
        sheet_count=Count("review_sheets", distinct=True),
        submitted_count=Count("review_sheets", filter=SUBMITTED, distinct=True),
    )


SCORE_FIELDS = ("mean_total", "max_total", "min_total", "sheet_count", "submitted_count")


def asks_for_scores(params) -> bool:
    """Does this filter or ordering read the score aggregates (so they must be computed
    for every row before the page is cut)?"""
    return bool({"score_min", "score_max"} & {k for k, v in params.items() if v}) or "score" in params.get(
        "ordering", "")


def attach_scores(rows) -> None:
    """The score aggregates for one page of applications, in one query, set on each row:
    grouping a whole round's 18,000 applications by their sheets to show 25 cost 60 ms
    at province scale (#15)."""
    rows = list(rows)
    if not rows:
        return
    scored = with_scores(Application.objects.filter(pk__in=[row.pk for row in rows]).order_by()).values(
        "pk", *SCORE_FIELDS)
    by_pk = {row["pk"]: row for row in scored}
    for row in rows:
        for field in SCORE_FIELDS:
            setattr(row, field, by_pk[row.pk][field])


def review_queue(*, user, funding_round: FundingRound) -> QuerySet[Application]:
    """A round's applications for the review workbench, without the score aggregates:
    `with_scores` adds them to the whole queryset when a filter or ordering reads them,
    `attach_scores` to the rows shown otherwise."""
    return (access.applications_for_user(user).filter(round=funding_round)
            .exclude(status=Application.Status.DRAFT).select_related("organization", "community__street__parent"))


def search_applications(queryset: QuerySet[Application], text) -> QuerySet[Application]:
    """Title or agency name (web.search; both columns have trigram indexes)."""
    value = clean_query(text)
    if not value:
        return queryset
    agencies = Organization.objects.filter(text_filter(value, ["name"])).values("pk")
    return queryset.filter(text_filter(value, ["title"]) | Q(organization_id__in=agencies))


def search_projects(queryset: QuerySet[Project], text) -> QuerySet[Project]:
    return search(queryset, text, ["title"])


def search_progress_reports(queryset, text):
    """By the project's title: the ids of matching projects first (an indexed search),
    not a LIKE over the join."""
    value = clean_query(text)
    if not value:
        return queryset
    return queryset.filter(project_id__in=Project.objects.filter(text_filter(value, ["title"])).values("pk"))


def status_counts(queryset: QuerySet[Application]) -> dict[str, int]:
    """Applications per status. A queryset carrying score aggregates over the review
    sheets would count sheets, so then count the ids it selects; without them, group it
    directly (no second pass over a round's applications)."""
    if queryset.query.annotations:
        queryset = Application.objects.filter(pk__in=queryset.order_by().values("pk"))
    rows = queryset.order_by().values("status").annotate(n=Count("id"))
    counts = {value: 0 for value in Application.Status.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def spread_flagged(application: Application, gap: Decimal) -> bool:
    if application.submitted_count < 2:
        return False
    return (application.max_total - application.min_total) > gap


def application_list(*, user) -> QuerySet[Application]:
    # No score aggregates here: grouping every application by its sheets before the
    # page is cut cost 140 ms at city scale. The review queue (and API filters on
    # scores) add them with with_scores.
    return (access.applications_for_user(user).select_related("round", "organization", "community__street__parent")
            .order_by("-updated_at", "-pk"))


def _with_scores_prefetched(queryset: QuerySet[ReviewSheet]) -> QuerySet[ReviewSheet]:
    scores = ReviewScore.objects.select_related("criterion").order_by("criterion__order")
    return queryset.select_related("reviewer", "form").prefetch_related(Prefetch("scores", queryset=scores))


def visible_sheets(*, user, application: Application) -> list[ReviewSheet]:
    return list(_with_scores_prefetched(
        access.sheets_for_user(user).filter(application=application).order_by("assigned_at", "pk")))


def revisions_with_diffs(application: Application) -> list[dict]:
    revisions = list(application.revisions.select_related("created_by").order_by("number"))
    result = []
    previous = None
    for revision in revisions:
        result.append({"revision": revision,
                       "changes": diff(previous.content, revision.content) if previous else []})
        previous = revision
    return result


def _labelled(events, hidden_ids: set[int]) -> list:
    events = list(events)
    for event in events:
        event.actor_label = access.actor_label(event, hidden_ids)
    return events


def application_detail_context(*, user, application: Application) -> dict:
    sheets = visible_sheets(user=user, application=application)
    submitted = [s.total for s in sheets if s.status == ReviewSheet.Status.SUBMITTED]
    mean = (sum(submitted, Decimal("0")) / len(submitted)).quantize(Decimal("0.01")) if submitted else None
    spread = (max(submitted) - min(submitted)) if len(submitted) >= 2 else None
    return {
        "budget_lines": list(application.budget_lines.all()),
        "attachments": list(application.attachments.all()),
        "sheets": sheets,
        "mean_total": mean,
        "spread": spread,
        "spread_flag": spread is not None and spread > application.round.score_spread_gap,
        "revisions": revisions_with_diffs(application),
        "history": _labelled(history_for(application)[:50], access.reviewer_ids_hidden_from(user, application)),
        "project": Project.objects.filter(application=application).first(),
        # Higher apps add theirs (assessments: earlier 不合格 results of the same agency).
        **_without_timeline(sections.build("application_detail", application=application, user=user)),
    }


def _without_timeline(added: dict) -> dict:
    added.pop("section_timeline")
    return added


def review_list(*, user) -> QuerySet[ReviewSheet]:
    return (ReviewSheet.objects.filter(reviewer=user)
            .select_related("application__round", "application__community", "application__organization")
            .order_by("status", "-assigned_at"))


def project_list(*, user) -> QuerySet[Project]:
    return (access.projects_for_user(user)
            .select_related("round", "organization", "community__street__parent")
            .order_by("-approved_at", "-pk"))


def project_status_counts(queryset: QuerySet[Project]) -> list[tuple[str, str, int]]:
    """(value, label, count) for every project state, zeros included: one query."""
    ids = queryset.order_by().values("pk")  # the scoped queryset may join; count projects, not rows
    found = dict(Project.objects.filter(pk__in=ids).order_by().values_list("status").annotate(n=Count("id")))
    return [(value, label, found.get(value, 0)) for value, label in Project.Status.choices]


def project_detail_context(*, project: Project) -> dict:
    tranches = list(project.tranches.order_by("order"))
    disbursements = list(project.disbursements.select_related("tranche", "recorded_by"))
    return {
        "tranches": tranches,
        "disbursements": disbursements,
        "reversed_ids": {d.reverses_id for d in disbursements if d.reverses_id},
        "history": list(history_for(project)[:30]),
    }


def round_summary(funding_round: FundingRound) -> dict:
    approved = funding_round.projects.aggregate(total=Sum("approved_amount"), n=Count("id"),
                                                disbursed=Sum("disbursed_amount"))
    return {
        "approved_total": approved["total"] or Decimal("0"),
        "approved_count": approved["n"],
        "disbursed_total": approved["disbursed"] or Decimal("0"),
        "remaining": funding_round.total_budget - (approved["total"] or Decimal("0")),
    }


# --- Progress, supervision, rectification ----------------------------------------


def project_page_context(*, user, project: Project, today) -> dict:
    """Everything the project page shows, in a fixed number of queries."""
    from .models import ProgressReport, Rectification
    from .services import rectification_rate

    reports = list(project.progress_reports.order_by("number"))
    for report in reports:
        report.overdue = report.is_overdue(today)
    lines = list(project.application.budget_lines.annotate(
        spent=Sum("expenses__amount", filter=Q(expenses__report__status=ProgressReport.Status.ACCEPTED))))
    for line in lines:
        line.spent = line.spent or Decimal("0")
        line.burn = int(line.spent * 100 / line.amount) if line.amount else 0
    visits = list(project.supervision_visits.select_related("supervisor"))
    rectifications = project.rectifications.all()
    timeline = []
    if project.agreement_signed_on:
        timeline.append({"date": project.agreement_signed_on, "label": _("签订协议"), "kind": "agreement"})
    for report in reports:
        if report.submitted_at:
            timeline.append({"date": timezone.localtime(report.submitted_at).date(),
                             "label": _("第 %(n)s 期进度报告（%(s)s）") % {"n": report.number,
                                                                       "s": report.get_status_display()},
                             "kind": "report"})
    for visit in visits:
        timeline.append({"date": visit.visited_on, "label": _("督导（%(m)s）：%(u)s") % {
            "m": visit.get_mode_display(), "u": visit.supervisor.display_name}, "kind": "visit"})
    # Higher apps (assessments: the evaluations) add their sections and timeline events.
    added = sections.build("project_detail", project=project, user=user)
    # Links are drawn only to pages the viewer can open (#13 finding 7).
    added["can_open_application"] = access.applications_for_user(user).filter(pk=project.application_id).exists()
    timeline.extend(added.pop("section_timeline"))
    timeline.sort(key=lambda event: event["date"])
    return {
        "reports": reports,
        "overdue_count": sum(1 for r in reports if r.overdue),
        "budget_lines": lines,
        "visits": visits,
        "team": list(project.supervisor_assignments.select_related("supervisor")),
        "self_organizations": list(project.incubated.all()),
        "open_rectifications": list(rectifications.filter(status=Rectification.Status.OPEN)),
        "rectification": rectification_rate(rectifications),
        "timeline": timeline,
        **added,
    }


def progress_list(*, user, status: str | None = None, overdue: bool = False, today=None):
    from .models import ProgressReport

    queryset = (access.progress_reports_for_user(user)
                .select_related("project__organization", "project__community__street__parent")
                .order_by("due_on", "pk"))
    if status in ProgressReport.Status.values:
        queryset = queryset.filter(status=status)
    if overdue:
        queryset = queryset.filter(status__in=[ProgressReport.Status.DRAFT, ProgressReport.Status.RETURNED],
                                   due_on__lt=today)
    return queryset


def report_detail_context(*, report) -> dict:
    return {
        "activities": list(report.activities.select_related("community", "courtyard")
                           .prefetch_related("photos", "self_organizations")),
        "expenses": list(report.expenses.select_related("budget_line")),
        "selforg_updates": list(report.self_organization_updates.select_related("self_organization")),
        "comments": list(report.comments.select_related("author")),
        "history": list(history_for(report)[:20]),
    }


def rectification_list(*, user):
    return (access.rectifications_for_user(user)
            .select_related("community__street__parent", "project", "raised_by")
            .order_by("status", "due_on", "pk"))


def round_area(funding_round: FundingRound):
    """The current communities an application to this round may name: the whole city
    for a city round, the district for a district round (the rule
    services.community_in_round_area checks)."""
    from places.models import Community, Region

    communities = Community.objects.filter(merged_into__isnull=True).select_related("street")
    if funding_round.funder.level == Region.Level.DISTRICT:
        communities = communities.filter(street__parent=funding_round.funder)
    return communities.order_by("street__code", "code")
