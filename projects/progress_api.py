"""REST API for progress reports, supervision visits and rectification: the same
access functions and services as the pages."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as DRFPermissionDenied
from rest_framework.response import Response

from organizations.models import SelfOrganization
from places.access import get_community_for_user
from places.models import Courtyard
from workflow.api import ActionsField, DetailActionsMixin

from . import access, selectors, services
from .models import Activity, Expense, ProgressReport, Rectification, SupervisionVisit


class ActivitySerializer(serializers.ModelSerializer):
    self_organizations = serializers.PrimaryKeyRelatedField(queryset=SelfOrganization.objects.all(), many=True,
                                                            required=False)
    courtyard = serializers.PrimaryKeyRelatedField(queryset=Courtyard.objects.all(), required=False,
                                                   allow_null=True)

    class Meta:
        model = Activity
        fields = ["id", "held_on", "title", "kind", "courtyard", "place", "direct_participations",
                  "indirect_beneficiaries", "volunteers", "self_organizations"]


class ExpenseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Expense
        fields = ["id", "budget_line", "amount", "spent_on", "voucher", "description", "over_budget_explanation"]
        validators = []


class ProgressReportSerializer(serializers.ModelSerializer):
    actions = ActionsField()
    activities = ActivitySerializer(many=True, read_only=True)
    expenses = ExpenseSerializer(many=True, read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ProgressReport
        fields = ["id", "project", "number", "period_start", "period_end", "due_on", "status", "overdue",
                  "progress", "problems", "next_plan", "resident_voices", "return_reason", "submitted_at",
                  "activities", "expenses", "actions"]
        read_only_fields = ["project", "number", "period_start", "period_end", "due_on", "status", "return_reason",
                            "submitted_at"]

    def get_overdue(self, report) -> bool:
        return report.is_overdue(timezone.localdate())


class ReturnReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)


class ProgressReportViewSet(
    DetailActionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Progress reports of the projects in the caller's scope. The agency files; the
    round's funder accepts or returns."""

    serializer_class = ProgressReportSerializer
    filterset_fields = ["project", "status"]

    def get_queryset(self):
        return (access.progress_reports_for_user(self.request.user).select_related("project")
                .prefetch_related("activities__self_organizations", "expenses").order_by("project_id", "number"))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.action == "list":
            queryset = selectors.search_progress_reports(queryset, self.request.query_params.get("q"))
        return queryset

    def get_object(self):
        return access.get_progress_report_for_user(self.request.user, self.kwargs["pk"])

    def _reply(self, report):
        return Response(ProgressReportSerializer(self.get_queryset().get(pk=report.pk)).data)

    @extend_schema(request=ProgressReportSerializer, responses=ProgressReportSerializer)
    def partial_update(self, request, pk=None):
        report = access.get_report_for_filing(request.user, pk)
        payload = ProgressReportSerializer(report, data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        services.progress_save(report=report, actor=request.user, data=payload.validated_data)
        return self._reply(report)

    @extend_schema(request=ActivitySerializer, responses=ActivitySerializer)
    @action(detail=True, methods=["post"])
    def activities(self, request, pk=None):
        report = access.get_report_for_filing(request.user, pk)
        payload = ActivitySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        activity = services.activity_add(report=report, actor=request.user,
                                         self_organizations=data.pop("self_organizations", []), **data)
        return Response(ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ExpenseSerializer, responses=ExpenseSerializer)
    @action(detail=True, methods=["post"])
    def expenses(self, request, pk=None):
        report = access.get_report_for_filing(request.user, pk)
        payload = ExpenseSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        with transaction.atomic():
            expense = services.expense_add(report=report, actor=request.user, **payload.validated_data)
        return Response(ExpenseSerializer(expense).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ProgressReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        report = access.get_report_for_filing(request.user, pk)
        return self._reply(services.progress_submit(report=report, actor=request.user))

    @extend_schema(request=None, responses=ProgressReportSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        report = access.get_report_for_review(request.user, pk)
        return self._reply(services.progress_accept(report=report, actor=request.user))

    @extend_schema(request=ReturnReasonSerializer, responses=ProgressReportSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        report = access.get_report_for_review(request.user, pk)
        payload = ReturnReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return self._reply(services.progress_return(report=report, actor=request.user, **payload.validated_data))

    @extend_schema(request=ReturnReasonSerializer, responses=ProgressReportSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """撤销通过 (with a reason): the figures leave the project's totals."""
        report = access.get_report_for_review(request.user, pk)
        payload = ReturnReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return self._reply(services.progress_reopen(report=report, actor=request.user, **payload.validated_data))


class VisitSerializer(serializers.ModelSerializer):
    class Meta:
        model = SupervisionVisit
        fields = ["id", "project", "supervisor", "visited_on", "mode", "findings", "advice", "follow_up_due"]
        read_only_fields = ["supervisor"]


class VisitViewSet(DetailActionsMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = VisitSerializer
    filterset_fields = ["project"]

    def get_queryset(self):
        return SupervisionVisit.objects.filter(
            project__in=access.projects_for_user(self.request.user)).select_related("supervisor").order_by("-pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        project = access.get_project_for_supervision(self.request.user, data.pop("project").pk)
        serializer.instance = services.visit_record(project=project, actor=self.request.user, **data)


class RectificationSerializer(serializers.ModelSerializer):
    actions = ActionsField()
    class Meta:
        model = Rectification
        fields = ["id", "community", "project", "visit", "source", "owner", "description", "due_on", "plan",
                  "evidence", "status", "raised_by", "raised_on", "verified_by", "verified_at", "actions"]
        read_only_fields = ["plan", "evidence", "status", "raised_by", "raised_on", "verified_by", "verified_at"]
        validators = []
        # With a project, the community is the project's.
        extra_kwargs = {"community": {"required": False}}


class RespondSerializer(serializers.Serializer):
    plan = serializers.CharField(max_length=5000, allow_blank=True)
    evidence = serializers.CharField(max_length=5000, allow_blank=True)


class VerifySerializer(serializers.Serializer):
    # An explicit choice, not a boolean: a form-encoded POST without the field must not
    # read as "not fixed".
    result = serializers.ChoiceField(choices=["fixed", "not_fixed"])
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class RectificationViewSet(
    DetailActionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = RectificationSerializer
    filterset_fields = ["community", "project", "status", "source", "owner"]

    def get_queryset(self):
        return selectors.rectification_list(user=self.request.user)

    def get_object(self):
        return access.get_rectification_for_user(self.request.user, self.kwargs["pk"])

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        community = data.pop("community", None)
        if data.get("project"):
            data["project"] = access.get_project_for_user(self.request.user, data["project"].pk)
            community = community or data["project"].community
        if community is None:
            raise serializers.ValidationError({"community": [_("请选择社区或项目。")]})
        community = get_community_for_user(self.request.user, community.pk)
        serializer.instance = services.rectification_raise(actor=self.request.user, community=community, **data)

    @extend_schema(request=RespondSerializer, responses=RectificationSerializer)
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        item = self.get_object()
        if not access.is_rectification_owner(request.user, item):
            raise DRFPermissionDenied(_("只有整改责任方可以填写整改方案和情况。"))
        payload = RespondSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return Response(
            RectificationSerializer(
                services.rectification_respond(item=item, actor=request.user, **payload.validated_data),
                context=self.get_serializer_context(),
            ).data
        )

    @extend_schema(request=VerifySerializer, responses=RectificationSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        item = self.get_object()
        if not access.can_verify_rectification(request.user, item):
            raise DRFPermissionDenied(_("只有提出人或属地民政局工作人员可以核验整改。"))
        payload = VerifySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        return Response(
            RectificationSerializer(
                services.rectification_verify(
                    item=item, actor=request.user, fixed=data["result"] == "fixed", note=data["note"]
                ),
                context=self.get_serializer_context(),
            ).data
        )

    @extend_schema(request=None, responses={200: dict})
    @action(detail=False, methods=["get"])
    def rate(self, request):
        """Rectification rate (fixed ÷ raised) over the filtered items in scope."""
        rate = services.rectification_rate(self.filter_queryset(self.get_queryset()))
        return Response({**rate, "rate": str(rate["rate"]) if rate["rate"] is not None else None})


