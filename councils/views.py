"""Pages for residents (phone first), council members, community and street staff.
Access first (404 out of scope), then the form and the service."""

import segno
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
from workflow.views import transition_page

from . import access, selectors, services
from .forms import (
    BallotForm,
    CouncilForm,
    CountsForm,
    ExecutionForm,
    MeetingForm,
    MergeForm,
    OfficersForm,
    ProposalForm,
    ReplaceForm,
    SeatForm,
    VoteForm,
)
from .models import Council, Proposal, Seat, Vote


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


@login_required
@require_http_methods(["GET", "POST"])
def council_step(request, pk, name):
    council = access.get_council_for_user(request.user, pk)
    if name not in ("seat", "end"):
        raise Http404
    from .workflows import council_machine

    def step(*, actor, reason):
        return council_machine.fire(council, name, actor=actor, reason=reason)

    return transition_page(request, council, name, service=step, success=_("已办理。"), back_url=_back(council),
                           summary=[(_("现任成员"), selectors.current_seats(council).count())])


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


@login_required
@require_http_methods(["GET", "POST"])
def proposal_step(request, pk, name):
    proposal = access.get_proposal_for_user(request.user, pk)
    steps = {"accept": services.proposal_accept, "reject": services.proposal_reject,
             "publish": lambda *, actor, proposal, reason: services.proposal_publish(actor=actor, proposal=proposal)}
    if name == "merge":
        return _proposal_merge(request, proposal)
    if name not in steps:
        raise Http404
    return transition_page(request, proposal, name,
                           service=lambda *, actor, reason: steps[name](actor=actor, proposal=proposal, reason=reason),
                           success=_("已办理。"), back_url=_back(proposal),
                           summary=[(_("议题"), proposal.title), (_("提出方式"), proposal.get_route_display())])


def _proposal_merge(request, proposal):
    from .workflows import proposal_machine

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


# --- meetings ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request, pk):
    council = access.get_council_for_user(request.user, pk)
    if not access.can_run_meetings(request.user, council):
        raise PermissionDenied(_("只有议事长、副议事长或社区工作人员可以召集会议。"))
    form = MeetingForm(request.POST or None, proposals=council.proposals.filter(status=Proposal.Status.ACCEPTED))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["proposals"] = list(data["proposals"])
        try:
            meeting = services.meeting_call(actor=request.user, council=council, **data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("会议已召集，已通知全体成员。"))
            return redirect("councils:meeting_detail", pk=meeting.pk)
    return render(request, "councils/form.html", {"form": form, "title": _("召集会议")},
                  status=400 if form.errors else 200)


def _meeting_context(request, meeting):
    runner = access.can_run_meetings(request.user, meeting.council)
    attended = set(meeting.attendances.values_list("seat_id", flat=True))
    seats = list(selectors.current_seats(meeting.council).select_related("resident__user"))
    my_seat = access.current_seat(request.user, meeting.council)
    context = {"meeting": meeting, "quorum": selectors.quorum_for(meeting), "runner": runner, "seats": seats,
               "attended": attended, "my_seat": my_seat, "votes": meeting.votes.select_related("proposal"),
               "agenda": meeting.agenda.all()}
    if runner:
        url = request.build_absolute_uri(reverse("councils:meeting_scan", args=[meeting.pk, meeting.checkin_token]))
        context["checkin_qr"] = segno.make(url, error="m").svg_data_uri(scale=4)
        context["vote_form"] = VoteForm(proposals=meeting.agenda.filter(status=Proposal.Status.ACCEPTED))
    return context


@login_required
def meeting_detail(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk)
    return render(request, "councils/meeting_detail.html", _meeting_context(request, meeting))


@login_required
def meeting_quorum(request, pk):
    """The live quorum figure (htmx polls it during the meeting)."""
    meeting = access.get_meeting_for_user(request.user, pk)
    return render(request, "councils/_quorum.html", {"quorum": selectors.quorum_for(meeting), "meeting": meeting})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_step(request, pk, name):
    meeting = access.get_meeting_for_user(request.user, pk)
    steps = {"open": services.meeting_open, "close": services.meeting_close}
    if name not in steps:
        raise Http404
    return transition_page(request, meeting, name,
                           service=lambda *, actor, reason: steps[name](actor=actor, meeting=meeting, reason=reason),
                           success=_("已办理。"), back_url=_back(meeting))


