from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from web import spreadsheet
from web.forms import add_service_error
from web.views import paginate

from . import imports, services
from .access import (
    can_edit_community,
    can_merge_communities,
    communities_for_user,
    get_community_for_edit,
    get_community_for_merge,
    get_community_for_user,
    require_community_directory,
    scope_for,
)
from .filters import CommunityFilter
from .forms import CommunityMergeForm, CommunityProfileForm
from .selectors import community_detail_context, community_list


@login_required
def community_list_view(request):
    require_community_directory(request.user)
    community_filter = CommunityFilter(request.GET or None, queryset=community_list(user=request.user),
                                       user=request.user)
    queryset = community_filter.qs if community_filter.is_bound else community_filter.queryset.filter(
        merged_into__isnull=True)
    page = paginate(request, queryset)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "places/community_list.html", {
        "filter": community_filter,
        "page": page,
        "query": query.urlencode(),
        "can_import": scope_for(request.user).is_bureau,
    })


@login_required
def community_detail(request, pk):
    community = get_community_for_user(request.user, pk)
    context = {
        "community": community,
        "can_edit": can_edit_community(request.user, community) and community.is_active,
        "can_merge": can_merge_communities(request.user, community) and community.is_active,
        **community_detail_context(community=community),
    }
    return render(request, "places/community_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def community_edit(request, pk):
    community = get_community_for_edit(request.user, pk)
    form = CommunityProfileForm(request.POST or None, instance=community)
    if request.method == "POST" and form.is_valid():
        try:
            services.community_update_profile(community=community, actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("社区档案已保存。"))
            return redirect("places:community_detail", pk=community.pk)
    return render(request, "places/community_form.html", {
        "community": community, "form": form, "title": _("编辑社区档案"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def community_merge(request, pk):
    community = get_community_for_merge(request.user, pk)
    form = CommunityMergeForm(request.POST or None, community=community,
                              candidates=communities_for_user(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.community_merge(community=community, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("%(name)s已并入%(into)s，历史数据保留可查。") % {
                "name": community.name, "into": form.cleaned_data["into"].name})
            return redirect("places:community_detail", pk=community.pk)
    return render(request, "places/community_form.html", {
        "community": community, "form": form, "title": _("社区合并"),
        "warning": _("合并后本社区档案只读，项目与历史数据保留。此操作会记入操作记录。"),
    })


IMPORT_PAGES = imports.PAGES


@login_required
@require_http_methods(["GET", "POST"])
def community_import(request):
    return spreadsheet.upload_page(request, IMPORT_PAGES)


@login_required
@require_http_methods(["GET", "POST"])
def community_import_preview(request, token):
    return spreadsheet.preview_page(request, IMPORT_PAGES, token)


@login_required
def community_import_template(request):
    imports.require_can_import(request.user)
    return spreadsheet.template_response(filename="社区档案导入模板.xlsx", title=str(_("社区档案")),
                                         columns=imports.COLUMNS, examples=imports.EXAMPLES)
