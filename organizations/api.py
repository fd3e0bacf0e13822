from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from places.access import get_community_for_user
from web import spreadsheet

from . import imports, selforgs, services
from .access import (
    can_keep_selforgs,
    can_see_private,
    get_organization_for_edit,
    get_organization_for_user,
    get_organization_private_for_user,
    get_selforg_for_edit,
    get_selforg_for_user,
    require_can_create_organization,
    selforgs_for_user,
)
from .filters import OrganizationFilter
from .models import Membership, Organization, SelfOrganization
from .selectors import member_list, organization_list


class OrganizationSerializer(serializers.ModelSerializer):
    credit_code = serializers.CharField(max_length=40)
    credit_code_waiver = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    # null when the caller may not see them (to_representation); null written means empty.
    contact_name = serializers.CharField(max_length=50, required=False, allow_blank=True, allow_null=True)
    contact_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, allow_null=True)

    def validate_contact_name(self, value):
        return value or ""

    def validate_contact_phone(self, value):
        from accounts.models import phone_validator
        if value:
            phone_validator(value)
        return value or ""

    class Meta:
        model = Organization
        fields = [
            "id", "name", "credit_code", "credit_code_waiver", "kind", "kind_label", "region", "region_name",
            "community", "legal_representative", "contact_name", "contact_phone", "address", "established_on",
            "description", "is_active",
        ]
        # Validation of the code (check character, waiver, uniqueness) is the service's.
        validators = []

    PRIVATE_FIELDS = ("contact_name", "contact_phone")

    def to_representation(self, organization):
        """Contact details go only to the organisation's own staff and the bureau of its district."""
        data = super().to_representation(organization)
        request = self.context.get("request")
        if request is not None and not can_see_private(request.user, organization):
            for name in self.PRIVATE_FIELDS:
                data[name] = None
        return data


class MemberSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    real_name = serializers.CharField(source="user.real_name", read_only=True)
    phone = serializers.CharField(source="user.phone", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "username", "real_name", "phone", "position", "title", "joined_on"]


class OrganizationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                          mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """The organisation directory; members are private (404 outside scope)."""

    serializer_class = OrganizationSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    # Applied by filter_queryset below (`q` searches name and code); named here for the schema.
    filterset_class = OrganizationFilter

    def get_queryset(self):
        return organization_list(user=self.request.user)

    def filter_queryset(self, queryset):
        if self.action == "list":
            return OrganizationFilter(self.request.query_params, queryset=queryset).qs
        return queryset

    def get_object(self):
        if self.request.method == "GET":
            return get_organization_for_user(self.request.user, self.kwargs["pk"])
        return get_organization_for_edit(self.request.user, self.kwargs["pk"])

    def perform_create(self, serializer):
        require_can_create_organization(self.request.user)
        serializer.instance = services.organization_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        credit_code = data.pop("credit_code", None)
        waiver = data.pop("credit_code_waiver", "")
        serializer.instance = services.organization_update(
            organization=serializer.instance, actor=self.request.user, data=data,
            credit_code=credit_code, credit_code_waiver=waiver)

    @extend_schema(responses=MemberSerializer(many=True))
    @extend_schema(request={"multipart/form-data": {"type": "object", "properties": {
        "file": {"type": "string", "format": "binary"}, "dry_run": {"type": "boolean"}}}}, responses=dict)
    @action(detail=False, methods=["post"], url_path="import")
    def bulk_import(self, request):
        """Social organisations from the import template (see the page); all rows or none."""
        return spreadsheet.api_import(request, imports.PAGES)

    @extend_schema(responses=MemberSerializer(many=True))  # a plain list: no pagination
    @action(detail=True, methods=["get"], serializer_class=MemberSerializer, pagination_class=None)
    def members(self, request, pk=None):
        organization = get_organization_private_for_user(request.user, pk)
        return Response(MemberSerializer(member_list(organization=organization), many=True).data)



class SelfOrganizationSerializer(serializers.ModelSerializer):
    is_public_interest = serializers.BooleanField(read_only=True)
    leaders = serializers.SerializerMethodField()

    class Meta:
        model = SelfOrganization
        fields = ["id", "community", "name", "category", "stage", "members", "is_public_interest", "founded_on",
                  "description", "leaders"]
        read_only_fields = ["stage", "members"]
        validators = []

    def get_leaders(self, selforg) -> list[dict]:
        return [{"name": leader.name, "role": leader.role} for leader in selforg.leaders.all()]


class SelfOrgCreateSerializer(serializers.ModelSerializer):
    class Meta:
        model = SelfOrganization
        fields = ["community", "name", "category", "stage", "members", "founded_on", "description"]
        validators = []


class SelfOrgProgressSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=SelfOrganization.Stage.choices)
    members = serializers.IntegerField(min_value=0)
    on = serializers.DateField()
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class SelfOrganizationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = SelfOrganizationSerializer
    filterset_fields = ["community", "stage", "category"]
    search_fields = ["name"]

    def get_queryset(self):
        return selforgs_for_user(self.request.user).prefetch_related("leaders").order_by("community_id", "name")

    def get_object(self):
        return get_selforg_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(request=SelfOrgCreateSerializer, responses=SelfOrganizationSerializer)
    def create(self, request):
        payload = SelfOrgCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        community = get_community_for_user(request.user, data.pop("community").pk)
        if not can_keep_selforgs(request.user, community):
            raise PermissionDenied(_("只有社区和属地民政局工作人员可以登记居民自组织。"))
        selforg = selforgs.selforg_create(actor=request.user, community=community, **data)
        return Response(SelfOrganizationSerializer(selforg).data, status=201)

    @extend_schema(request=SelfOrgProgressSerializer, responses=SelfOrganizationSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        selforg = get_selforg_for_edit(request.user, pk)
        payload = SelfOrgProgressSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        selforg = selforgs.selforg_progress(selforg=selforg, actor=request.user, **payload.validated_data)
        return Response(SelfOrganizationSerializer(selforg).data)
