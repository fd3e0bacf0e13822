"""角色管理: bureau staff list, grant and revoke role assignments in their scope."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from web.forms import add_service_error
from web.views import paginate

from . import roles
from .role_forms import RoleFilterForm, RoleGrantForm, RoleRevokeForm


def filter_assignments(queryset, data):
    form = RoleFilterForm(data or None)
    if form.is_valid():
        if form.cleaned_data["role"]:
            queryset = queryset.filter(role=form.cleaned_data["role"])
        if text := form.cleaned_data["q"].strip():
            queryset = queryset.filter(Q(user__username__icontains=text) | Q(user__real_name__icontains=text)
                                       | Q(region__name__icontains=text) | Q(community__name__icontains=text))
    return form, queryset


@login_required
def role_list(request):
    roles.require_role_management(request.user)
    form, queryset = filter_assignments(roles.role_assignments_for_user(request.user), request.GET)
    page = paginate(request, queryset.order_by("-created_at", "-pk"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "places/role_list.html", {"form": form, "page": page, "query": query.urlencode()})


@login_required
@require_http_methods(["GET", "POST"])
def role_grant(request):
    roles.require_role_management(request.user)
    form = RoleGrantForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment = roles.role_grant(actor=request.user, user=data["username"], role=data["role"],
                                          region=data["region"], community=data["community_code"])
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已授予：%(a)s") % {"a": assignment})
            return redirect("places:role_list")
    return render(request, "places/role_form.html", {"form": form, "title": _("授予角色")})


@login_required
@require_http_methods(["GET", "POST"])
def role_revoke(request, pk):
    assignment = roles.get_assignment_for_revoke(request.user, pk)
    form = RoleRevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            roles.role_revoke(actor=request.user, assignment=assignment, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已撤销：%(a)s") % {"a": assignment})
            return redirect("places:role_list")
    return render(request, "places/role_form.html", {
        "form": form, "title": _("撤销角色"), "assignment": assignment,
        "warning": _("撤销后该用户立即失去这一角色的权限。此操作会记入操作记录。")})
