"""Pages of the programme app: thin views over selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from places.access import scope_for
from places.models import Region
from projects.access import get_project_for_finance
from web.forms import add_service_error
from web.views import paginate

from . import experts, selectors, services
from .forms import CoverageRuleForm, CoverageTargetForm, ExpertForm
from .models import CoverageRule, CoverageTarget, Expert, ExpertGroup

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
        "can_set_targets": scope_for(request.user).is_bureau,
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
        "can_edit": scope_for(request.user).city_wide,
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


@login_required
@require_http_methods(["GET", "POST"])
def coverage_settings(request):
    """Yearly targets (the city's and, for district bureaus, their district's and
    streets') and the coverage definition (city bureau only)."""
    scope = scope_for(request.user)
    if not scope.is_bureau:
        raise PermissionDenied(_("只有民政局工作人员可以设定覆盖率目标。"))
    regions = Region.objects.filter(level__in=[Region.Level.CITY, Region.Level.DISTRICT]).order_by("code")
    if not scope.city_wide:
        regions = regions.filter(pk__in=scope.bureau_district_ids)
    years = list(selectors.coverage_years())[::-1][:12]
    which = request.POST.get("form") if request.method == "POST" else None
    target_form = CoverageTargetForm(request.POST if which == "target" else None, years=years, regions=regions)
    rule_form = CoverageRuleForm(request.POST if which == "rule" else None)
    status = 200
    if which == "target":
        if target_form.is_valid():
            try:
                services.coverage_target_set(actor=request.user, **target_form.cleaned_data)
            except ValidationError as exc:
                add_service_error(target_form, exc)
            else:
                messages.success(request, _("覆盖率目标已保存。"))
                return redirect("programme:coverage_settings")
        status = 400
    elif which == "rule":
        if not scope.city_wide:
            raise PermissionDenied(_("只有市民政局工作人员可以修改覆盖率口径。"))
        if rule_form.is_valid():
            try:
                services.coverage_rule_save(actor=request.user, **rule_form.cleaned_data)
            except ValidationError as exc:
                add_service_error(rule_form, exc)
            else:
                messages.success(request, _("覆盖率口径已保存。"))
                return redirect("programme:coverage_settings")
        status = 400
    elif request.method == "POST":
        status = 400
    return render(request, "programme/coverage_settings.html", {
        "target_form": target_form, "rule_form": rule_form if scope.city_wide else None,
        "targets": CoverageTarget.objects.filter(region__in=regions).select_related("region").order_by(
            "-year", "region__code"),
        "rules": CoverageRule.objects.all(), "sources": selectors.registered_sources(),
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def expert_edit(request, pk=None):
    if not scope_for(request.user).city_wide:
        raise PermissionDenied(_("专家库由市民政局工作人员维护。"))
    expert = None
    if pk is not None:
        expert = experts.experts_for_user(request.user).filter(pk=pk).first()
        if expert is None:
            raise Http404(_("未找到该专家。"))
    form = ExpertForm(request.POST or None, expert=expert)
    if request.method == "POST" and form.is_valid():
        try:
            services.expert_save(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("专家信息已保存。"))
            return redirect("programme:expert_list")
    return render(request, "programme/form.html", {
        "form": form, "title": _("修改专家信息") if expert else _("专家入库"),
        "subtitle": expert.user.display_name if expert else "",
    })
