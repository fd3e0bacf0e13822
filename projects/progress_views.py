"""Pages for progress reports, supervision and rectification."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from places.access import get_community_for_user
from web import thumbnails, uploads
from web.forms import add_service_error
from web.search import clean_query
from web.views import paginate, run_step
from workflow.views import ignoring_reason, step_view

from . import access, selectors, services
from .models import ActivityPhoto, ProgressReport, Rectification
from .progress_forms import (
    ActivityForm,
    CommentForm,
    ExpenseForm,
    NewSelfOrgForm,
    RectificationForm,
    RectificationRespondForm,
    RectificationVerifyForm,
    ReportNarrativeForm,
    ReturnForm,
    SelfOrgUpdateForm,
    SupervisorAssignForm,
    VisitForm,
)
from .workflows import progress_report_machine


@login_required
def progress_list(request):
    status = request.GET.get("status") or None
    overdue = request.GET.get("overdue") == "1"
    today = timezone.localdate()
    q = clean_query(request.GET.get("q"))
    queryset = selectors.search_progress_reports(
        selectors.progress_list(user=request.user, status=status, overdue=overdue, today=today), q)
    page = paginate(request, queryset)
    for report in page:
        report.overdue = report.is_overdue(today)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "projects/progress_list.html", {
        "page": page, "status": status, "overdue": overdue, "statuses": ProgressReport.Status.choices,
        "q": q, "query": query.urlencode(),
    })


def _report_page(request, report, **forms):
    project = report.project
    filing = access.is_project_agency(request.user, project) and report.status in (
        ProgressReport.Status.DRAFT, ProgressReport.Status.RETURNED)
    reviewing = (
        access.can_manage_round(request.user, project.round) and report.status == ProgressReport.Status.SUBMITTED
    )
    context = {
        "report": report, "project": project, "filing": filing, "reviewing": reviewing,
        "can_reopen": report.status == ProgressReport.Status.ACCEPTED and project.status == project.Status.ACTIVE
        and access.can_manage_round(request.user, project.round),
        "overdue": report.is_overdue(timezone.localdate()),
        "can_comment": access.can_comment_report(request.user, report),
        **selectors.report_detail_context(report=report),
    }
    if filing:
        context.update(
            narrative_form=forms.get("narrative_form") or ReportNarrativeForm(instance=report),
            activity_form=forms.get("activity_form") or ActivityForm(report=report),
            expense_form=forms.get("expense_form") or ExpenseForm(report=report),
            selforg_form=forms.get("selforg_form") or SelfOrgUpdateForm(report=report),
            new_selforg_form=forms.get("new_selforg_form") or NewSelfOrgForm(),
        )
    if reviewing:
        context["return_form"] = forms.get("return_form") or ReturnForm()
    if context["can_comment"]:
        context["comment_form"] = forms.get("comment_form") or CommentForm()
    status = 400 if forms else 200
    return render(request, "projects/progress_detail.html", context, status=status)


@login_required
def progress_detail(request, pk):
    return _report_page(request, access.get_progress_report_for_user(request.user, pk))


def _filing_step(request, pk, form_name, build_form, step):
    """A filing form posted on the report page: the service on success, or the page
    again with the form's errors and what was typed."""
    report = access.get_report_for_filing(request.user, pk)
    form = build_form(report)
    if form.is_valid():
        try:
            with transaction.atomic():
                step(report, form)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("projects:progress_detail", pk=report.pk)
    return _report_page(request, report, **{form_name: form})


@login_required
@require_POST
def progress_narrative(request, pk):
    return _filing_step(
        request, pk, "narrative_form", lambda r: ReportNarrativeForm(request.POST, instance=r),
        lambda r, f: services.progress_save(report=r, actor=request.user, data=f.cleaned_data))


def _save_activity(request, report, form):
    data = dict(form.cleaned_data)
    photo = data.pop("photo", None)
    self_organizations = data.pop("self_organizations", [])
    activity = services.activity_add(report=report, actor=request.user, self_organizations=self_organizations,
                                     **data)
    if photo:
        services.photo_add(activity=activity, actor=request.user, upload=photo)


@login_required
@require_POST
def activity_add(request, pk):
    return _filing_step(request, pk, "activity_form",
                        lambda r: ActivityForm(request.POST, request.FILES, report=r),
                        lambda r, f: _save_activity(request, r, f))


