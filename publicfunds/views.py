"""Pages: for residents (phone first) the vote, the public accounts and the publicised
decision; for community staff the cycle, the collection, the items and the ledger; for
street and bureau staff the same pages read-only, and the override for the bureau.
Access first (404 out of scope, 403 visible but not allowed), then the form and the service."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from places.access import communities_for_user
from projects.models import Project
from residents.access import resident_profile
from web.forms import add_service_error
from web.views import paginate, run_step
from workflow.views import step_view

from . import access, selectors, services
from .forms import CollectionForm, EvidenceForm, FundForm, ItemForm, OverrideForm, PaperVoteForm, SpendingForm, VoteForm
from .models import HouseholdVote, Option, YearFund
from .workflows import ORDER, fund_machine


def _detail(fund) -> str:
    return reverse("publicfunds:fund_detail", args=[fund.pk])


def _require_keeper(user, fund) -> None:
    if not access.can_keep(user, fund.community_id):
        raise PermissionDenied(_("只有本社区工作人员可以办理。"))


def _form_page(request, form, title, back):
    return render(request, "publicfunds/form.html", {"form": form, "title": title, "back_url": back})


@login_required
def fund_list(request):
    funds = access.funds_for_user(request.user).select_related("community").order_by("-year", "community__name")
    keeper = [c for c in communities_for_user(request.user).filter(merged_into__isnull=True)[:20]
              if access.can_keep(request.user, c.pk)]
    return render(request, "publicfunds/fund_list.html", {"page": paginate(request, funds),
                                                          "keeper_communities": keeper})


@login_required
@require_http_methods(["GET", "POST"])
def fund_create(request):
    pk = request.GET.get("community") or request.POST.get("community")
    community = communities_for_user(request.user).select_related("street").filter(
        pk=pk if str(pk).isdigit() else None).first()
    if community is None:
        raise PermissionDenied(_("请从您负责的社区进入。"))
    if not (access.can_keep(request.user, community.pk) or access.can_override(request.user, community)):
        raise PermissionDenied(_("只有本社区工作人员或区（市）民政部门可以设立年度公共服务资金。"))
    form = FundForm(request.POST or None, initial={"year": timezone.localdate().year})
    preview = selectors.allocation_for(community, int(form["year"].value() or timezone.localdate().year)) \
        if str(form["year"].value() or "").isdigit() and 2000 <= int(form["year"].value()) <= 2100 else None
    if request.method == "POST" and form.is_valid():
        try:
            fund = services.fund_open(actor=request.user, community=community, year=form.cleaned_data["year"])
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已设立年度公共服务资金。"))
            return redirect(_detail(fund))
    return render(request, "publicfunds/form.html", {
        "form": form, "title": _("设立 %(c)s 年度公共服务资金") % {"c": community.name},
        "hidden": {"community": community.pk}, "note": preview.calculation if preview else "",
        "back_url": reverse("publicfunds:fund_list")})


@login_required
def fund_detail(request, pk):
    fund = access.get_fund_for_user(request.user, pk)
    keeper = access.can_keep(request.user, fund.community_id)
    collections = [(c, selectors.turnout(c), selectors.tallies(c))
                   for c in fund.collections.order_by("-opens_on")]
    steps = [(state, ORDER.index(state) < ORDER.index(fund.status), state == fund.status) for state in ORDER]
    upcoming = next((t for t in fund_machine.transitions if fund.status in t.sources), None)
    blocked = fund_machine.refusal(fund, request.user, upcoming) if upcoming and keeper else None
    return render(request, "publicfunds/fund_detail.html", {
        "fund": fund, "keeper": keeper, "collections": collections, "steps": steps,
        "items": fund.items.select_related("project", "option"),
        "evidence_fields": services.EVIDENCE.get(fund.status, ()), "upcoming": upcoming if keeper else None,
        "blocked": blocked,
        "can_override": access.can_override(request.user, fund.community)})


@login_required
@require_http_methods(["GET", "POST"])
def fund_evidence(request, pk):
    fund = access.get_fund_for_user(request.user, pk)
    _require_keeper(request.user, fund)
    fields = services.EVIDENCE.get(fund.status, ())
    if not fields:
        messages.info(request, _("当前环节“%(s)s”没有需要填写的材料。") % {"s": fund.get_status_display()})
        return redirect(_detail(fund))
    from councils.models import Meeting

    meetings = Meeting.objects.filter(council__community=fund.community_id).order_by("-starts_at")
    form = EvidenceForm(request.POST or None, instance=YearFund.objects.get(pk=fund.pk), fields=fields,
                        meetings=meetings)
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_save(actor=request.user, fund=fund, **{n: form.cleaned_data[n] for n in fields})
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect(_detail(fund))
    return _form_page(request, form, _("“%(s)s”环节材料") % {"s": fund.get_status_display()}, _detail(fund))


@login_required
@require_http_methods(["GET", "POST"])
def fund_override(request, pk):
    fund = access.get_fund_for_user(request.user, pk)
    if not access.can_override(request.user, fund.community):
        raise PermissionDenied(_("只有区（市）民政部门可以核定公共服务资金金额。"))
    form = OverrideForm(request.POST or None, initial={"amount": fund.amount})
    if request.method == "POST" and form.is_valid():
        try:
            services.fund_override(actor=request.user, fund=fund, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已核定金额。"))
            return redirect(_detail(fund))
    return render(request, "publicfunds/form.html", {"form": form, "title": _("核定公共服务资金金额"),
                                                     "note": fund.calculation, "back_url": _detail(fund)})


# Every step goes through services.fund_step: it refuses one taken out of order.
fund_step = step_view(
    fund_machine, lookup=access.get_fund_for_user, back_url=_detail, keyword="fund",
    services={name: partial(services.fund_step, name=name) for name in fund_machine.by_name},
    success=gettext_lazy("已进入下一环节。"), unknown=gettext_lazy("没有这个环节。"))


@login_required
def fund_accounts(request, pk):
    """三有一公开: the public accounts, for the community's residents too."""
    fund = access.get_fund_for_user(request.user, pk)
    return render(request, "publicfunds/accounts.html", {
        "fund": fund, "items": fund.items.all(),
        "spendings": fund.spendings.select_related("item").order_by("-spent_on", "-pk")})


