"""Request a report, poll its status, download the file — scoped like the pages."""

import django_filters
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from organizations.models import Organization
from places.models import Region
from places.reporting import kind_choices
from projects.models import FundingRound, Project
from web import uploads
from workflow.api import ActionsField, DetailActionsMixin

from . import access, services
from .models import Report


class ReportSerializer(serializers.ModelSerializer):
    actions = ActionsField()
    download_url = serializers.SerializerMethodField()
    # The API name from before `project` became a foreign key.
    project_id_scope = serializers.IntegerField(source="project_id", read_only=True, allow_null=True)

    class Meta:
        model = Report
        fields = ["id", "kind", "format", "params", "scope_region", "project_id_scope", "status", "progress",
                  "row_count", "error", "created_at", "started_at", "finished_at", "download_url", "actions"]
        read_only_fields = fields

    def get_download_url(self, report) -> str | None:
        return f"/api/reports/{report.pk}/download/" if report.status == Report.Status.DONE else None


class ReportRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[])
    format = serializers.ChoiceField(choices=Report.Format.choices)
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all(), required=False, allow_null=True)
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all(), required=False, allow_null=True)
    round = serializers.PrimaryKeyRelatedField(queryset=FundingRound.objects.all(), required=False, allow_null=True)
    year = serializers.IntegerField(required=False, allow_null=True)
    agency = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all(), required=False,
                                                allow_null=True)
    period_start = serializers.DateField(required=False, allow_null=True)
    period_end = serializers.DateField(required=False, allow_null=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Kinds come from the registry, filled when the apps are ready.
        self.fields["kind"].choices = kind_choices()


class ReportFilter(django_filters.FilterSet):
    # Not `format`: DRF reads `?format=` as the renderer to use (xlsx → 404 before any filter).
    file_format = django_filters.ChoiceFilter(field_name="format", choices=Report.Format.choices, label="格式")

    class Meta:
        model = Report
        fields = ["kind", "status", "file_format"]


class ReportViewSet(DetailActionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ReportSerializer
    filterset_class = ReportFilter

    def get_queryset(self):
        return access.reports_for_user(self.request.user).order_by("-created_at", "-pk")

    def get_object(self):
        return access.get_report_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(request=ReportRequestSerializer, responses=ReportSerializer)
    def create(self, request):
        payload = ReportRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        with transaction.atomic():
            report = services.report_request(actor=request.user, kind=data.pop("kind"), format=data.pop("format"),
                                             region=data.pop("region", None), project=data.pop("project", None),
                                             params=data)
        body = dict(ReportSerializer(report, context=self.get_serializer_context()).data)
        if getattr(report, "enqueue_failed", False):  # the broker was down; beat sends the job within a minute
            body["message"] = _("已排队，稍后自动开始。")
        return Response(body, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        report = self.get_object()
        if report.status != Report.Status.DONE or not report.file:
            raise Http404(_("报表尚未生成或已清理。"))
        content_types = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                         "pdf": "application/pdf", "csv": "text/csv; charset=utf-8"}
        return uploads.file_response(report.file, filename=report.file.name.rsplit("/", 1)[-1],
                                     content_type=content_types.get(report.format, "application/octet-stream"))
