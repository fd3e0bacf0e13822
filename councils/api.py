"""The council in the API: the same access functions and services as the pages."""

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from workflow.api import ActionsField, DetailActionsMixin

from . import access, selectors, services
from .models import Ballot, Council, Meeting, Proposal, Seat, Vote


class SeatSerializer(serializers.ModelSerializer):
    # Names only: phone and household are for the community's staff, on residents' pages.
    name = serializers.CharField(source="resident.user.real_name", read_only=True)
    group = serializers.CharField(source="resident.group.name", read_only=True, default=None)

    class Meta:
        model = Seat
        fields = ["id", "name", "group", "started_on", "ended_on", "end_reason"]


class CouncilSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    seats = serializers.SerializerMethodField()
    problems = serializers.SerializerMethodField()
    actions = ActionsField()

    class Meta:
        model = Council
        fields = ["id", "community", "kind", "group", "name", "term_start", "term_end", "status", "status_label",
                  "chair", "vice_chair", "seats", "problems", "actions"]

    def get_seats(self, obj) -> list:
        if not self.context.get("with_actions"):
            return []
        return SeatSerializer(selectors.current_seats(obj).select_related("resident__user", "resident__group"),
                              many=True).data

    def get_problems(self, obj) -> list[str]:
        return selectors.seat_rule_problems(obj) if self.context.get("with_actions") else []


class CouncilViewSet(DetailActionsMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CouncilSerializer
    filterset_fields = ["community", "kind", "status"]

    def get_queryset(self):
        return access.councils_for_user(self.request.user).order_by("community", "kind", "-term_start")

    def get_object(self):
        return access.get_council_for_user(self.request.user, self.kwargs["pk"])


class ProposalSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    cosigners = serializers.SerializerMethodField()
    actions = ActionsField()

    class Meta:
        model = Proposal
        fields = ["id", "council", "title", "body", "route", "status", "status_label", "merged_into",
                  "decision_reason", "outcome", "created_at", "cosigners", "actions"]
        read_only_fields = ["status", "merged_into", "decision_reason", "outcome", "created_at"]

    def get_cosigners(self, obj) -> int:
        return getattr(obj, "n_cosigners", None) if not self.context.get("with_actions") else obj.cosignatures.count()


class ProposalReviewSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    into = serializers.IntegerField(required=False)


class ProposalViewSet(DetailActionsMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ProposalSerializer
    filterset_fields = ["council", "route", "status"]

    def get_queryset(self):
        return access.proposals_for_user(self.request.user).annotate(n_cosigners=Count("cosignatures")).order_by(
            "-created_at")

    def get_object(self):
        return access.get_proposal_for_user(self.request.user, self.kwargs["pk"])

    def perform_create(self, serializer):
        data = serializer.validated_data
        council = access.get_council_for_user(self.request.user, data["council"].pk)
        serializer.instance = services.proposal_raise(actor=self.request.user, council=council, route=data["route"],
                                                      title=data["title"], body=data["body"])

    def _done(self, proposal):
        return Response(self.get_serializer(access.get_proposal_for_user(self.request.user, proposal.pk)).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def cosign(self, request, pk=None):
        proposal = self.get_object()
        services.proposal_cosign(actor=request.user, proposal=proposal)
        return self._done(proposal)

    @extend_schema(request=ProposalReviewSerializer)
    @action(detail=True, methods=["post"], url_path="review/(?P<step>accept|merge|reject|publish)")
    def review(self, request, pk=None, step=None):
        proposal = self.get_object()
        body = ProposalReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reason = body.validated_data.get("reason", "")
        if step == "accept":
            services.proposal_accept(actor=request.user, proposal=proposal, reason=reason)
        elif step == "reject":
            services.proposal_reject(actor=request.user, proposal=proposal, reason=reason)
        elif step == "publish":
            services.proposal_publish(actor=request.user, proposal=proposal)
        else:
            into = access.proposals_for_user(request.user).filter(pk=body.validated_data.get("into")).first()
            if into is None:
                raise ValidationError({"into": _("请选择要并入的议题。")})
            services.proposal_merge(actor=request.user, proposal=proposal, into=into, reason=reason)
        return self._done(proposal)


class MeetingSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    quorum = serializers.SerializerMethodField()
    actions = ActionsField()

    class Meta:
        model = Meeting
        fields = ["id", "council", "title", "starts_at", "location", "status", "status_label", "agenda", "quorum",
                  "actions"]

    def get_quorum(self, obj) -> dict | None:
        if not self.context.get("with_actions"):
            return None
        q = selectors.quorum_for(obj)
        return {"members": q.members, "present": q.present, "needed": q.needed, "met": q.met}


class CheckInSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=64, required=False, allow_blank=True)
    seat = serializers.IntegerField(required=False)


class MeetingViewSet(DetailActionsMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = MeetingSerializer
    filterset_fields = ["council", "status"]

    def get_queryset(self):
        return access.meetings_for_user(self.request.user).prefetch_related("agenda").order_by("-starts_at")

    def get_object(self):
        return access.get_meeting_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(request=CheckInSerializer)
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        """A member checks in with the QR code's token; the chair passes `seat`."""
        meeting = self.get_object()
        body = CheckInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        seat = None
        if body.validated_data.get("seat"):
            seat = Seat.objects.filter(council=meeting.council, pk=body.validated_data["seat"]).first()
            if seat is None:
                raise ValidationError({"seat": _("该成员不是本议事会成员。")})
        services.attendance_check_in(actor=request.user, meeting=meeting, seat=seat,
                                     token=body.validated_data.get("token", ""))
        return Response(self.get_serializer(meeting).data)


class VoteSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    tally = serializers.SerializerMethodField()
    actions = ActionsField()

    class Meta:
        model = Vote
        fields = ["id", "meeting", "proposal", "mode", "status", "status_label", "tally", "actions"]

    def get_tally(self, obj) -> dict | None:
        """Revealed only when the vote has closed."""
        if not services.tally_visible(obj):
            return None
        return {"yes": obj.yes, "no": obj.no, "abstain": obj.abstain, "members": obj.members_count,
                "present": obj.present_count, "passed": obj.passed}


class BallotSerializer(serializers.Serializer):
    choice = serializers.ChoiceField(choices=Ballot.Choice.choices)


class VoteViewSet(DetailActionsMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = VoteSerializer
    filterset_fields = ["meeting", "status"]

    def get_queryset(self):
        return access.votes_for_user(self.request.user).order_by("-pk")

    def get_object(self):
        return access.get_vote_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(request=BallotSerializer)
    @action(detail=True, methods=["post"])
    def ballot(self, request, pk=None):
        vote = self.get_object()
        body = BallotSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.ballot_cast(actor=request.user, vote=vote, choice=body.validated_data["choice"])
        return Response({"detail": _("投票成功。")})

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], url_path="step/(?P<step>open|close)")
    def step(self, request, pk=None, step=None):
        vote = self.get_object()
        (services.vote_open if step == "open" else services.vote_close)(actor=request.user, vote=vote)
        return Response(self.get_serializer(access.get_vote_for_user(request.user, vote.pk)).data)
