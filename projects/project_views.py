"""Pages for a funded project: list, detail, agreement, lifecycle steps, disbursements
and budget adjustment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from web.forms import add_service_error
from web.search import clean_query
from web.views import confirm_first, paginate, run_step
from workflow.views import step_view

from . import access, selectors, services
from .filters import ProjectFilter
from .forms import (
    AgreementForm,
    BudgetLineFormSet,
    DisbursementForm,
    ReverseForm,
)
from .progress_forms import SupervisorAssignForm
from .workflows import project_machine


@login_required
def project_list(request):
    q = clean_query(request.GET.get("q"))
    base = selectors.search_projects(selectors.project_list(user=request.user), q)
    project_filter = ProjectFilter(request.GET or None, queryset=base)
    query = request.GET.copy()
    query.pop("page", None)
    without_status = query.copy()
    without_status.pop("status", None)
    return render(request, "projects/project_list.html", {
        "page": paginate(request, project_filter.qs), "q": q, "filter": project_filter, "query": query.urlencode(),
        # Counts per state over everything else the person chose, so each pill says what it would show.
        "counts": selectors.project_status_counts(ProjectFilter(without_status, queryset=base).qs),
        "status": request.GET.get("status", ""),
        "without_status": without_status.urlencode()})


@login_required
def project_detail(request, pk):
    project = access.get_project_for_user(request.user, pk)
    finance = access.can_manage_round(request.user, project.round)
    return render(request, "projects/project_detail.html", {
        "project": project, "can_finance": finance,
        "actions": project_machine.allowed(project, request.user),
        "agreement_form": AgreementForm() if finance and not project.agreement_signed_on else None,
        "disbursement_form": DisbursementForm(project=project) if finance else None,
        "supervisor_form": SupervisorAssignForm() if finance else None,
        "is_supervisor": access.is_project_supervisor(request.user, project),
        "can_raise": access.can_raise_rectification(request.user, community=project.community, project=project),
        "needs_budget_adjustment": services.needs_budget_adjustment(project),
        "can_adjust_budget": access.is_project_agency(request.user, project),
        **selectors.project_detail_context(project=project),
        **selectors.project_page_context(user=request.user, project=project, today=timezone.localdate()),
    })


# 结项 / 撤销结项: confirm, then the engine.
project_step = step_view(
    project_machine, lookup=access.get_project_for_user, names=("close", "reopen"), keyword="project",
    services={"close": services.project_close, "reopen": services.project_reopen},
    success={"close": gettext_lazy("项目已结项。"), "reopen": gettext_lazy("已撤销结项，项目恢复执行。")},
    back_url=lambda project: reverse("projects:project_detail", args=[project.pk]),
    summary=lambda project: [(_("执行机构"), project.organization.name), (_("社区"), project.community.name),
                             (_("立项金额"), services.yuan(project.approved_amount))])


@login_required
@require_POST
def project_agreement(request, pk):
    project = access.get_project_for_finance(request.user, pk)
    form = AgreementForm(request.POST)
    if form.is_valid():
        run_step(request, services.agreement_sign, _("协议签订已登记。"), project=project,
             signed_on=form.cleaned_data["signed_on"])
    else:
        messages.error(request, _("请填写协议签订日期。"))
    return redirect("projects:project_detail", pk=project.pk)


@login_required
@require_http_methods(["POST"])
def project_disburse(request, pk):
    project = access.get_project_for_finance(request.user, pk)
    form = DisbursementForm(request.POST, project=project)
    if form.is_valid():
        data = form.cleaned_data
        try:
            confirm = confirm_first(
                request, title=_("确认拨付"), back_url=reverse("projects:project_detail", args=[project.pk]),
                summary=[(_("项目"), project.title), (_("执行机构"), project.organization.name),
                         (_("拨付批次"), str(data["tranche"])), (_("本次金额"), services.yuan(data["amount"])),
                         (_("拨付日期"), f"{data['paid_on']:%Y-%m-%d}"), (_("凭证号"), data["voucher_number"]),
                         (_("拨付后累计"), _("%(p)s / 立项 %(a)s") % {
                             "p": services.yuan(project.disbursed_amount + data["amount"]),
                             "a": services.yuan(project.approved_amount)})],
                warning=_("拨付记录登记后不能修改；登记错了请用“冲销”并写明原因。"),
                step=lambda: services.disbursement_record(project=project, actor=request.user, **data))
            if confirm is not None:
                return confirm
            services.disbursement_record(project=project, actor=request.user, **data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("拨付已登记。"))
            return redirect("projects:project_detail", pk=project.pk)
    return render(request, "projects/project_detail.html", {
        "project": project, "can_finance": True, "disbursement_form": form,
        "agreement_form": AgreementForm() if not project.agreement_signed_on else None,
        "supervisor_form": SupervisorAssignForm(),
        **selectors.project_detail_context(project=project),
        **selectors.project_page_context(user=request.user, project=project, today=timezone.localdate()),
    }, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def disbursement_reverse(request, pk, disbursement_pk):
    """冲销: a mistaken payment is cancelled by its own audited entry, with a reason."""
    project = access.get_project_for_finance(request.user, pk)
    disbursement = get_object_or_404(project.disbursements.select_related("tranche"), pk=disbursement_pk,
                                     reverses__isnull=True)
    form = ReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.disbursement_reverse(disbursement=disbursement, actor=request.user,
                                          reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("拨付已冲销，已拨付累计已减少。"))
            return redirect("projects:project_detail", pk=project.pk)
    return render(request, "projects/disbursement_reverse.html", {
        "project": project, "disbursement": disbursement, "form": form,
        "summary": [(_("项目"), project.title), (_("拨付批次"), str(disbursement.tranche)),
                    (_("凭证号"), disbursement.voucher_number), (_("拨付日期"), f"{disbursement.paid_on:%Y-%m-%d}"),
                    (_("冲销金额"), services.yuan(disbursement.amount)),
                    (_("冲销后累计"), services.yuan(project.disbursed_amount - disbursement.amount))],
    }, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def budget_adjust(request, pk):
    """预算调整: approved for less than requested, the agency fits its budget lines to the
    approved amount before the agreement is signed."""
    project = access.get_project_for_user(request.user, pk)
    if not access.is_project_agency(request.user, project):
        raise PermissionDenied(_("只有执行机构的工作人员可以调整预算。"))
    lines = BudgetLineFormSet(request.POST or None, queryset=project.application.budget_lines.all(), prefix="budget")
    if request.method == "POST" and lines.is_valid():
        budget = [f.cleaned_data for f in lines.forms
                  if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("amount") is not None]
        try:
            services.budget_adjust(project=project, actor=request.user, budget_lines=budget)
        except ValidationError as exc:
            for message in exc.messages:
                lines._non_form_errors = lines.error_class([*lines.non_form_errors(), message])
        else:
            messages.success(request, _("预算已调整，等待民政局登记协议。"))
            return redirect("projects:project_detail", pk=project.pk)
    return render(request, "projects/budget_adjust.html", {"project": project, "lines": lines},
                  status=400 if request.method == "POST" else 200)
