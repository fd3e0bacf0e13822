from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from web import spreadsheet

from . import imports, services
from .access import (
    get_community_for_edit,
    get_community_for_merge,
    get_community_for_user,
    regions_for_user,
    require_community_directory,
)
from .filters import CommunityFilter
from .models import Community, Region
from .selectors import community_list
from .services import COMMUNITY_PROFILE_FIELDS


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "code", "name", "level", "parent"]


class CommunitySerializer(serializers.ModelSerializer):
    street_name = serializers.CharField(source="street.name", read_only=True)
    district = serializers.IntegerField(source="street.parent_id", read_only=True)
    district_name = serializers.CharField(source="street.parent.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Community
        fields = [
            "id", "code", "name", "official_name", "street", "street_name", "district", "district_name",
            "kind", "kind_label", "population", "floating_population", "households", "grids", "micro_grids",
            "party_members", "merged_into", "merged_on",
        ]
        read_only_fields = ["code", "street", "merged_into", "merged_on"]


class CommunityMergeSerializer(serializers.Serializer):
    into = serializers.IntegerField(label=gettext_lazy("并入社区 id"))
    merged_on = serializers.DateField(label=gettext_lazy("合并日期"))
    reason = serializers.CharField(max_length=5000, label=gettext_lazy("合并依据"))


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RegionSerializer
    filterset_fields = ["level", "parent"]
    search_fields = ["name", "code"]

    def get_queryset(self):
        return regions_for_user(self.request.user).order_by("code")


class CommunityFilterBackendMixin:
    def filter_queryset(self, queryset):
        # The same FilterSet as the page, so the two never disagree on what a filter means.
        if self.action == "list":
            return CommunityFilter(self.request.query_params, queryset=queryset, user=self.request.user).qs
        return queryset


class CommunityViewSet(CommunityFilterBackendMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Communities in the caller's scope. Outside it: 404; visible but not editable: 403."""

    serializer_class = CommunitySerializer
    http_method_names = ["get", "patch", "post", "head", "options"]

    def get_queryset(self):
        return community_list(user=self.request.user)

    def list(self, request, *args, **kwargs):
        require_community_directory(request.user)
        return super().list(request, *args, **kwargs)

    def get_object(self):
        if self.request.method == "GET":
            return get_community_for_user(self.request.user, self.kwargs["pk"])
        return get_community_for_edit(self.request.user, self.kwargs["pk"])

    def perform_update(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k in COMMUNITY_PROFILE_FIELDS}
        serializer.instance = services.community_update_profile(
            community=serializer.instance, actor=self.request.user, data=data)

    @extend_schema(request={"multipart/form-data": {"type": "object", "properties": {
        "file": {"type": "string", "format": "binary"}, "dry_run": {"type": "boolean"}}}}, responses=dict)
    @action(detail=False, methods=["post"], url_path="import")
    def bulk_import(self, request):
        """Community profiles from the import template (see the page); all rows or none."""
        return spreadsheet.api_import(request, imports.PAGES)

    @extend_schema(request=CommunityMergeSerializer, responses=CommunitySerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        community = get_community_for_merge(request.user, pk)
        payload = CommunityMergeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        into = get_community_for_user(request.user, payload.validated_data["into"])
        merged = services.community_merge(community=community, into=into, actor=request.user,
                                          merged_on=payload.validated_data["merged_on"],
                                          reason=payload.validated_data["reason"])
        return Response(CommunitySerializer(merged).data)
