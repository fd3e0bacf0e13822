"""REST API for rounds and applications: the same access functions and services as the
pages."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import User
from organizations.models import Organization
from places.models import Community
from workflow.api import ActionsField, DetailActionsMixin

from . import access, selectors, services
from .filters import ApplicationFilter
from .models import (
    Application,
    ApplicationRevision,
    BudgetLine,
    Dimension,
    FundingRound,
    NeedsMethod,
    TrancheRule,
)
from .revisions import diff


class TrancheRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrancheRule
        fields = ["order", "percent", "trigger"]
        read_only_fields = ["order"]


class RoundSerializer(serializers.ModelSerializer):
    tranche_rules = TrancheRuleSerializer(many=True)

    class Meta:
        model = FundingRound
        fields = ["id", "name", "year", "funder", "description", "total_budget", "per_project_cap",
                  "per_community_cap", "opens_at", "closes_at", "report_frequency", "review_form",
                  "score_spread_gap", "endorsement_wait_days", "tranche_rules"]
        validators = []


class RoundViewSet(DetailActionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   mixins.UpdateModelMixin, viewsets.GenericViewSet):
    serializer_class = RoundSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_fields = ["year", "funder"]

    def get_queryset(self):
        return access.rounds_for_user(self.request.user).select_related("funder").prefetch_related("tranche_rules")

    def get_object(self):
        if self.request.method == "GET":
            return access.get_round_for_user(self.request.user, self.kwargs["pk"])
        return access.get_round_for_management(self.request.user, self.kwargs["pk"])

    @staticmethod
    def _tranches(data):
        rules = data.pop("tranche_rules", None)
        return None if rules is None else [(r["percent"], r["trigger"]) for r in rules]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.round_create(actor=self.request.user, tranches=self._tranches(data) or [],
                                                    **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        tranches = self._tranches(data)
        serializer.instance = services.round_update(funding_round=serializer.instance, actor=self.request.user,
                                                    data=data, tranches=tranches)


class BudgetLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = BudgetLine
        fields = ["category", "description", "amount", "cofunding_amount", "cofunding_source"]


class ApplicationSerializer(serializers.ModelSerializer):
    actions = ActionsField()
    dimensions = serializers.ListField(child=serializers.ChoiceField(choices=Dimension.choices), required=False)
    needs_methods = serializers.ListField(child=serializers.ChoiceField(choices=NeedsMethod.choices), required=False)
    budget_lines = BudgetLineSerializer(many=True, required=False)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Application
        fields = ["id", "round", "organization", "community", "status", "status_label", "title", "summary",
                  "dimensions", "leverage_point", "needs_methods", "needs_findings", "goals", "strategy",
                  "activity_plan", "starts_on", "ends_on", "project_lead", "social_workers", "university_expert",
                  "senior_supervisor", "requested_amount", "budget_lines", "endorsement", "endorsement_text",
                  "submitted_at", "decision_reason", "actions"]
        read_only_fields = ["status", "requested_amount", "endorsement", "endorsement_text", "submitted_at",
                            "decision_reason"]


class ApplicationCreateSerializer(serializers.Serializer):
    round = serializers.PrimaryKeyRelatedField(queryset=FundingRound.objects.all())
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    community = serializers.PrimaryKeyRelatedField(queryset=Community.objects.all())
    title = serializers.CharField(max_length=200)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class ScreenSerializer(serializers.Serializer):
    # An explicit choice, not a boolean: a form-encoded POST without it must not
    # read as "return".
    result = serializers.ChoiceField(choices=["pass", "return"])
    reason = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class EndorseSerializer(serializers.Serializer):
    endorsement = serializers.ChoiceField(choices=[c for c in Application.Endorsement.values if c])
    text = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class AssignSerializer(serializers.Serializer):
    reviewers = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True, allow_empty=False)


class DecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "reject", "return"])
    reason = serializers.CharField(max_length=5000)
    approved_amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    agreement_signed_on = serializers.DateField(required=False, allow_null=True)


class RevisionSerializer(serializers.ModelSerializer):
    changes = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationRevision
        fields = ["number", "created_at", "content", "changes"]

    def get_changes(self, revision) -> list[dict]:
        previous = self.context["previous"].get(revision.number)
        return diff(previous.content, revision.content) if previous else []


class ApplicationViewSet(DetailActionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                         mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Applications in the caller's scope. Agencies create and edit their own; bureau
    staff of the round's funder screen, assign reviewers and decide."""

    serializer_class = ApplicationSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    # Applied by filter_queryset below (scores refused when hidden); named here for the schema.
    filterset_class = ApplicationFilter

    def get_queryset(self):
        return selectors.application_list(user=self.request.user).prefetch_related("budget_lines")

    def filter_queryset(self, queryset):
        if self.action == "list":
            params = self.request.query_params
            by_score = selectors.asks_for_scores(params)
            if by_score:
                queryset = selectors.with_scores(queryset)
            application_filter = ApplicationFilter(params, queryset=queryset)
            if not application_filter.is_valid():
                raise serializers.ValidationError(application_filter.errors)
            if by_score:
                self._refuse_hidden_scores(application_filter)
            return application_filter.qs
        return queryset

    def _refuse_hidden_scores(self, application_filter):
        """A filter or ordering on review scores is refused (400), not silently applied, unless
        the caller may see the scores of every application the other filters leave."""
        score_params = ("score_min", "score_max", "ordering")
        rest = application_filter.queryset
        for name, value in application_filter.form.cleaned_data.items():
            if name not in score_params:
                rest = application_filter.filters[name].filter(rest, value)
        if rest.exclude(access.scores_visible_q(self.request.user)).exists():
            field = next(p for p in score_params if p in self.request.query_params)
            raise serializers.ValidationError({field: [
                _("评审均分只有本轮资助方和已提交评审表的评审专家可以查看，不能按均分筛选或排序。")]})

    def get_object(self):
        if self.request.method == "GET":
            return access.get_application_for_user(self.request.user, self.kwargs["pk"])
        return access.get_application_for_edit(self.request.user, self.kwargs["pk"])

    def to_representation(self, application):
        return ApplicationSerializer(application, context=self.get_serializer_context()).data

    @extend_schema(request=ApplicationCreateSerializer, responses=ApplicationSerializer)
    def create(self, request, *args, **kwargs):
        payload = ApplicationCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        application = services.application_create(actor=request.user, funding_round=data["round"],
                                                  organization=data["organization"], community=data["community"],
                                                  title=data["title"])
        return Response(self.to_representation(application), status=status.HTTP_201_CREATED)

    def retrieve(self, request, *args, **kwargs):
        return Response(self.to_representation(self.get_object()))

    def list(self, request, *args, **kwargs):
        # One serializer for the page: a serializer per row cost 80 ms at city scale.
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(ApplicationSerializer(page, many=True,
                                                                 context=self.get_serializer_context()).data)

    def partial_update(self, request, *args, **kwargs):
        application = self.get_object()
        serializer = ApplicationSerializer(application, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        lines = data.pop("budget_lines", None)
        application = services.application_update(application=application, actor=request.user, data=data,
                                                   budget_lines=[dict(line) for line in lines]
                                                   if lines is not None else None)
        return Response(self.to_representation(application))

    def _step(self, request, pk, getter, step, payload_class=None, **fixed):
        application = getter(request.user, pk)
        kwargs = dict(fixed)
        if payload_class is not None:
            payload = payload_class(data=request.data)
            payload.is_valid(raise_exception=True)
            kwargs.update(payload.validated_data)
        result = step(application=application, actor=request.user, **kwargs)
        return Response(self.to_representation(result if isinstance(result, Application)
                                               else Application.objects.get(pk=application.pk)))

    @extend_schema(request=None, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._step(request, pk, access.get_application_for_edit, services.application_submit)

    @extend_schema(request=ReasonSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._step(request, pk, access.get_application_for_edit, services.application_withdraw,
                          ReasonSerializer)

    @extend_schema(request=EndorseSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def endorse(self, request, pk=None):
        return self._step(request, pk, access.get_application_for_endorse, services.application_endorse,
                          EndorseSerializer)

    @extend_schema(request=ScreenSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def screen(self, request, pk=None):
        application = access.get_application_for_management(request.user, pk)
        payload = ScreenSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        result = services.application_screen(application=application, actor=request.user,
                                             passed=payload.validated_data["result"] == "pass",
                                             reason=payload.validated_data["reason"])
        return Response(self.to_representation(result))

    @extend_schema(request=AssignSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        application = access.get_application_for_management(request.user, pk)
        payload = AssignSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.review_assign(applications=[application], reviewers=payload.validated_data["reviewers"],
                               actor=request.user)
        return Response(self.to_representation(Application.objects.get(pk=application.pk)))

    @extend_schema(request=DecideSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        return self._step(request, pk, access.get_application_for_management, services.application_decide,
                          DecideSerializer)

    @extend_schema(request=None, responses=RevisionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def revisions(self, request, pk=None):
        application = access.get_application_for_user(request.user, pk)
        revisions = list(application.revisions.order_by("number"))
        previous = {r.number + 1: r for r in revisions}
        return Response(RevisionSerializer(revisions, many=True, context={"previous": previous}).data)
