"""REST API for funded projects: the agreement, lifecycle steps, tranches and disbursements,
through the same access functions and services as the pages."""

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from workflow.api import ActionsField, DetailActionsMixin

from . import access, selectors, services
from .application_api import ReasonSerializer
from .models import (
    Project,
    Tranche,
)


class TrancheSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tranche
        fields = ["id", "order", "trigger", "percent", "amount"]


class ReverseDisbursementSerializer(serializers.Serializer):
    disbursement = serializers.IntegerField(label="拨付记录", min_value=1)
    reason = serializers.CharField(label="冲销原因", max_length=2000)


class ProjectSerializer(serializers.ModelSerializer):
    actions = ActionsField()
    tranches = TrancheSerializer(many=True, read_only=True)

    class Meta:
        model = Project
        fields = ["id", "application", "round", "organization", "community", "title", "approved_amount",
                  "disbursed_amount", "status", "agreement_signed_on", "starts_on", "ends_on", "tranches", "actions"]


class DisburseSerializer(serializers.Serializer):
    tranche = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    paid_on = serializers.DateField()
    voucher_number = serializers.CharField(max_length=50)


class AgreementSerializer(serializers.Serializer):
    signed_on = serializers.DateField()


class ProjectViewSet(DetailActionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ProjectSerializer
    filterset_fields = ["round", "status", "community"]

    def get_queryset(self):
        return selectors.project_list(user=self.request.user).prefetch_related("tranches")

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return selectors.search_projects(queryset, self.request.query_params.get("q")) if self.action == "list" \
            else queryset

    def get_object(self):
        return access.get_project_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(request=AgreementSerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def agreement(self, request, pk=None):
        project = access.get_project_for_finance(request.user, pk)
        payload = AgreementSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        project = services.agreement_sign(project=project, actor=request.user, **payload.validated_data)
        return Response(ProjectSerializer(project, context=self.get_serializer_context()).data)

    def _step(self, request, pk, service):
        project = access.get_project_for_user(request.user, pk)
        payload = ReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        project = service(project=project, actor=request.user, reason=payload.validated_data.get("reason", ""))
        return Response(ProjectSerializer(project, context=self.get_serializer_context()).data)

    @extend_schema(request=ReasonSerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """结项: every started reporting period accepted."""
        return self._step(request, pk, services.project_close)

    @extend_schema(request=ReasonSerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """撤销结项 (with a reason)."""
        return self._step(request, pk, services.project_reopen)

    @extend_schema(request=DisburseSerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def disburse(self, request, pk=None):
        project = access.get_project_for_finance(request.user, pk)
        payload = DisburseSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        tranche = project.tranches.filter(pk=data.pop("tranche")).first()
        if tranche is None:
            raise serializers.ValidationError({"tranche": _("拨付批次不属于该项目。")})
        with transaction.atomic():
            services.disbursement_record(project=project, tranche=tranche, actor=request.user, **data)
        return Response(
            ProjectSerializer(Project.objects.get(pk=project.pk), context=self.get_serializer_context()).data
        )

    @extend_schema(request=ReverseDisbursementSerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["post"], url_path="reverse-disbursement", url_name="reverse-disbursement")
    def reverse_disbursement(self, request, pk=None):
        """冲销 a payment with a reason: a reversal entry, the disbursed total goes down."""
        project = access.get_project_for_finance(request.user, pk)
        payload = ReverseDisbursementSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        disbursement = project.disbursements.filter(pk=payload.validated_data["disbursement"]).first()
        if disbursement is None:
            raise serializers.ValidationError({"disbursement": _("拨付记录不属于该项目。")})
        services.disbursement_reverse(disbursement=disbursement, actor=request.user,
                                      reason=payload.validated_data["reason"])
        project = Project.objects.get(pk=project.pk)
        return Response(ProjectSerializer(project, context=self.get_serializer_context()).data)
