"""Pages for residents (phone first), council members, community and street staff.
Access first (404 out of scope), then the form and the service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from places.access import communities_for_user
from projects.models import Project
from residents.access import resident_profile
from residents.models import Resident
from web.forms import add_service_error
from web.views import paginate, run_step
from workflow.views import ignoring_reason, step_view

from . import access, selectors, services
from .forms import (
    CouncilForm,
    ExecutionForm,
    MergeForm,
    OfficersForm,
    ProposalForm,
    ReplaceForm,
    SeatForm,
)
from .models import Council, Proposal, Seat, Vote
from .workflows import council_machine, proposal_machine


def _back(obj):
    names = {Council: "council_detail", Proposal: "proposal_detail", Vote: "vote_detail"}
    return reverse(f"councils:{names.get(type(obj), 'meeting_detail')}", args=[obj.pk])


@login_required
def council_list(request):
    councils = access.councils_for_user(request.user).select_related("community", "group").annotate(
        members=Count("seats", distinct=True))
    keeper = [c for c in communities_for_user(request.user).filter(merged_into__isnull=True)[:20]
              if access.can_keep_councils(request.user, c.pk)]
    return render(request, "councils/council_list.html", {
        "page": paginate(request, councils.order_by("community__name", "kind", "-term_start")),
        "keeper_communities": keeper})


@login_required
@require_http_methods(["GET", "POST"])
def council_create(request):
    pk = request.GET.get("community") or request.POST.get("community")
    community = communities_for_user(request.user).filter(pk=pk if str(pk).isdigit() else None).first()
    if community is None:
        raise Http404(_("请从社区的议事会列表进入。"))
    if not access.can_keep_councils(request.user, community.pk):
        raise PermissionDenied(_("只有本社区工作人员可以组建议事会。"))
    form = CouncilForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        try:
            council = services.council_create(actor=request.user, community=community, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            return redirect("councils:council_detail", pk=council.pk)
    return render(request, "councils/form.html", {"form": form, "title": _("组建议事会"), "hidden": {
        "community": community.pk}}, status=400 if form.errors else 200)


def _candidates(council):
    return Resident.objects.filter(community_id=council.community_id).select_related("user", "group").order_by(
        "group__name", "pk")


@login_required
def council_detail(request, pk):
    council = access.get_council_for_user(request.user, pk)
    seats = list(selectors.current_seats(council).select_related("resident__user", "resident__group"))
    keeper = access.can_keep_councils(request.user, council.community_id)
    member_ids = [s.resident_id for s in seats]
    context = {
        "council": council, "seats": seats, "keeper": keeper, "problems": selectors.seat_rule_problems(council),
        "rules": selectors.rules_for(council.community),
        "history": Seat.objects.filter(council=council, ended_on__isnull=False).select_related(
            "resident__user", "replaced_by__resident__user"),
        "proposals": council.proposals.order_by("-created_at")[:20],
        "meetings": council.meetings.order_by("-starts_at")[:10],
        "can_propose": bool(_routes(request.user, council)),
        "can_call": access.can_run_meetings(request.user, council) and council.status == Council.Status.SEATED,
    }
    if keeper:
        context["seat_form"] = SeatForm(residents=_candidates(council).exclude(pk__in=member_ids))
        context["officers_form"] = OfficersForm(
            residents=_candidates(council).filter(pk__in=member_ids),
            initial={"chair": council.chair_id, "vice_chair": council.vice_chair_id})
    return render(request, "councils/council_detail.html", context)


@login_required
@require_POST
def seat_add(request, pk):
    council = access.get_council_for_user(request.user, pk)
    form = SeatForm(request.POST, residents=_candidates(council))
    if not access.can_keep_councils(request.user, council.community_id):
        raise PermissionDenied(_("只有本社区工作人员可以调整议事会成员。"))
    if form.is_valid():
        run_step(request, services.seat_add, _("已增加成员。"), council=council, **form.cleaned_data)
    else:
        messages.error(request, _("请选择居民。"))
    return redirect("councils:council_detail", pk=council.pk)


@login_required
@require_POST
def officers_set(request, pk):
    council = access.get_council_for_user(request.user, pk)
    if not access.can_keep_councils(request.user, council.community_id):
        raise PermissionDenied(_("只有本社区工作人员可以调整议事长。"))
    form = OfficersForm(request.POST, residents=_candidates(council))
    if form.is_valid():
        run_step(request, services.council_officers_set, _("已保存议事长、副议事长。"), council=council,
                 **form.cleaned_data)
    else:
        messages.error(request, _("请选择议事长。"))
    return redirect("councils:council_detail", pk=council.pk)


council_step = step_view(
    council_machine, lookup=access.get_council_for_user, names=("seat", "end"), back_url=_back,
    summary=lambda council: [(_("现任成员"), selectors.current_seats(council).count())])


@login_required
@require_http_methods(["GET", "POST"])
def seat_replace(request, pk):
    try:
        seat = Seat.objects.select_related("council", "resident__user").get(
            pk=pk, council__in=access.councils_for_user(request.user))
    except (Seat.DoesNotExist, ValueError):
        raise Http404(_("未找到该席位。")) from None
    if not access.can_keep_councils(request.user, seat.council.community_id):
        raise PermissionDenied(_("只有本社区工作人员可以办理替补。"))
    form = ReplaceForm(request.POST or None, residents=_candidates(seat.council))
    if request.method == "POST" and form.is_valid():
        try:
            services.seat_replace(actor=request.user, seat=seat, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已办理替补。"))
            return redirect("councils:council_detail", pk=seat.council_id)
    return render(request, "councils/form.html", {"form": form, "title": _("替补 %(n)s") % {
        "n": seat.resident.user.real_name}}, status=400 if form.errors else 200)


# --- proposals ---------------------------------------------------------------------------


def _routes(user, council) -> list[str]:
    if council.status != Council.Status.SEATED or council.kind != Council.Kind.COMMUNITY:
        return []
    routes = []
    if access.is_party(user, council.community_id):
        routes.append(Proposal.Route.PARTY)
    if access.is_committee(user, council.community_id):
        routes.append(Proposal.Route.COMMITTEE)
    if access.current_seat(user, council):
        routes.append(Proposal.Route.MEMBER)
    resident = resident_profile(user)
    if resident is not None and resident.community_id == council.community_id:
        routes.append(Proposal.Route.RESIDENTS)
    return routes


@login_required
def proposal_list(request):
    proposals = access.proposals_for_user(request.user).select_related("council__community").annotate(
        signers=Count("cosignatures"))
    status = request.GET.get("status", "")
    if status in Proposal.Status.values:
        proposals = proposals.filter(status=status)
    return render(request, "councils/proposal_list.html", {
        "page": paginate(request, proposals.order_by("-created_at")), "status": status,
        "statuses": Proposal.Status.choices})


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request, pk):
    council = access.get_council_for_user(request.user, pk)
    routes = _routes(request.user, council)
    if not routes:
        raise PermissionDenied(_("您不能向该议事会提出议题。"))
    form = ProposalForm(request.POST or None, routes=routes)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_raise(actor=request.user, council=council, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("议题已提出。"))
            return redirect("councils:proposal_detail", pk=proposal.pk)
    return render(request, "councils/form.html", {"form": form, "title": _("提出议题")},
                  status=400 if form.errors else 200)


@login_required
def proposal_detail(request, pk):
    proposal = access.get_proposal_for_user(request.user, pk)
    resident = resident_profile(request.user)
    signers = proposal.cosignatures.count()
    context = {
        "proposal": proposal, "signers": signers,
        "threshold": selectors.rules_for(proposal.council.community).cosign_threshold,
        "signed": resident is not None and proposal.cosignatures.filter(resident=resident).exists(),
        "can_sign": (proposal.status == Proposal.Status.COLLECTING and resident is not None
                     and resident.community_id == proposal.council.community_id),
        "votes": proposal.votes.select_related("meeting"),
        "executions": proposal.executions.select_related("project", "rectification"),
        "can_execute": (proposal.status == Proposal.Status.PUBLISHED and proposal.outcome == Proposal.Outcome.PASSED
                        and (access.can_keep_councils(request.user, proposal.council.community_id)
                             or access.is_committee(request.user, proposal.council.community_id))),
        "see_reason": proposal.status in (Proposal.Status.REJECTED, Proposal.Status.MERGED),
    }
    return render(request, "councils/proposal_detail.html", context)


@login_required
@require_POST
def proposal_cosign(request, pk):
    proposal = access.get_proposal_for_user(request.user, pk)
    try:
        count = services.proposal_cosign(actor=request.user, proposal=proposal)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已联名，现有 %(n)s 人联名。") % {"n": count})
    return redirect("councils:proposal_detail", pk=proposal.pk)


def _proposal_merge(request, proposal):
    transition = proposal_machine.by_name["merge"]
    if not transition.who(request.user, proposal):
        raise PermissionDenied(transition.refusal)
    others = Proposal.objects.filter(council=proposal.council, status__in=[
        Proposal.Status.REVIEW, Proposal.Status.ACCEPTED]).exclude(pk=proposal.pk)
    form = MergeForm(request.POST or None, proposals=others)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_merge(actor=request.user, proposal=proposal, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已合并。"))
            return redirect("councils:proposal_detail", pk=proposal.pk)
    return render(request, "councils/form.html", {"form": form, "title": _("合并议题：%(t)s") % {
        "t": proposal.title}}, status=400 if form.errors else 200)


proposal_step = step_view(
    proposal_machine, lookup=access.get_proposal_for_user, names=("accept", "reject", "publish", "merge"),
    back_url=_back, keyword="proposal", pages={"merge": _proposal_merge},
    services={"accept": services.proposal_accept, "reject": services.proposal_reject,
              "publish": ignoring_reason(services.proposal_publish)},
    summary=lambda proposal: [(_("议题"), proposal.title), (_("提出方式"), proposal.get_route_display())])


@login_required
@require_http_methods(["GET", "POST"])
def execution_add(request, pk):
    proposal = access.get_proposal_for_user(request.user, pk)
    projects = Project.objects.filter(community_id=proposal.council.community_id)
    form = ExecutionForm(request.POST or None, projects=projects)
    if request.method == "POST" and form.is_valid():
        try:
            services.execution_add(actor=request.user, proposal=proposal, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            return redirect("councils:proposal_detail", pk=proposal.pk)
    elif request.method == "GET" and not (access.can_keep_councils(request.user, proposal.council.community_id)
                                          or access.is_committee(request.user, proposal.council.community_id)):
        raise PermissionDenied(_("只有居委会、党组织或社区工作人员可以登记执行事项。"))
    return render(request, "councils/form.html", {"form": form, "title": _("登记执行事项")},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def execution_complete(request, pk):
    item = access.get_execution_for_user(request.user, pk)
    try:
        services.execution_complete(actor=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("councils:proposal_detail", pk=item.proposal_id)