@login_required
@require_POST
def expense_add(request, pk):
    return _filing_step(request, pk, "expense_form", lambda r: ExpenseForm(request.POST, report=r),
                        lambda r, f: services.expense_add(report=r, actor=request.user, **f.cleaned_data))


@login_required
@require_POST
def selforg_update_add(request, pk):
    return _filing_step(request, pk, "selforg_form", lambda r: SelfOrgUpdateForm(request.POST, report=r),
                        lambda r, f: services.selforg_update_add(report=r, actor=request.user, **f.cleaned_data))


@login_required
@require_POST
def selforg_register(request, pk):
    return _filing_step(request, pk, "new_selforg_form", lambda r: NewSelfOrgForm(request.POST),
                        lambda r, f: services.agency_selforg_register(report=r, actor=request.user,
                                                                      **f.cleaned_data))


@login_required
@require_POST
def activity_delete(request, pk, activity_pk):
    report = access.get_report_for_filing(request.user, pk)
    activity = get_object_or_404(report.activities, pk=activity_pk)
    try:
        services.activity_remove(activity=activity, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("projects:progress_detail", pk=report.pk)


@login_required
@require_POST
def expense_delete(request, pk, expense_pk):
    report = access.get_report_for_filing(request.user, pk)
    expense = get_object_or_404(report.expenses, pk=expense_pk)
    try:
        services.expense_remove(expense=expense, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("projects:progress_detail", pk=report.pk)


@login_required
def activity_photo(request, pk, photo_pk):
    report = access.get_progress_report_for_user(request.user, pk)
    photo = get_object_or_404(ActivityPhoto.objects.filter(activity__report=report), pk=photo_pk)
    return uploads.file_response(photo.image, filename=photo.name, content_type=photo.content_type)


@login_required
def activity_photo_thumb(request, pk, photo_pk):
    """The photo's thumbnail, behind the same check as the photo (web.thumbnails)."""
    report = access.get_progress_report_for_user(request.user, pk)
    photo = get_object_or_404(ActivityPhoto.objects.filter(activity__report=report), pk=photo_pk)
    return thumbnails.thumbnail_response(photo.image, filename=photo.name)


progress_submit = step_view(
    progress_report_machine, name="submit", confirm=False, lookup=access.get_report_for_filing, keyword="report",
    services={"submit": ignoring_reason(services.progress_submit)}, success=gettext_lazy("进度报告已提交，等待审核。"),
    back_url=lambda report: reverse("projects:progress_detail", args=[report.pk]))


def _report_summary(report) -> list:
    figures = services.report_figures(report)
    return [(_("项目"), report.project.title),
            (_("期次"), _("第 %(n)s 期（%(a)s 至 %(b)s）") % {"n": report.number, "a": report.period_start,
                                                          "b": report.period_end}),
            (_("活动场次"), figures["activities"]), (_("直接参与人次"), f"{figures['direct']:,}"),
            (_("间接服务人次"), f"{figures['indirect']:,}"), (_("支出"), services.yuan(figures["spent"]))]


# 通过 and 撤销通过 (the correction of a mistaken acceptance, with a reason), each at a URL of its own.
_REVIEW_STEPS = {
    "lookup": access.get_report_for_review, "keyword": "report", "summary": _report_summary,
    "back_url": lambda report: reverse("projects:progress_detail", args=[report.pk]),
    "services": {"accept": ignoring_reason(services.progress_accept), "reopen": services.progress_reopen},
    "success": {"accept": gettext_lazy("进度报告已通过，数据已计入项目累计。"),
                "reopen": gettext_lazy("已撤销通过，本期数据已从项目累计中扣除，报告已退回执行机构。")},
}
progress_accept = step_view(progress_report_machine, name="accept", **_REVIEW_STEPS)
progress_reopen = step_view(progress_report_machine, name="reopen", **_REVIEW_STEPS)


@login_required
@require_POST
def progress_return(request, pk):
    report = access.get_report_for_review(request.user, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.progress_return(report=report, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("进度报告已退回。"))
            return redirect("projects:progress_detail", pk=report.pk)
    return _report_page(request, report, return_form=form)


@login_required
@require_POST
def progress_comment(request, pk):
    report = access.get_progress_report_for_user(request.user, pk)
    if not access.can_comment_report(request.user, report):
        raise PermissionDenied(_("只有属地街道、社区和民政局工作人员可以发表意见。"))
    form = CommentForm(request.POST)
    if form.is_valid():
        services.progress_comment(report=report, actor=request.user, body=form.cleaned_data["body"])
        return redirect("projects:progress_detail", pk=report.pk)
    return _report_page(request, report, comment_form=form)


# --- Supervision -----------------------------------------------------------------


@login_required
@require_POST
def supervisor_assign(request, pk):
    project = access.get_project_for_finance(request.user, pk)
    form = SupervisorAssignForm(request.POST)
    if form.is_valid():
        run_step(request, services.supervisor_assign, _("督导已分配。"), project=project,
                      supervisor=form.cleaned_data["supervisor"], position=form.cleaned_data["position"])
    else:
        messages.error(request, _("请选择督导和角色。"))
    return redirect("projects:project_detail", pk=project.pk)


@login_required
@require_http_methods(["GET", "POST"])
def visit_add(request, pk):
    project = access.get_project_for_supervision(request.user, pk)
    form = VisitForm(request.POST or None, initial={"visited_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_record(project=project, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("督导记录已保存。"))
            return redirect("projects:project_detail", pk=project.pk)
    return render(request, "projects/simple_form.html", {"form": form, "title": _("记录督导"),
                                                        "subtitle": project.title})


# --- Rectification ---------------------------------------------------------------


@login_required
def rectification_list(request):
    queryset = selectors.rectification_list(user=request.user)
    status = request.GET.get("status")
    if status in Rectification.Status.values:
        queryset = queryset.filter(status=status)
    return render(request, "projects/rectification_list.html", {
        "page": paginate(request, queryset), "status": status, "statuses": Rectification.Status.choices,
        "rate": services.rectification_rate(selectors.rectification_list(user=request.user)),
        "query": f"status={status}" if status else "",
    })


@login_required
@require_http_methods(["GET", "POST"])
def rectification_add(request):
    project = None
    if request.GET.get("project"):
        project = access.get_project_for_user(request.user, request.GET["project"])
        community = project.community
    else:
        community = get_community_for_user(request.user, request.GET.get("community"))
    if not access.can_raise_rectification(request.user, community=community, project=project):
        raise PermissionDenied(_("您不能为该社区或项目提出整改事项。"))
    form = RectificationForm(request.POST or None, initial={
        "source": Rectification.Source.SUPERVISION if project else Rectification.Source.RESIDENT,
        "owner": Rectification.Owner.PROJECT if project else Rectification.Owner.COMMUNITY})
    if request.method == "POST" and form.is_valid():
        try:
            item = services.rectification_raise(actor=request.user, community=community, project=project,
                                                **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("整改事项已提出。"))
            return redirect("projects:rectification_detail", pk=item.pk)
    return render(request, "projects/simple_form.html", {
        "form": form, "title": _("提出整改事项"), "subtitle": project.title if project else community.name})


@login_required
def rectification_detail(request, pk):
    item = access.get_rectification_for_user(request.user, pk)
    open_ = item.status == Rectification.Status.OPEN
    return render(request, "projects/rectification_detail.html", {
        "item": item,
        "respond_form": RectificationRespondForm(instance=item)
        if open_ and access.is_rectification_owner(request.user, item) else None,
        "verify_form": RectificationVerifyForm() if open_ and access.can_verify_rectification(request.user, item)
        else None,
    })


@login_required
@require_POST
def rectification_respond(request, pk):
    item = access.get_rectification_for_user(request.user, pk)
    if not access.is_rectification_owner(request.user, item):
        raise PermissionDenied(_("只有整改责任方可以填写整改方案和情况。"))
    form = RectificationRespondForm(request.POST, instance=item)
    if form.is_valid():
        run_step(request, services.rectification_respond, _("整改情况已保存。"), item=item,
                      plan=form.cleaned_data["plan"], evidence=form.cleaned_data["evidence"])
    return redirect("projects:rectification_detail", pk=item.pk)


@login_required
@require_POST
def rectification_verify(request, pk):
    item = access.get_rectification_for_user(request.user, pk)
    if not access.can_verify_rectification(request.user, item):
        raise PermissionDenied(_("只有提出人或属地民政局工作人员可以核验整改。"))
    form = RectificationVerifyForm(request.POST)
    if form.is_valid():
        run_step(request, services.rectification_verify, _("已核验。"), item=item,
                      fixed=form.cleaned_data["result"] == "fixed", note=form.cleaned_data["note"])
    else:
        messages.error(request, _("请选择核验结论。"))
    return redirect("projects:rectification_detail", pk=item.pk)
