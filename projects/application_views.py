"""Pages for an application: start, edit, attachments, the steps from submission to the
decision, and past revisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from organizations.access import organization_ids_for_member
from organizations.models import Organization
from places.models import Region
from web import thumbnails, uploads
from web.forms import add_service_error
from web.search import clean_query
from web.views import confirm_first, paginate, run_step
from workflow.views import ignoring_reason, step_view

from . import access, selectors, services
from .forms import (
    ApplicationForm,
    ApplicationStartForm,
    AssignReviewersForm,
    AttachmentForm,
    BudgetLineFormSet,
    DecisionForm,
    EndorseForm,
    ScreeningForm,
)
from .models import Application, ReviewSheet
from .revisions import SNAPSHOT_FIELDS
from .workflows import application_machine


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
def attachment_thumb(request, pk, attachment_pk):
    """An image attachment's thumbnail, behind the same check as the download; documents have none."""
    application = access.get_application_for_user(request.user, pk)
    attachment = get_object_or_404(application.attachments.filter(content_type__startswith="image/"),
                                   pk=attachment_pk)
    return thumbnails.thumbnail_response(attachment.file, filename=attachment.name)


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


# 提交 and 撤回: buttons that post at once (a refusal comes back as a message).
_APPLICANT_STEPS = {
    "confirm": False, "lookup": access.get_application_for_edit, "keyword": "application",
    "back_url": lambda application: reverse("projects:application_detail", args=[application.pk]),
    "services": {"submit": ignoring_reason(services.application_submit), "withdraw": services.application_withdraw},
    "success": {"submit": gettext_lazy("申报书已提交，等待形式审查。"), "withdraw": gettext_lazy("申报书已撤回。")},
}
application_submit = step_view(application_machine, name="submit", **_APPLICANT_STEPS)
application_withdraw = step_view(application_machine, name="withdraw", **_APPLICANT_STEPS)


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
