"""Pages: phone first for residents and merchants, plus the community staff's dashboard.
Thin views: access → form → service → message → redirect."""

import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from organizations.access import organization_ids_for_member
from organizations.models import Organization, SelfOrganization
from places.access import communities_for_user
from residents.models import Resident
from web.forms import add_service_error
from web.views import paginate, run_step
from workflow.views import transition_page

from . import access, ledger, selectors, services
from .forms import (
    CheckinAddForm,
    CodeForm,
    NeedForm,
    RedemptionDayForm,
    ResourceForm,
    RespondForm,
    RewardForm,
    TaskForm,
)
from .models import CheckIn, Need, Partner, RedemptionDay, Task
from .workflows import need_machine, task_machine


def _form_page(request, form, title, subtitle="", status=200):
    return render(request, "projects/simple_form.html", {"form": form, "title": title, "subtitle": subtitle},
                  status=400 if form.errors else status)


@login_required
def home(request):
    """The time bank on the phone: a resident's points and history, a merchant's
    counter, the staff's way to their communities' dashboards."""
    user = request.user
    resident = access.resident_of(user)
    context = {"resident": resident}
    communities = access.timebank_communities_for_user(user)
    if resident is not None:
        account = ledger.resident_account(resident)
        context.update(account=account, history=[(e, selectors.signed_amount(e, account))
                                                 for e in selectors.history_for_account(account)[:30]],
                       redemptions=list(access.redemptions_for_user(user).filter(resident=resident)
                                        .select_related("reward__partner__organization")[:10]))
    org_ids = access.merchant_org_ids(user)
    if org_ids:
        context["partners"] = list(Partner.objects.filter(organization_id__in=org_ids, is_active=True)
                                   .select_related("organization", "community"))
        context["code_form"] = CodeForm()
    # Place staff: the communities in their scope that run a time bank (no query per row).
    staff = list(communities_for_user(user).filter(Q(points_rule__isnull=False) | Q(timebank_partners__isnull=False))
                 .distinct().order_by("name")[:20]) if access.scope_for(user).has_place else []
    context.update(
        staff_communities=staff,
        tasks=list(access.tasks_for_user(user).filter(status__in=[Task.Status.PUBLISHED, Task.Status.IN_PROGRESS])
                   .select_related("community").order_by("starts_at")[:10]),
        days=list(RedemptionDay.objects.filter(community__in=communities, held_on__gte=_today())
                  .select_related("community").order_by("held_on")[:3]),
    )
    return render(request, "timebank/home.html", context)


def _today():
    return timezone.localdate()


# --- needs ------------------------------------------------------------------------------

@login_required
def need_list(request):
    needs = selectors.match_counts(access.needs_for_user(request.user).select_related("community", "courtyard"))
    status = request.GET.get("status")
    if status in Need.Status.values:
        needs = needs.filter(status=status)
    return render(request, "timebank/need_list.html", {
        "page": paginate(request, needs.order_by("-created_at", "-pk")), "status": status,
        "statuses": Need.Status.choices})


@login_required
@require_http_methods(["GET", "POST"])
def need_create(request):
    user = request.user
    resident = access.resident_of(user)
    communities = access.keepable_communities(user)
    staff = communities.exists()
    if not staff:
        if resident is None:
            raise PermissionDenied(_("只有本社区居民和社区工作人员可以提出需求。"))
        communities = access.timebank_communities_for_user(user).filter(pk=resident.community_id)
    form = NeedForm(request.POST or None, communities=communities, staff=staff)
    if request.method == "POST" and form.is_valid():
        try:
            need = services.need_create(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("需求已登记，社区会尽快对接。"))
            return redirect("timebank:need_detail", pk=need.pk)
    return _form_page(request, form, _("登记需求") if staff else _("我有需求"))


