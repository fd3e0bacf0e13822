from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from organizations.access import organization_ids_for_member
from organizations.models import Organization
from places.models import Region
from web import uploads
from web.forms import add_service_error
from web.search import clean_query
from web.views import confirm_first, paginate, run_step
from workflow.views import transition_page

from . import access, selectors, services
from .filters import ApplicationFilter, ProjectFilter
from .forms import (
    DEFAULT_TRANCHES,
    AgreementForm,
    ApplicationForm,
    ApplicationStartForm,
    AssignReviewersForm,
    AttachmentForm,
    BudgetLineFormSet,
    DecisionForm,
    DisbursementForm,
    EndorseForm,
    ReverseForm,
    ReviewSheetForm,
    RoundForm,
    ScreeningForm,
    TrancheFormSet,
)
from .models import Application, ReviewSheet
from .progress_forms import SupervisorAssignForm
from .revisions import SNAPSHOT_FIELDS
from .workflows import application_machine, project_machine


def _funders_for(user):
    from places.access import scope_for

    scope = scope_for(user)
    qs = Region.objects.filter(level__in=[Region.Level.CITY, Region.Level.DISTRICT]).order_by("code")
    return qs if scope.city_wide else qs.filter(pk__in=scope.bureau_district_ids)


# --- Rounds ------------------------------------------------------------------------


@login_required
def round_list(request):
    rounds = access.rounds_for_user(request.user).select_related("funder")
    return render(request, "projects/round_list.html", {
        "rounds": rounds, "can_create": access.can_create_round(request.user),
        "is_agency": bool(organization_ids_for_member(request.user)),
    })


@login_required
def round_detail(request, pk):
    funding_round = access.get_round_for_user(request.user, pk)
    return render(request, "projects/round_detail.html", {
        "round": funding_round,
        "tranche_rules": list(funding_round.tranche_rules.all()),
        "criteria": list(funding_round.review_form.criteria.all()),
        "summary": selectors.round_summary(funding_round),
        "can_manage": access.can_manage_round(request.user, funding_round),
        "is_agency": bool(organization_ids_for_member(request.user)),
    })


def _round_form_page(request, funding_round=None):
    initial_tranches = ([{"percent": r.percent, "trigger": r.trigger} for r in funding_round.tranche_rules.all()]
                        if funding_round else DEFAULT_TRANCHES)
    form = RoundForm(request.POST or None, instance=funding_round, funders=_funders_for(request.user))
    tranches = TrancheFormSet(request.POST or None, initial=initial_tranches, prefix="tranches")
    if request.method == "POST" and form.is_valid() and tranches.is_valid():
        try:
            if funding_round is None:
                funding_round = services.round_create(actor=request.user, tranches=tranches.tranches(),
                                                      **form.cleaned_data)
            else:
                services.round_update(funding_round=funding_round, actor=request.user, data=form.cleaned_data,
                                      tranches=tranches.tranches())
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("资助轮次已保存。"))
            return redirect("projects:round_detail", pk=funding_round.pk)
    return render(request, "projects/round_form.html", {"form": form, "tranches": tranches,
                                                        "round": funding_round})


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request):
    if not access.can_create_round(request.user):
        raise PermissionDenied(_("只有民政局工作人员可以创建资助轮次。"))
    return _round_form_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def round_edit(request, pk):
    return _round_form_page(request, access.get_round_for_management(request.user, pk))


@login_required
def review_queue(request, pk):
    funding_round = access.get_round_for_management(request.user, pk)
    base = selectors.review_queue(user=request.user, funding_round=funding_round)
    queue_filter = ApplicationFilter(request.GET or None, queryset=base)
    queryset = queue_filter.qs.order_by(*(queue_filter.qs.query.order_by or ["-submitted_at", "-pk"]))
    page = paginate(request, queryset)
    for application in page:
        application.spread_flag = selectors.spread_flagged(application, funding_round.score_spread_gap)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "projects/review_queue.html", {
        "round": funding_round, "filter": queue_filter, "page": page, "query": query.urlencode(),
        "counts": selectors.status_counts(base), "statuses": Application.Status.choices,
        "assign_form": AssignReviewersForm(),
    })


