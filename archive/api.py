"""The archive in the API: GET /api/archive/?kind=project lists archived rows the caller
may restore; POST /api/archive/<kind>/<pk>/ {"reason": …} archives a live object;
POST /api/archive/<kind>/<pk>/restore/ restores one. Same access functions and services
as the pages: outside the scope 404, visible but not allowed 403, refusals 400."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from web import archive as registry

from . import access, services
from .services import REASON_MAX_LENGTH


class ArchivedSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    kind = serializers.SerializerMethodField()
    label = serializers.SerializerMethodField()
    title = serializers.SerializerMethodField()
    archived_at = serializers.DateTimeField(allow_null=True)
    archived_by = serializers.IntegerField(source="archived_by_id", allow_null=True)
    archived_by_name = serializers.SerializerMethodField()
    archive_reason = serializers.CharField()

    def _entry(self, obj):
        return registry.kind_for(obj)

    def get_kind(self, obj) -> str:
        return self._entry(obj).kind

    def get_label(self, obj) -> str:
        return str(self._entry(obj).label)

    def get_title(self, obj) -> str:
        return str(obj)

    def get_archived_by_name(self, obj) -> str:
        return obj.archived_by.display_name if obj.archived_by_id else ""


class ArchiveRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH, label=gettext_lazy("归档原因"))


def _kind_param(request):
    kinds = registry.kinds()
    kind = request.query_params.get("kind") or kinds[0].kind
    entry = registry.get_kind(kind)
    if entry is None:
        raise serializers.ValidationError({"kind": [_("可选：%(k)s") % {"k": ", ".join(k.kind for k in kinds)}]})
    return entry


@extend_schema(parameters=[OpenApiParameter("kind", str, description="organization / round / application / "
                                                                     "project / evaluation / report")])
class ArchivedListView(generics.ListAPIView):
    serializer_class = ArchivedSerializer

    def initial(self, request, *args, **kwargs):
        # The bureau's list; the queryset itself is empty for anyone else (and for the schema).
        super().initial(request, *args, **kwargs)
        access.require_archive_list(request.user)

    def get_queryset(self):
        return access.archived_for_user(self.request.user, _kind_param(self.request))


class ArchiveView(APIView):
    @extend_schema(request=ArchiveRequestSerializer, responses=ArchivedSerializer)
    def post(self, request, kind, pk):
        obj = access.get_for_archive(request.user, kind, pk)
        payload = ArchiveRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        obj = services.archive(obj=obj, actor=request.user, reason=payload.validated_data["reason"])
        return Response(ArchivedSerializer(obj).data)


class RestoreView(APIView):
    @extend_schema(request=None, responses=ArchivedSerializer)
    def post(self, request, kind, pk):
        obj = access.get_for_restore(request.user, kind, pk)
        obj = services.restore(obj=obj, actor=request.user)
        return Response(ArchivedSerializer(obj).data)
