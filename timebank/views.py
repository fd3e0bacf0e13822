"""Pages: phone first for residents and merchants, plus the community staff's dashboard.
Thin views: access → form → service → message → redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from organizations.models import Organization
from places.access import communities_for_user
from web.forms import add_service_error
from web.views import paginate
from workflow.views import step_view

from . import access, ledger, selectors, services
from .forms import (
    CodeForm,
    NeedForm,
    RedemptionDayForm,
    ResourceForm,
)
from .models import Need, Partner, RedemptionDay, Task
from .workflows import need_machine


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


need_step = step_view(need_machine, lookup=access.get_need_for_user,
                      back_url=lambda need: reverse("timebank:need_detail", args=[need.pk]))


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