@login_required
@require_POST
def review_assign(request, pk):
    funding_round = access.get_round_for_management(request.user, pk)
    candidates = selectors.review_queue(user=request.user, funding_round=funding_round)
    form = AssignReviewersForm(request.POST, applications=candidates)
    if not form.is_valid() or not form.cleaned_data["applications"]:
        messages.error(request, _("请至少勾选一份申报书和一位评审专家。"))
    else:
        try:
            created = services.review_assign(applications=list(form.cleaned_data["applications"]),
                                             reviewers=list(form.cleaned_data["reviewers"]), actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已分配 %(n)s 份评审任务。") % {"n": len(created)})
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("projects:review_queue", pk=funding_round.pk)


# --- Applications ----------------------------------------------------------------


@login_required
def application_list(request):
    q = clean_query(request.GET.get("q"))
    queryset = selectors.search_applications(selectors.application_list(user=request.user), q)
    status = request.GET.get("status")
    if status in Application.Status.values:
        queryset = queryset.filter(status=status)
    return render(request, "projects/application_list.html", {
        "page": paginate(request, queryset), "status": status, "statuses": Application.Status.choices,
        "q": q, "query": urlencode({k: v for k, v in (("status", status), ("q", q)) if v}),
    })


@login_required
@require_http_methods(["GET", "POST"])
def application_start(request, pk):
    funding_round = access.get_round_for_user(request.user, pk)
    organizations = Organization.objects.filter(pk__in=organization_ids_for_member(request.user))
    if not organizations.exists():
        raise PermissionDenied(_("只有社会组织的工作人员可以申报。"))
    area = selectors.round_area(funding_round)
    districts = Region.objects.filter(level=Region.Level.DISTRICT, pk__in=area.values("street__parent")).order_by(
        "code")
    district_id = request.GET.get("district") or request.POST.get("district")
    if str(district_id or "").isdigit():
        shown = area.filter(street__parent_id=district_id)
    else:
        # A city round covers 3,047 communities: pick the district first.
        shown = area if funding_round.funder.level == Region.Level.DISTRICT else area.none()
    if request.headers.get("HX-Request"):
        return render(request, "projects/_community_options.html", {"communities": shown})
    form = ApplicationStartForm(request.POST or None, organizations=organizations,
                                communities=area if request.method == "POST" else shown, districts=districts)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                actor=request.user, funding_round=funding_round, organization=form.cleaned_data["organization"],
                community=form.cleaned_data["community"], title=form.cleaned_data["title"])
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已创建申报书草稿，请继续填写。"))
            return redirect("projects:application_edit", pk=application.pk)
    return render(request, "projects/application_start.html", {"form": form, "round": funding_round})


def _application_page(request, application, status=200, **forms):
    """The one rendering of the application page: the detail view and every form that
    posts from it and comes back with errors (what was typed kept, at the field)."""
    user = request.user
    manage = access.can_manage_application(user, application)
    context = {
        "application": application,
        "can_edit": access.can_edit_application(user, application),
        "is_applicant": access.is_applicant(user, application),
        "can_endorse": access.can_endorse(user, application),
        "can_manage": manage,
        "actions": {t.name for t in application_machine.allowed(application, user)},
        "missing": services.missing_parts(application) if access.can_edit_application(user, application) else [],
        "attachment_form": AttachmentForm(),
        "own_sheet": ReviewSheet.objects.filter(application=application, reviewer=user).first(),
        **selectors.application_detail_context(user=user, application=application),
    }
    if manage:
        context.update(screening_form=ScreeningForm(), decision_form=DecisionForm(
            initial={"approved_amount": application.requested_amount}), assign_form=AssignReviewersForm())
    context.update(forms)
    return render(request, "projects/application_detail.html", context, status=status)


