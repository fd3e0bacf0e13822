from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shequ.access import scope_for

from . import services
from .access import (
    get_organization_for_edit,
    get_organization_for_user,
    get_organization_private_for_user,
    require_can_create_organization,
)
from .filters import OrganizationFilter
from .models import Membership, Organization
from .selectors import member_list, organization_list


class OrganizationSerializer(serializers.ModelSerializer):
    credit_code = serializers.CharField(max_length=40)
    credit_code_waiver = serializers.CharField(required=False, allow_blank=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Organization
        fields = [
            "id", "name", "credit_code", "credit_code_waiver", "kind", "kind_label", "region", "region_name",
            "community", "legal_representative", "contact_name", "contact_phone", "address", "established_on",
            "description", "is_active",
        ]
        # Validation of the code (check character, waiver, uniqueness) is the service's.
        validators = []


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
    search_fields = ["name", "credit_code"]

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

    @action(detail=True, methods=["get"], serializer_class=MemberSerializer)
    def members(self, request, pk=None):
        scope_for(request.user)
        organization = get_organization_private_for_user(request.user, pk)
        return Response(MemberSerializer(member_list(organization=organization), many=True).data)


__all__ = ["OrganizationViewSet", "get_organization_for_user"]
