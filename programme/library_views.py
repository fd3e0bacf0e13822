"""Pages of the learning library: courses with materials and attendance, cases and
action-research reports, and the permission-checked downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from projects.access import projects_for_user
from web.forms import add_service_error
from web.uploads import file_response
from web.views import paginate

from . import library, services
from .forms import AttendanceForm, CaseForm, CaseSearchForm, CourseForm, MaterialForm


def download(record):
    """Library files go out like every other stored file: typed at upload, never
    sniffed or scripted, always an attachment (library files are never inline images)."""
    return file_response(record.file, filename=record.name, reencoded=False,
                         content_type=record.content_type or "application/octet-stream")


@login_required
def library_home(request):
    form = CaseSearchForm(request.GET or None)
    cases = library.cases_for_user(request.user)
    if form.is_valid():
        cases = library.search_cases(cases, **form.cleaned_data)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "programme/library.html", {
        "form": form,
        "page": paginate(request, cases),
        "query": query.urlencode(),
        "courses": library.courses_for_user(request.user)[:20],
        "can_keep": library.can_keep_library(request.user),
    })


@login_required
def course_detail(request, pk):
    course = library.get_course_for_user(request.user, pk)
    can_keep = library.can_keep_library(request.user)
    return render(request, "programme/course_detail.html", {
        "course": course,
        "materials": course.materials.all(),
        "attendees": course.attendees.all() if library.can_see_attendance(request.user) else None,
        "can_keep": can_keep,
        "material_form": MaterialForm() if can_keep else None,
        "attendance_form": AttendanceForm() if can_keep else None,
    })


@login_required
@require_http_methods(["GET", "POST"])
def course_create(request):
    library.require_library_keeper(request.user)
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_save(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("研修班已登记。"))
            return redirect("programme:course_detail", pk=course.pk)
    return render(request, "programme/form.html", {"form": form, "title": _("登记研修班"), "multipart": False})


@login_required
@require_POST
def course_material_add(request, pk):
    course = library.get_course_for_edit(request.user, pk)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.course_material_add(actor=request.user, course=course, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("资料已上传。"))
    else:
        messages.error(request, _("请选择要上传的文件。"))
    return redirect("programme:course_detail", pk=course.pk)


@login_required
@require_POST
def course_attendance_add(request, pk):
    course = library.get_course_for_edit(request.user, pk)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        try:
            added = services.course_attendance_add(actor=request.user, course=course, text=form.cleaned_data["lines"])
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已登记 %(n)s 人。") % {"n": added})
            return redirect("programme:course_detail", pk=course.pk)
    return render(request, "programme/course_detail.html", {
        "course": course, "materials": course.materials.all(), "attendees": course.attendees.all(),
        "can_keep": True, "material_form": MaterialForm(), "attendance_form": form,
    }, status=400)


@login_required
def material_download(request, pk, material_pk):
    return download(library.get_material_for_user(request.user, pk, material_pk))


@login_required
def case_detail(request, pk):
    case = library.get_case_for_user(request.user, pk)
    visible = projects_for_user(request.user).filter(pk__in=case.projects.values("pk"))
    return render(request, "programme/case_detail.html", {"case": case, "projects": visible})


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request):
    library.require_library_keeper(request.user)
    form = CaseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_save(actor=request.user, kind=data["kind"], title=data["title"],
                                      summary=data["summary"], tags=data["tags"], communities=data["communities"],
                                      upload=data.get("upload"))
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("案例已登记。"))
            return redirect("programme:case_detail", pk=case.pk)
    return render(request, "programme/form.html", {"form": form, "title": _("登记案例/行动研究报告"),
                                                   "multipart": True})


@login_required
def case_download(request, pk):
    case = library.get_case_for_user(request.user, pk)
    if not case.file:
        raise Http404(_("该案例没有附件。"))
    return download(case)