@login_required
def application_detail(request, pk):
    return _application_page(request, access.get_application_for_user(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request, pk):
    application = access.get_application_for_edit(request.user, pk)
    if not access.can_edit_application(request.user, application):
        messages.info(request, _("申报书状态为“%(s)s”，不能修改。") % {"s": application.get_status_display()})
        return redirect("projects:application_detail", pk=application.pk)
    form = ApplicationForm(request.POST or None, instance=application)
    lines = BudgetLineFormSet(request.POST or None, queryset=application.budget_lines.all(), prefix="budget")
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        budget = [f.cleaned_data for f in lines.forms
                  if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("amount") is not None]
        try:
            services.application_update(application=application, actor=request.user, data=form.cleaned_data,
                                        budget_lines=budget)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            if "save_and_view" in request.POST:
                return redirect("projects:application_detail", pk=application.pk)
            return redirect("projects:application_edit", pk=application.pk)
    return render(request, "projects/application_form.html", {
        "application": application, "form": form, "lines": lines,
    })


@login_required
@require_POST
def attachment_upload(request, pk):
    application = access.get_application_for_edit(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(application=application, actor=request.user, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("附件已上传。"))
    else:
        for message in form.errors.get("file", [_("请选择要上传的文件。")]):
            messages.error(request, message)
    return redirect("projects:application_detail", pk=application.pk)


@login_required
def attachment_download(request, pk, attachment_pk):
    application = access.get_application_for_user(request.user, pk)
    attachment = get_object_or_404(application.attachments, pk=attachment_pk)
    return uploads.file_response(attachment.file, filename=attachment.name, content_type=attachment.content_type)


@login_required
@require_POST
def attachment_delete(request, pk, attachment_pk):
    application = access.get_application_for_edit(request.user, pk)
    attachment = get_object_or_404(application.attachments, pk=attachment_pk)
    try:
        services.attachment_remove(attachment=attachment, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("附件已删除。"))
    return redirect("projects:application_detail", pk=application.pk)


@login_required
@require_POST
def application_submit(request, pk):
    application = access.get_application_for_edit(request.user, pk)
    run_step(request, services.application_submit, _("申报书已提交，等待形式审查。"), application=application)
    return redirect("projects:application_detail", pk=application.pk)


@login_required
@require_POST
def application_withdraw(request, pk):
    application = access.get_application_for_edit(request.user, pk)
    run_step(request, services.application_withdraw, _("申报书已撤回。"), application=application,
         reason=request.POST.get("reason", ""))
    return redirect("projects:application_detail", pk=application.pk)


@login_required
@require_http_methods(["GET", "POST"])
def application_endorse(request, pk):
    application = access.get_application_for_endorse(request.user, pk)
    form = EndorseForm(request.POST or None, initial={"endorsement": application.endorsement or None,
                                                      "endorsement_text": application.endorsement_text})
    if request.method == "POST" and form.is_valid():
        try:
            services.application_endorse(application=application, actor=request.user,
                                         endorsement=form.cleaned_data["endorsement"],
                                         text=form.cleaned_data["endorsement_text"])
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("社区意见已保存。"))
            return redirect("projects:application_detail", pk=application.pk)
    return render(request, "projects/simple_form.html", {
        "form": form, "title": _("填写社区意见"), "subtitle": application.title,
        "cancel_url": reverse("projects:application_detail", args=[application.pk]),
    })


@login_required
@require_POST
def application_screen(request, pk):
    application = access.get_application_for_management(request.user, pk)
    form = ScreeningForm(request.POST)
    if form.is_valid():
        passed = form.cleaned_data["result"] == "pass"
        run_step(request, services.application_screen, _("形式审查已办理。"), application=application, passed=passed,
             reason=form.cleaned_data["reason"])
    else:
        messages.error(request, _("请选择形式审查结论。"))
    return redirect("projects:application_detail", pk=application.pk)


@login_required
@require_POST
def application_assign(request, pk):
    application = access.get_application_for_management(request.user, pk)
    form = AssignReviewersForm(request.POST)
    if form.is_valid():
        run_step(request, services.review_assign, _("评审专家已分配。"), applications=[application],
             reviewers=list(form.cleaned_data["reviewers"]))
    else:
        messages.error(request, _("请选择评审专家。"))
    return redirect("projects:application_detail", pk=application.pk)


@login_required
@require_http_methods(["POST"])
def application_decide(request, pk):
    application = access.get_application_for_management(request.user, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        labels = dict(form.fields["decision"].choices)
        amount = data.get("approved_amount") or application.requested_amount
        summary = [(_("申报书"), application.title), (_("申报机构"), application.applicant_name),
                   (_("结论"), labels[data["decision"]]), (_("理由"), data["reason"])]
        if data["decision"] == "approve":
            summary[3:3] = [(_("申请金额"), services.yuan(application.requested_amount)),
                            (_("立项金额"), services.yuan(amount))]
        try:
            confirm = confirm_first(
                request, title=_("确认评审结论"), summary=summary,
                back_url=reverse("projects:application_detail", args=[application.pk]),
                warning=_("结论作出后不能撤回；立项将生成项目和拨付批次。"),
                step=lambda: services.application_decide(application=application, actor=request.user, **data))
            if confirm is not None:
                return confirm
            services.application_decide(application=application, actor=request.user, **data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("结论已保存。"))
            return redirect("projects:application_detail", pk=application.pk)
    return _application_page(request, application, status=400, decision_form=form)


@login_required
def revision_detail(request, pk, number):
    application = access.get_application_for_user(request.user, pk)
    revisions = selectors.revisions_with_diffs(application)
    entry = next((r for r in revisions if r["revision"].number == number), None)
    if entry is None:
        raise Http404(_("没有这个版本。"))
    fields = [(label, entry["revision"].content.get(key, "")) for key, label in SNAPSHOT_FIELDS]
    return render(request, "projects/revision_detail.html", {"application": application, "fields": fields, **entry})


# --- Review ----------------------------------------------------------------------


@login_required
def review_list(request):
    return render(request, "projects/review_list.html", {"sheets": selectors.review_list(user=request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def review_sheet(request, pk):
    sheet = access.get_sheet_for_reviewer(request.user, pk)
    scores = list(sheet.scores.select_related("criterion").order_by("criterion__order"))
    form = ReviewSheetForm(request.POST or None, sheet=sheet, scores=scores)
    locked = sheet.status == ReviewSheet.Status.SUBMITTED or \
        sheet.application.status != Application.Status.IN_REVIEW
    if request.method == "POST":
        if locked:
            raise PermissionDenied(_("评审表已提交或申报书已不在评审阶段，不能再修改。"))
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.review_save(sheet=sheet, actor=request.user, scores=form.scores(),
                                         recommendation=form.cleaned_data["recommendation"],
                                         comment=form.cleaned_data["comment"])
                    if "submit" in request.POST:
                        services.review_submit(sheet=sheet, actor=request.user)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                if "submit" in request.POST:
                    messages.success(request, _("评审表已提交。"))
                    return redirect("projects:application_detail", pk=sheet.application_id)
                messages.success(request, _("草稿已保存。"))
                return redirect("projects:review_sheet", pk=sheet.pk)
    return render(request, "projects/review_sheet.html", {
        "sheet": sheet, "form": form, "locked": locked, "application": sheet.application,
    })


# --- Projects --------------------------------------------------------------------


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


@login_required
@require_http_methods(["GET", "POST"])
def project_step(request, pk, name):
    """结项 / 撤销结项: confirm, then the engine."""
    project = access.get_project_for_user(request.user, pk)
    steps = {"close": (services.project_close, _("项目已结项。")),
             "reopen": (services.project_reopen, _("已撤销结项，项目恢复执行。"))}
    if name not in steps:
        raise Http404
    service, success = steps[name]
    return transition_page(request, project, name, service=lambda **kw: service(project=project, **kw),
                           success=success, back_url=reverse("projects:project_detail", args=[project.pk]),
                           summary=[(_("执行机构"), project.organization.name), (_("社区"), project.community.name),
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