@login_required
def fund_decision(request, pk):
    """The publicised decision (决议公示), phone first."""
    fund = access.get_fund_for_user(request.user, pk)
    return render(request, "publicfunds/decision.html", {"fund": fund})


# --- the collection ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def collection_create(request, pk):
    fund = access.get_fund_for_user(request.user, pk)
    _require_keeper(request.user, fund)
    form = CollectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.collection_open(actor=request.user, fund=fund, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已发起意见征集。"))
            return redirect(_detail(fund))
    return _form_page(request, form, _("发起意见征集（一户一票）"), _detail(fund))


@login_required
@require_http_methods(["GET", "POST"])
def collection_detail(request, pk):
    """The resident's vote page (phone first); staff see the turnout and tallies."""
    collection = access.get_collection_for_user(request.user, pk)
    resident = resident_profile(request.user)
    household_voted = resident is not None and resident.household_id and HouseholdVote.objects.filter(
        collection=collection, household_id=resident.household_id).exists()
    form = VoteForm(request.POST or None, collection=collection)
    if request.method == "POST" and form.is_valid():
        try:
            services.vote_cast(actor=request.user, collection=collection, option=form.cleaned_data["option"])
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("投票成功，感谢您家参与。"))
            return redirect(request.path)
    closed = collection.closed_at is not None
    return render(request, "publicfunds/collection.html", {
        "collection": collection, "fund": collection.fund, "form": form, "resident": resident,
        "household_voted": household_voted, "turnout": selectors.turnout(collection),
        "tallies": selectors.tallies(collection) if closed or access.can_keep(
            request.user, collection.fund.community_id) else None,
        "keeper": access.can_keep(request.user, collection.fund.community_id)})


@login_required
@require_http_methods(["GET", "POST"])
def collection_paper(request, pk):
    collection = access.get_collection_for_user(request.user, pk)
    _require_keeper(request.user, collection.fund)
    form = PaperVoteForm(request.POST or None, collection=collection)
    if request.method == "POST" and form.is_valid():
        try:
            services.vote_enter_paper(actor=request.user, collection=collection,
                                      household_number=form.cleaned_data["household_number"],
                                      option=form.cleaned_data["option"])
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已录入户号 %(n)s 的意见表。") % {"n": form.cleaned_data["household_number"]})
            return redirect(request.path)
    return _form_page(request, form, _("录入纸质意见表"), reverse("publicfunds:collection_detail", args=[pk]))


@login_required
@require_POST
def collection_close(request, pk):
    collection = access.get_collection_for_user(request.user, pk)
    _require_keeper(request.user, collection.fund)
    run_step(request, services.collection_close, _("意见征集已结束。"), collection=collection)
    return redirect(reverse("publicfunds:collection_detail", args=[pk]))


# --- the ledger ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request, pk):
    fund = access.get_fund_for_user(request.user, pk)
    _require_keeper(request.user, fund)
    form = ItemForm(request.POST or None, options=Option.objects.filter(collection__fund=fund),
                    projects=Project.objects.filter(community=fund.community_id).order_by("-pk"))
    if request.method == "POST" and form.is_valid():
        try:
            services.item_add(actor=request.user, fund=fund, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已登记资金项目。"))
            return redirect(_detail(fund))
    return _form_page(request, form, _("登记资金项目"), _detail(fund))


@login_required
@require_http_methods(["GET", "POST"])
def spending_create(request, pk):
    item = access.get_item_for_user(request.user, pk)
    _require_keeper(request.user, item.fund)
    form = SpendingForm(request.POST or None, initial={"spent_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.spend(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已记账。"))
            return redirect(reverse("publicfunds:fund_accounts", args=[item.fund_id]))
    return _form_page(request, form, _("记账：%(t)s") % {"t": item.title}, _detail(item.fund))
