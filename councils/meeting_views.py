"""Pages for council meetings and votes: calling a meeting, the quorum, check-in (by the
chair or by scanning the meeting's QR code), preparing a vote, casting a secret ballot and
entering counted hands. Access first (404 out of scope), then the form and the service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from web.forms import add_service_error
from web.qr import qr_data_uri
from web.views import run_step
from workflow.views import step_view

from . import access, selectors, services
from .forms import (
    BallotForm,
    CountsForm,
    MeetingForm,
    VoteForm,
)
from .models import Proposal, Seat, Vote
from .views import _back
from .workflows import meeting_machine, vote_machine

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
        context["checkin_qr"] = qr_data_uri(url)
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


meeting_step = step_view(
    meeting_machine, lookup=access.get_meeting_for_user, names=("open", "close"), back_url=_back, keyword="meeting",
    services={"open": services.meeting_open, "close": services.meeting_close})


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


vote_step = step_view(
    vote_machine, lookup=access.get_vote_for_user, back_url=_back, keyword="vote",
    services={"open": services.vote_open, "close": services.vote_close, "confirm_counts": services.vote_confirm_counts,
              "reject_counts": services.vote_reject_counts},
    names=("open", "close", "confirm_counts", "reject_counts"),
    summary=lambda vote: [(_("议题"), vote.proposal.title), (_("表决方式"), vote.get_mode_display())])
