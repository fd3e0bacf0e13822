"""Community contests and residents' review committees in the API: the same access
functions (projects.contest_access) and services (projects.services.contests) as the
pages. Reviews go through the ordinary review-sheet endpoints."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from accounts.models import User
from organizations.models import SelfOrganization
from places.access import communities_for_user
from places.models import Courtyard
from workflow.api import ActionsField, DetailActionsMixin

from . import contest_access
from .models import Application, CommitteeMember, ContestGrant, FundingRound, ReviewCommittee, ReviewForm
from .services import contests as services

MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0.01"), "max_value": Decimal("9999999999")}


class ContestSerializer(serializers.ModelSerializer):
    funder_source_label = serializers.CharField(source="get_funder_source_display", read_only=True)

    class Meta:
        model = FundingRound
        fields = ["id", "name", "year", "community", "funder_source", "funder_source_label", "committee",
                  "review_form", "total_budget", "per_project_cap", "opens_at", "closes_at", "description"]


class ContestCreateSerializer(serializers.Serializer):
    community = serializers.IntegerField()
    name = serializers.CharField(max_length=200)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    funder_source = serializers.ChoiceField(choices=[c for c in FundingRound.FunderSource.values if c])
    committee = serializers.IntegerField()
    review_form = serializers.PrimaryKeyRelatedField(queryset=ReviewForm.objects.all())
    total_budget = serializers.DecimalField(**MONEY)
    per_project_cap = serializers.DecimalField(**MONEY)
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class ContestApplySerializer(serializers.Serializer):
    courtyard = serializers.IntegerField(required=False)
    self_organization = serializers.IntegerField(required=False)
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=5000)
    requested_amount = serializers.DecimalField(**MONEY)


class ResultSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="application.title")
    applicant = serializers.CharField(source="application.applicant_name")

    class Meta:
        model = ContestGrant
        fields = ["title", "applicant", "amount"]


class ContestApplicationSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    applicant = serializers.CharField(source="applicant_name", read_only=True)
    granted = serializers.SerializerMethodField()
    actions = ActionsField()

    class Meta:
        model = Application
        fields = ["id", "round", "community", "courtyard", "self_organization", "applicant", "title", "summary",
                  "requested_amount", "status", "status_label", "submitted_at", "decision_reason", "granted",
                  "actions"]

    def get_granted(self, obj) -> str | None:
        grant = getattr(obj, "contest_grant", None)  # the missing reverse one-to-one is an AttributeError
        return str(grant.amount) if grant else None


class ContestScreenSerializer(serializers.Serializer):
    passed = serializers.BooleanField()
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ContestDecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "reject", "return"])
    reason = serializers.CharField(max_length=2000)
    amount = serializers.DecimalField(required=False, allow_null=True, **MONEY)


class ContestViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ContestSerializer
    filterset_fields = ["community", "year"]

    def get_queryset(self):
        return contest_access.contests_for_user(self.request.user).order_by("-opens_at", "-pk")

    def get_object(self):
        return contest_access.get_contest_for_user(self.request.user, self.kwargs["pk"])

    def get_serializer_class(self):
        return ContestCreateSerializer if self.action == "create" else ContestSerializer

    def create(self, request, *args, **kwargs):
        body = ContestCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        community = communities_for_user(request.user).select_related("street").filter(pk=data["community"]).first()
        if community is None:
            raise ValidationError({"community": "未找到该社区，或不在您的范围内。"})
        committee = ReviewCommittee.objects.filter(pk=data["committee"], community=community).first()
        if committee is None:
            raise ValidationError({"committee": "评审会须是本社区的评审会。"})
        data.update(community=community, committee=committee)
        contest = services.contest_create(actor=request.user, **data)
        return Response(ContestSerializer(contest).data, status=201)

    @extend_schema(request=ContestApplySerializer, responses=ContestApplicationSerializer)
    @action(detail=True, methods=["post"])
    def apply(self, request, pk=None):
        contest = contest_access.get_contest_for_applying(request.user, pk)
        body = ContestApplySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        courtyard_id, selforg_id = data.pop("courtyard", None), data.pop("self_organization", None)
        courtyard = Courtyard.objects.filter(pk=courtyard_id, community_id=contest.community_id).first() \
            if courtyard_id else None
        selforg = SelfOrganization.objects.filter(pk=selforg_id, community_id=contest.community_id).first() \
            if selforg_id else None
        if courtyard_id and courtyard is None or selforg_id and selforg is None:
            raise ValidationError({"applicant": "未找到该院落或自组织，或不在本社区。"})
        application = services.contest_apply(actor=request.user, contest=contest, courtyard=courtyard,
                                             self_organization=selforg, **data)
        return Response(ContestApplicationSerializer(application, context={"request": request}).data, status=201)

    @extend_schema(responses=ResultSerializer(many=True))
    @action(detail=True, methods=["get"], permission_classes=[AllowAny])
    def results(self, request, pk=None):
        contest = contest_access.get_contest_for_public(pk)
        grants = ContestGrant.objects.filter(application__round=contest).select_related(
            "application__courtyard", "application__self_organization").order_by("-amount", "pk")
        return Response({"contest": contest.name, "community": contest.community.name,
                         "granted": str(services.granted_total(contest)),
                         "winners": ResultSerializer(grants, many=True).data})


class ContestApplicationViewSet(DetailActionsMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ContestApplicationSerializer
    filterset_fields = ["round", "status"]

    def get_queryset(self):
        return contest_access.contest_applications_for_user(self.request.user).select_related(
            "courtyard", "self_organization", "contest_grant").order_by("-pk")

    def get_object(self):
        return contest_access.get_contest_application_for_user(self.request.user, self.kwargs["pk"])

    def _done(self, application):
        fresh = contest_access.get_contest_application_for_user(self.request.user, application.pk)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(request=ContestScreenSerializer)
    @action(detail=True, methods=["post"])
    def screen(self, request, pk=None):
        application = contest_access.get_contest_application_for_management(request.user, pk)
        body = ContestScreenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.contest_screen(actor=request.user, application=application, **body.validated_data)
        return self._done(application)

    @extend_schema(request=ContestDecideSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        application = contest_access.get_contest_application_for_management(request.user, pk)
        body = ContestDecideSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.contest_decide(actor=request.user, application=application, **body.validated_data)
        return self._done(application)


class CommitteeMemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.display_name", read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = CommitteeMember
        fields = ["id", "name", "role", "role_label", "background", "joined_on", "left_on", "exit_reason"]


class CommitteeSerializer(serializers.ModelSerializer):
    members = CommitteeMemberSerializer(many=True, read_only=True)

    class Meta:
        model = ReviewCommittee
        fields = ["id", "community", "name", "formed_on", "max_members", "eligibility", "duties", "join_rule",
                  "exit_rule", "members"]


class JoinSerializer(serializers.Serializer):
    user = serializers.IntegerField()
    role = serializers.ChoiceField(choices=CommitteeMember.Role.values, default="member")
    background = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    joined_on = serializers.DateField()


class ExitSerializer(serializers.Serializer):
    member = serializers.IntegerField()
    left_on = serializers.DateField()
    reason = serializers.CharField(max_length=200)


class CommitteeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CommitteeSerializer
    filterset_fields = ["community"]

    def get_queryset(self):
        return contest_access.committees_for_user(self.request.user).prefetch_related("members__user") \
            .order_by("community_id", "name")

    def get_object(self):
        return contest_access.get_committee_for_user(self.request.user, self.kwargs["pk"])

    def _done(self, committee):
        return Response(CommitteeSerializer(contest_access.get_committee_for_user(self.request.user,
                                                                                  committee.pk)).data)

    @extend_schema(request=JoinSerializer)
    @action(detail=True, methods=["post"])
    def join(self, request, pk=None):
        committee = contest_access.get_committee_for_management(request.user, pk)
        body = JoinSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        user = User.objects.filter(pk=data.pop("user")).first()
        if user is None:
            raise ValidationError({"user": "没有这个用户。"})
        services.committee_join(actor=request.user, committee=committee, user=user, **data)
        return self._done(committee)

    @extend_schema(request=ExitSerializer)
    @action(detail=True, methods=["post"])
    def exit(self, request, pk=None):
        committee = contest_access.get_committee_for_management(request.user, pk)
        body = ExitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        member = committee.members.filter(pk=body.validated_data["member"]).first()
        if member is None:
            raise Http404("未找到该成员。")
        services.committee_exit(actor=request.user, member=member, left_on=body.validated_data["left_on"],
                                reason=body.validated_data["reason"])
        return self._done(committee)
