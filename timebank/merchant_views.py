"""Pages for rewards, redemptions and merchants: redeeming points, the merchant's
confirmation and statement, and a merchant leaving. Thin views: access → form → service →
message → redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from organizations.access import organization_ids_for_member
from web.forms import add_service_error
from web.views import paginate, run_step
from workflow.views import step_view

from . import access, ledger, selectors, services
from .forms import (
    CodeForm,
    RewardForm,
)
from .models import Partner
from .views import _form_page
from .workflows import redemption_machine


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


# The resident who asked, or the merchant, cancels at once (a button, no confirm page).
redemption_cancel = step_view(
    redemption_machine, name="cancel", confirm=False, lookup=access.get_redemption_for_user,
    success=gettext_lazy("已取消。"), back_url=lambda redemption: reverse("timebank:home"))


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
