"""Pages of the programme app: thin views over selectors and services."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from django.db.models import Q

from projects.access import get_project_for_finance
from shequ.views import paginate

from . import experts, selectors
from .models import Expert, ExpertGroup

# --- Coverage ---------------------------------------------------------------------


@login_required
def coverage(request):
    selectors.require_coverage_viewer(request.user)
    year = selectors.parse_year(request.GET.get("year"))
    districts = selectors.districts_in_scope(request.user)
    district = districts.filter(pk=request.GET.get("district")).first() if request.GET.get(
        "district", "").isdigit() else None
    report = selectors.coverage_report(user=request.user, year=year, district=district)
    page = paginate(request, selectors.uncovered_communities(user=request.user, year=year, district=district))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "programme/coverage.html", {
        "report": report,
        "page": page,
        "query": query.urlencode(),
        "years": list(selectors.coverage_years())[::-1],
        "districts": districts,
        "map_data": [{"name": row.name, "value": float(row.percent) if row.percent is not None else None,
                      "covered": row.covered, "total": row.total} for row in report.districts],
    })


# --- Expert pool --------------------------------------------------------------------


@login_required
def expert_list(request):
    experts.require_pool_viewer(request.user)
    queryset = experts.experts_for_user(request.user)
    kind = request.GET.get("kind", "")
    if kind in Expert.Kind.values:
        queryset = queryset.filter(kind=kind)
    group = request.GET.get("group", "")
    if group.isdigit():
        queryset = queryset.filter(groups=group)
    q = request.GET.get("q", "").strip()[:50]
    if q:
        queryset = queryset.filter(Q(user__real_name__icontains=q) | Q(specialties__icontains=q)
                                   | Q(affiliation__icontains=q))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "programme/expert_list.html", {
        "page": paginate(request, queryset.order_by("workload", "kind", "user__real_name", "pk")),
        "query": query.urlencode(),
        "groups": ExpertGroup.objects.select_related("region").prefetch_related("members__user"),
        "kinds": Expert.Kind.choices, "kind": kind, "group": group, "q": q,
    })


@login_required
def team_list(request):
    experts.require_pool_viewer(request.user)
    page = paginate(request, experts.incomplete_teams(request.user))
    for project in page:
        project.missing = experts.missing_positions(project)
    return render(request, "programme/team_list.html", {"page": page, "query": ""})


@login_required
def team_detail(request, pk):
    project = get_project_for_finance(request.user, pk)
    project = experts.teams_for_user(request.user).select_related("community__street", "organization").get(
        pk=project.pk)
    assigned = {a.position: a for a in project.supervisor_assignments.select_related("supervisor")}
    positions = [{"code": p.value, "label": p.label, "assigned": assigned.get(p.value),
                  "suggestions": [] if p.value in assigned else experts.suggest_experts(role=p.value, project=project)}
                 for p in experts.TEAM_POSITIONS]
    return render(request, "programme/team_detail.html", {"project": project, "positions": positions})
