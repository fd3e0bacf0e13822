from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from audit.services import history_for
from web import spreadsheet
from web.forms import add_service_error
from web.views import paginate

from . import imports, services
from .access import (
    can_create_organization,
    can_manage,
    can_see_private,
    get_organization_for_edit,
    get_organization_for_user,
    get_organization_private_for_user,
    require_can_create_organization,
)
from .filters import OrganizationFilter
from .forms import MembershipAddForm, OrganizationForm
from .selectors import member_list, organization_list


@login_required
def organization_list_view(request):
    org_filter = OrganizationFilter(request.GET or None, queryset=organization_list(user=request.user))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "organizations/organization_list.html", {
        "filter": org_filter,
        "page": paginate(request, org_filter.qs),
        "query": query.urlencode(),
        "can_create": can_create_organization(request.user),
    })


@login_required
def organization_detail(request, pk):
    organization = get_organization_for_user(request.user, pk)
    return render(request, "organizations/organization_detail.html", {
        "organization": organization,
        "can_see_private": can_see_private(request.user, organization),
        "can_manage": can_manage(request.user, organization),
    })




@login_required
@require_http_methods(["GET", "POST"])
def organization_create(request):
    require_can_create_organization(request.user)
    form = OrganizationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.organization_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已登记组织：%(name)s") % {"name": organization.name})
            return redirect("organizations:organization_detail", pk=organization.pk)
    return render(request, "organizations/organization_form.html", {"form": form, "title": _("登记社会组织")})


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request, pk):
    organization = get_organization_for_edit(request.user, pk)
    form = OrganizationForm(request.POST or None, instance=organization, user=request.user,
                            initial={"credit_code_waiver": organization.credit_code_waiver})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        credit_code = data.pop("credit_code", None)
        waiver = data.pop("credit_code_waiver", "")
        try:
            services.organization_update(organization=organization, actor=request.user, data=data,
                                         credit_code=credit_code, credit_code_waiver=waiver)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("组织信息已保存。"))
            return redirect("organizations:organization_detail", pk=organization.pk)
    return render(request, "organizations/organization_form.html", {
        "form": form, "organization": organization, "title": _("编辑组织信息"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def organization_members(request, pk):
    organization = get_organization_private_for_user(request.user, pk)
    manage = can_manage(request.user, organization)
    form = MembershipAddForm(request.POST or None) if manage else None
    if request.method == "POST":
        if not manage:
            organization = get_organization_for_edit(request.user, pk)  # raises 403
        if form.is_valid():
            try:
                services.membership_add(organization=organization, actor=request.user,
                                        user=form.cleaned_data["username"],
                                        position=form.cleaned_data["position"], title=form.cleaned_data["title"])
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("已添加成员。"))
                return redirect("organizations:organization_members", pk=organization.pk)
    return render(request, "organizations/organization_members.html", {
        "organization": organization,
        "members": member_list(organization=organization),
        "form": form,
        "can_manage": manage,
        "history": history_for(organization)[:20],
    })


@login_required
@require_POST
def membership_remove(request, pk, membership_pk):
    organization = get_organization_for_edit(request.user, pk)
    membership = get_object_or_404(organization.memberships.select_related("user"), pk=membership_pk)
    services.membership_remove(membership=membership, actor=request.user)
    messages.success(request, _("已移除成员：%(name)s") % {"name": membership.user.display_name})
    return redirect("organizations:organization_members", pk=organization.pk)


IMPORT_PAGES = imports.PAGES


@login_required
@require_http_methods(["GET", "POST"])
def organization_import(request):
    return spreadsheet.upload_page(request, IMPORT_PAGES)


@login_required
@require_http_methods(["GET", "POST"])
def organization_import_preview(request, token):
    return spreadsheet.preview_page(request, IMPORT_PAGES, token)


@login_required
def organization_import_template(request):
    imports.require_can_import(request.user)
    return spreadsheet.template_response(
        filename="社会组织导入模板.xlsx", title=str(_("社会组织")), columns=imports.COLUMNS,
        examples=[{c.key: c.example for c in imports.COLUMNS}])