@login_required
@require_POST
def meeting_checkin(request, pk):
    """The chair (or staff) checks a member in."""
    meeting = access.get_meeting_for_user(request.user, pk)
    seat = Seat.objects.filter(council=meeting.council, pk=request.POST.get("seat") if str(
        request.POST.get("seat", "")).isdigit() else None).first()
    if not access.can_run_meetings(request.user, meeting.council):
        raise PermissionDenied(_("只有议事长、副议事长或社区工作人员可以为成员签到。"))
    if seat is None:
        messages.error(request, _("请选择成员。"))
    else:
        run_step(request, services.attendance_check_in, _("已签到。"), meeting=meeting, seat=seat)
    return redirect("councils:meeting_detail", pk=meeting.pk)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_scan(request, pk, token):
    """Where the meeting's QR code leads: the member confirms and is checked in."""
    meeting = access.get_meeting_for_user(request.user, pk)
    if request.method == "POST":
        try:
            services.attendance_check_in(actor=request.user, meeting=meeting, token=token)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("签到成功。"))
        return redirect("councils:meeting_detail", pk=meeting.pk)
    if access.current_seat(request.user, meeting.council) is None:
        raise PermissionDenied(_("您不是本议事会成员，无需签到。"))
    return render(request, "councils/scan.html", {"meeting": meeting, "token": token})


@login_required
@require_POST
def vote_prepare(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk)
    if not access.can_run_meetings(request.user, meeting.council):
        raise PermissionDenied(_("只有议事长、副议事长或社区工作人员可以主持表决。"))
    form = VoteForm(request.POST, proposals=meeting.agenda.all())
    if form.is_valid():
        try:
            vote = services.vote_prepare(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            return redirect("councils:vote_detail", pk=vote.pk)
    else:
        messages.error(request, _("请选择表决议题和方式。"))
    return redirect("councils:meeting_detail", pk=meeting.pk)


# --- votes ----------------------------------------------------------------------------------


@login_required
def vote_detail(request, pk):
    vote = access.get_vote_for_user(request.user, pk)
    seat = access.current_seat(request.user, vote.meeting.council)
    voted = seat is not None and vote.register.filter(seat=seat).exists()
    return render(request, "councils/vote_detail.html", {
        "vote": vote, "quorum": selectors.quorum_for(vote.meeting), "seat": seat, "voted": voted,
        "ballot_form": BallotForm() if seat and not voted and vote.status == Vote.Status.OPEN else None,
        "counts_form": CountsForm() if (vote.mode == Vote.Mode.PAPER and vote.status == Vote.Status.PREPARED
                                        and access.can_run_meetings(request.user, vote.meeting.council)) else None,
        "cast": services.ballots_cast(vote), "tally": services.tally_visible(vote),
        "pass_needed": selectors.pass_needed(vote.members_count or 0),
        "named": vote.register.select_related("seat__resident__user") if (
            vote.mode == Vote.Mode.OPEN and vote.status == Vote.Status.CLOSED) else None})


@login_required
@require_POST
def ballot_cast(request, pk):
    vote = access.get_vote_for_user(request.user, pk)
    form = BallotForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择赞成、反对或弃权。"))
    else:
        run_step(request, services.ballot_cast, _("投票成功。您的选择不与您的名字一起保存。"), vote=vote,
                 choice=form.cleaned_data["choice"])
    return redirect("councils:vote_detail", pk=vote.pk)


@login_required
@require_POST
def vote_counts(request, pk):
    vote = access.get_vote_for_user(request.user, pk)
    form = CountsForm(request.POST)
    if not access.can_run_meetings(request.user, vote.meeting.council):
        raise PermissionDenied(_("只有议事长、副议事长或社区工作人员可以录入票数。"))
    if form.is_valid():
        run_step(request, services.vote_enter_counts, _("票数已录入，请另一名到会成员复核。"), vote=vote,
                 **form.cleaned_data)
    else:
        messages.error(request, _("请填写赞成、反对、弃权票数。"))
    return redirect("councils:vote_detail", pk=vote.pk)


@login_required
@require_http_methods(["GET", "POST"])
def vote_step(request, pk, name):
    vote = access.get_vote_for_user(request.user, pk)
    steps = {"open": services.vote_open, "close": services.vote_close, "confirm_counts": services.vote_confirm_counts,
             "reject_counts": services.vote_reject_counts}
    if name not in steps:
        raise Http404
    return transition_page(request, vote, name,
                           service=lambda *, actor, reason: steps[name](actor=actor, vote=vote, reason=reason),
                           success=_("已办理。"), back_url=_back(vote),
                           summary=[(_("议题"), vote.proposal.title), (_("表决方式"), vote.get_mode_display())])
