from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from places.access import communities_for_user, scope_for
from web.forms import add_service_error
from web.views import paginate

from . import selforgs
from .access import can_keep_selforgs, get_selforg_for_edit, get_selforg_for_user, selforgs_for_user
from .models import SelfOrganization
from .selforg_forms import SelfOrganizationForm, SelfOrganizationProgressForm


def _keepable_communities(user):
    """Communities whose groups the user keeps: bureau staff their area, community
    staff their own (street staff read, they do not keep the record)."""
    scope = scope_for(user)
    communities = communities_for_user(user).filter(merged_into__isnull=True)
    if scope.is_bureau:
        return communities
    return communities.filter(pk__in=scope.community_ids)


@login_required
def selforg_list(request):
    queryset = selforgs_for_user(request.user).select_related("community__street__parent").order_by(
        "community__code", "name")
    community = request.GET.get("community")
    if community and community.isdigit():
        queryset = queryset.filter(community_id=community)
    stage = request.GET.get("stage")
    if stage in SelfOrganization.Stage.values:
        queryset = queryset.filter(stage=stage)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "organizations/selforg_list.html", {
        "page": paginate(request, queryset), "stages": SelfOrganization.Stage.choices, "stage": stage,
        "query": query.urlencode(), "can_register": _keepable_communities(request.user).exists(),
    })


@login_required
def selforg_detail(request, pk):
    selforg = get_selforg_for_user(request.user, pk)
    return render(request, "organizations/selforg_detail.html", {
        "selforg": selforg,
        "leaders": list(selforg.leaders.all()),
        "history": list(selforg.history.select_related("actor")),
        "projects": list(selforg.incubating_projects.select_related("organization")),
        "can_keep": can_keep_selforgs(request.user, selforg.community),
    })


@login_required
@require_http_methods(["GET", "POST"])
def selforg_create(request):
    communities = _keepable_communities(request.user)
    if not communities.exists():
        raise PermissionDenied(_("只有社区和民政局工作人员可以登记居民自组织。"))
    form = SelfOrganizationForm(request.POST or None, communities=communities.select_related("street"),
                                initial={"community": request.GET.get("community")})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            selforg = selforgs.selforg_create(actor=request.user, **data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已登记：%(n)s") % {"n": selforg.name})
            return redirect("organizations:selforg_detail", pk=selforg.pk)
    return render(request, "projects/simple_form.html", {"form": form, "title": _("登记居民自组织")})


@login_required
@require_http_methods(["GET", "POST"])
def selforg_progress(request, pk):
    selforg = get_selforg_for_edit(request.user, pk)
    form = SelfOrganizationProgressForm(request.POST or None,
                                        initial={"stage": selforg.stage, "members": selforg.members})
    if request.method == "POST" and form.is_valid():
        try:
            selforgs.selforg_progress(selforg=selforg, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已记录。"))
            return redirect("organizations:selforg_detail", pk=selforg.pk)
    return render(request, "projects/simple_form.html", {"form": form, "title": _("更新发展阶段"),
                                                        "subtitle": selforg.name})