@login_required
def need_detail(request, pk):
    need = access.get_need_for_user(request.user, pk)
    resources = access.resources_for_user(request.user)
    return render(request, "timebank/need_detail.html", {
        "need": need, "matches": list(selectors.matches_for_need(need, resources)[:20]),
        "tasks": list(need.tasks.order_by("-starts_at")),
        "can_publish": access.can_keep(request.user, need.community),
        "actions": need_machine.allowed(need, request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def need_step(request, pk, name):
    need = access.get_need_for_user(request.user, pk)
    if name not in need_machine.by_name:
        raise Http404
    return transition_page(request, need, name, success=_("已办理。"),
                           back_url=reverse("timebank:need_detail", args=[need.pk]),
                           service=lambda actor, reason: services.need_step(need=need, actor=actor, name=name,
                                                                            reason=reason))


# --- resources ----------------------------------------------------------------------------

@login_required
def resource_list(request):
    resources = access.resources_for_user(request.user).select_related("community", "courtyard", "organization",
                                                                        "resident__user")
    return render(request, "timebank/resource_list.html", {"page": paginate(request, resources)})


@login_required
@require_http_methods(["GET", "POST"])
def resource_create(request):
    user = request.user
    communities = access.timebank_communities_for_user(user).filter(merged_into__isnull=True)
    if not communities.exists():
        raise PermissionDenied(_("您不在任何社区的时间银行中。"))
    keep = access.keepable_communities(user)
    # The user's own partner merchants; community staff may record any partner's offer.
    partner_orgs = Partner.objects.filter(community__in=keep).values_list("organization_id", flat=True)
    organizations = Organization.objects.filter(Q(pk__in=access.merchant_org_ids(user)) | Q(pk__in=partner_orgs))
    form = ResourceForm(request.POST or None, communities=communities, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        resident = None if data["organization"] else access.resident_of(user)
        if data["organization"] is None and resident is None:
            form.add_error("organization", _("请选择提供资源的组织或商家。"))
        else:
            try:
                services.resource_create(actor=user, resident=resident, **data)
            except (ValidationError, PermissionDenied) as exc:
                add_service_error(form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
            else:
                messages.success(request, _("资源已登记。"))
                return redirect("timebank:resource_list")
    return _form_page(request, form, _("登记资源"))


# --- tasks ----------------------------------------------------------------------------------

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


@login_required
@require_http_methods(["GET", "POST"])
def task_step(request, pk, name):
    task = access.get_task_for_user(request.user, pk)
    if name not in task_machine.by_name:
        raise Http404
    return transition_page(request, task, name, success=_("已办理。"),
                           back_url=reverse("timebank:task_detail", args=[task.pk]),
                           service=lambda actor, reason: services.task_step(task=task, actor=actor, name=name,
                                                                            reason=reason))


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
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=6, border=2, title=task.title)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml; charset=utf-8",
                        headers={"Cache-Control": "no-store"})


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


# --- merchants and redemptions ------------------------------------------------------------------

@login_required
def reward_list(request):
    rewards = (access.rewards_for_user(request.user).filter(is_active=True, partner__is_active=True)
               .select_related("partner__organization", "partner__community"))
    resident = access.resident_of(request.user)
    balance = ledger.resident_account(resident).balance if resident else None
    return render(request, "timebank/reward_list.html", {"rewards": list(rewards[:200]), "balance": balance,
                                                         "resident": resident})


@login_required
@require_POST
def reward_redeem(request, pk):
    reward = access.get_reward_for_user(request.user, pk)
    try:
        redemption = services.redemption_request(actor=request.user, reward=reward)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("timebank:reward_list")
    return redirect("timebank:redemption_detail", pk=redemption.pk)


@login_required
@require_http_methods(["GET", "POST"])
def reward_create(request, partner_pk):
    partner = _partner_for_user(request.user, partner_pk)
    if partner.organization_id not in organization_ids_for_member(request.user) and \
            not access.can_keep(request.user, partner.community):
        raise PermissionDenied(_("只有该商家和社区工作人员可以上架兑换项目。"))
    form = RewardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reward_create(actor=request.user, partner=partner, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已上架。"))
            return redirect("timebank:merchant_statement", partner_pk=partner.pk)
    return _form_page(request, form, _("上架兑换项目"), subtitle=partner.organization.name)


@login_required
def redemption_detail(request, pk):
    redemption = access.get_redemption_for_user(request.user, pk)
    return render(request, "timebank/redemption_detail.html", {
        "redemption": redemption, "is_owner": redemption.resident.user_id == request.user.pk})


@login_required
@require_POST
def redemption_cancel(request, pk):
    redemption = access.get_redemption_for_user(request.user, pk)
    if not access.can_cancel_redemption(request.user, redemption):
        raise PermissionDenied(_("只有申请的居民和该商家可以取消。"))
    run_step(request, services.redemption_cancel, _("已取消。"), redemption=redemption)
    return redirect("timebank:home")


@login_required
@require_http_methods(["GET", "POST"])
def redemption_confirm(request):
    """The merchant's counter: type the code the resident shows."""
    if not access.merchant_org_ids(request.user):
        raise PermissionDenied(_("只有合作商家的工作人员可以核销。"))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            redemption = services.redemption_confirm(actor=request.user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("核销成功：%(r)s，%(n)s 分。") % {"r": redemption.reward.name,
                                                                        "n": redemption.points})
            return redirect("timebank:redemption_confirm")
    return _form_page(request, form, _("核销兑换"), subtitle=_("输入居民手机上显示的 8 位核销码"))


def _partner_for_user(user, pk) -> Partner:
    try:
        partner = Partner.objects.select_related("organization", "community").get(pk=pk)
    except (Partner.DoesNotExist, ValueError, TypeError):
        raise Http404(_("未找到该商家。")) from None
    if partner.organization_id in organization_ids_for_member(user):
        return partner
    if not access.timebank_communities_for_user(user).filter(pk=partner.community_id).exists():
        raise Http404(_("未找到该商家。"))
    if not access.is_staff_reader(user, partner.community_id):
        raise PermissionDenied(_("商家对账单仅供该商家和社区工作人员查看。"))
    return partner


@login_required
def merchant_statement(request, partner_pk):
    partner = _partner_for_user(request.user, partner_pk)
    account = ledger.merchant_account(partner.organization, partner.community)
    return render(request, "timebank/merchant_statement.html", {
        "partner": partner, "account": account, "page": paginate(request, selectors.merchant_statement(partner)),
        "rewards": list(partner.rewards.all()), "can_keep": access.can_keep(request.user, partner.community),
        "is_merchant": partner.organization_id in organization_ids_for_member(request.user)})


@login_required
@require_POST
def partner_leave(request, partner_pk):
    partner = _partner_for_user(request.user, partner_pk)
    if not access.can_keep(request.user, partner.community):
        raise PermissionDenied(_("只有社区工作人员可以办理商家退出。"))
    run_step(request, services.partner_leave, _("商家已退出，历史记录保留。"), partner=partner)
    return redirect("timebank:merchant_statement", partner_pk=partner.pk)


# --- the community's dashboard ------------------------------------------------------------------

@login_required
def dashboard(request, pk):
    community = access.get_community_for_dashboard(request.user, pk)
    ids = [community.pk]
    figures = selectors.dashboard(ids)
    chart = {"labels": figures["flows"]["labels"], "issued": figures["flows"]["issued"],
             "redeemed": figures["flows"]["redeemed"], "issued_label": _("发放积分"), "redeemed_label": _("兑换积分")}
    return render(request, "timebank/dashboard.html", {
        "community": community, "f": figures, "chart": chart, "teams": list(selectors.teams_with_hours(ids)),
        "can_keep": access.can_keep(request.user, community),
        "days": list(RedemptionDay.objects.filter(community=community).order_by("-held_on")[:5])})


@login_required
@require_http_methods(["GET", "POST"])
def redemption_day_create(request, pk):
    community = access.get_community_for_dashboard(request.user, pk)
    if not access.can_keep(request.user, community):
        raise PermissionDenied(_("只有社区工作人员可以发布积分兑换日。"))
    form = RedemptionDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.redemption_day_announce(actor=request.user, community=community, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("兑换日已发布，已通知本社区居民。"))
            return redirect("timebank:dashboard", pk=community.pk)
    return _form_page(request, form, _("发布积分兑换日"), subtitle=community.name)
