import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from projects.access import get_project_for_user
from residents import access as resident_access
from residents import views as resident_views
from web import uploads
from web.forms import add_service_error
from web.views import paginate, run_step

from . import access, dashboards, services
from .forms import ReportRequestForm
from .models import Report


@login_required
def dashboard(request):
    """The home page: each role's figures and charts, from the reports' own selectors."""
    # --- residents (#17): a resident without a staff role gets the phone-first resident home ---
    if resident_access.is_resident_only(request.user):
        return resident_views.home(request)
    # --- end residents ---
    return render(request, "reports/dashboard.html", dashboards.dashboard_context(request.user,
                                                                                  timezone.localdate()))


@login_required
@require_http_methods(["GET", "POST"])
def report_list(request):
    regions = access.report_regions_for_user(request.user)
    form = ReportRequestForm(request.POST or None, regions=regions) if regions.exists() else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("只有民政局工作人员可以申请汇总报表。"))
        if form.is_valid():
            data = dict(form.cleaned_data)
            kind, fmt, region = data.pop("kind"), data.pop("format"), data.pop("region")
            try:
                with transaction.atomic():
                    report = services.report_request(actor=request.user, kind=kind, format=fmt, region=region,
                                                     params=data)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                return _queued(request, report)
    reports = access.reports_for_user(request.user).select_related("scope_region", "requested_by")
    return render(request, "reports/report_list.html", {"form": form, "page": paginate(request, reports),
                                                        "query": ""}, status=400 if form and form.errors else 200)


@login_required
@require_POST
def dossier_request(request, project_pk):
    project = get_project_for_user(request.user, project_pk)
    with transaction.atomic():
        report = services.report_request(actor=request.user, kind="dossier", format=Report.Format.PDF,
                                         project=project)
    return _queued(request, report)


def _queued(request, report):
    # The broker was unreachable: the job is saved and beat sends it within a minute.
    if getattr(report, "enqueue_failed", False):
        messages.warning(request, _("已排队，稍后自动开始。"))
    return redirect("reports:report_detail", pk=report.pk)


@login_required
def report_detail(request, pk):
    report = access.get_report_for_user(request.user, pk)
    template = "reports/_report_status.html" if request.headers.get("HX-Request") else "reports/report_detail.html"
    return render(request, template, {"report": report, "params": json.dumps(report.params, ensure_ascii=False)})


@login_required
def report_download(request, pk):
    report = access.get_report_for_user(request.user, pk)
    if report.status != Report.Status.DONE or not report.file:
        raise Http404(_("报表尚未生成或已清理。"))
    content_types = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     "pdf": "application/pdf", "csv": "text/csv; charset=utf-8"}
    return uploads.file_response(report.file, filename=report.file.name.rsplit("/", 1)[-1],
                                 content_type=content_types[report.format])


@login_required
@require_POST
def report_retry(request, pk):
    report = access.get_report_for_user(request.user, pk)
    run_step(request, services.report_retry, _("已重新排队。"), report=report)
    return redirect("reports:report_detail", pk=report.pk)


