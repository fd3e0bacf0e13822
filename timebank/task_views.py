"""Pages for time-bank tasks: list, create, respond, the task's QR code, check-in by scanning
it and the organiser's confirmation. Thin views: access → form → service → message → redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from organizations.models import SelfOrganization
from residents.models import Resident
from web.forms import add_service_error
from web.qr import qr_svg_response
from web.views import paginate, run_step
from workflow.views import step_view

from . import access, selectors, services
from .forms import (
    CheckinAddForm,
    RespondForm,
    TaskForm,
)
from .models import CheckIn, Need, Partner, Task
from .views import _form_page
from .workflows import task_machine


@login_required
def task_list(request):
    tasks = access.tasks_for_user(request.user).select_related("community", "publisher_organization")
    status = request.GET.get("status")
    if status in Task.Status.values:
        tasks = tasks.filter(status=status)
    return render(request, "timebank/task_list.html", {"page": paginate(request, tasks), "status": status,
                                                       "statuses": Task.Status.choices})


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request):
    user = request.user
    communities = access.keepable_communities(user)
    if not communities.exists():
        ids = {p.community_id for p in Partner.objects.filter(organization_id__in=access.merchant_org_ids(user),
                                                              is_active=True)}
        communities = access.timebank_communities_for_user(user).filter(pk__in=ids)
    if not communities.exists():
        raise PermissionDenied(_("只有社区工作人员、合作商家可以发布任务。"))
    needs = Need.objects.filter(community__in=communities, status__in=[Need.Status.OPEN, Need.Status.MATCHED])
    form = TaskForm(request.POST or None, communities=communities, needs=needs,
                    teams=SelfOrganization.objects.filter(community__in=communities),
                    initial={"needs": request.GET.getlist("need")})
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_create(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("任务已发布。"))
            return redirect("timebank:task_detail", pk=task.pk)
    return _form_page(request, form, _("发布任务"))


@login_required
def task_detail(request, pk):
    user = request.user
    task = access.get_task_for_user(user, pk)
    can_run = access.can_run_task(user, task)
    context = {"task": task, "can_run": can_run, "can_respond": access.can_respond(user, task),
               "responses": list(selectors.responses_for_task(task)), "needs": list(task.needs.all()),
               "respond_form": RespondForm(), "actions": task_machine.allowed(task, user)}
    if can_run:
        context["checkins"] = list(task.checkins.select_related("resident__user"))
        context["checkin_url"] = request.build_absolute_uri(
            reverse("timebank:checkin", args=[task.pk, services.checkin_token(task)]))
        context["add_form"] = CheckinAddForm(residents=_volunteers(task))
    resident = access.resident_of(user)
    if resident is not None:
        context["my_checkin"] = task.checkins.filter(resident=resident).first()
    return render(request, "timebank/task_detail.html", context)


def _volunteers(task):
    return (Resident.objects.filter(community_id=task.community_id).exclude(checkins__task=task)
            .select_related("user").order_by("user__real_name"))


task_step = step_view(task_machine, lookup=access.get_task_for_user,
                      back_url=lambda task: reverse("timebank:task_detail", args=[task.pk]))


@login_required
@require_POST
def task_respond(request, pk):
    task = access.get_task_for_user(request.user, pk)
    if not access.can_respond(request.user, task):
        raise PermissionDenied(_("只有本社区时间银行的合作商家和组织可以响应任务。"))
    form = RespondForm(request.POST)
    if form.is_valid():
        run_step(request, services.task_respond, _("已响应，发布方会收到通知。"), task=task, **form.cleaned_data)
    else:
        messages.error(request, _("请检查填写的内容。"))
    return redirect("timebank:task_detail", pk=task.pk)


@login_required
def task_qr(request, pk):
    """The QR code shown at the place: an SVG of the signed, expiring check-in URL."""
    task = access.get_task_for_user(request.user, pk)
    if not access.can_run_task(request.user, task):
        raise PermissionDenied(_("签到二维码由发布方和社区工作人员展示。"))
    url = request.build_absolute_uri(reverse("timebank:checkin", args=[task.pk, services.checkin_token(task)]))
    return qr_svg_response(url, title=task.title)


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request, pk, token):
    """Where the QR code leads: the volunteer confirms on the phone."""
    task = access.get_task_for_user(request.user, pk)
    error = None
    try:
        if services.task_for_token(token) != task.pk:
            raise ValidationError(_("签到二维码与任务不符。"))
    except ValidationError as exc:
        error = exc.messages[0]
    if request.method == "POST" and error is None:
        try:
            services.checkin_scan(task=task, actor=request.user, token=token)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("签到成功！组织方确认后积分入账。"))
            return redirect("timebank:task_detail", pk=task.pk)
    if error is None and not access.can_check_in(request.user, task):
        raise PermissionDenied(_("只有本社区登记的居民可以签到；请先在社区登记。"))
    return render(request, "timebank/checkin.html", {"task": task, "error": error}, status=400 if error else 200)


@login_required
@require_POST
def checkin_confirm(request, pk, checkin_pk):
    task = access.get_task_for_user(request.user, pk)
    if not access.can_run_task(request.user, task):
        raise PermissionDenied(_("只有发布方和社区工作人员可以确认签到。"))
    try:
        item = task.checkins.get(pk=checkin_pk)
    except CheckIn.DoesNotExist:
        raise Http404 from None
    run_step(request, services.checkin_confirm, _("已确认，积分已入账。"), checkin=item)
    return redirect("timebank:task_detail", pk=task.pk)


@login_required
@require_POST
def checkin_add(request, pk):
    task = access.get_task_for_user(request.user, pk)
    if not access.can_run_task(request.user, task):
        raise PermissionDenied(_("只有发布方和社区工作人员可以登记签到。"))
    form = CheckinAddForm(request.POST, residents=_volunteers(task))
    if form.is_valid():
        run_step(request, services.checkin_add_from_list, _("已签到并入账。"), task=task,
                 resident=form.cleaned_data["resident"])
    else:
        messages.error(request, _("请选择志愿者。"))
    return redirect("timebank:task_detail", pk=task.pk)
