"""Role management in the API (#14): GET /api/role-assignments/ (filters ?role=, ?q=),
POST /api/role-assignments/ {"username", "role", "region", "community_code"} to grant
(Idempotency-Key honoured), POST /api/role-assignments/<id>/revoke/ {"reason"}.
The same access functions, form and services as the 角色管理 page."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import RoleAssignment

from . import roles
from .role_forms import RoleGrantForm
from .role_views import filter_assignments


class RoleAssignmentSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    user_name = serializers.CharField(source="user.display_name", read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True, default=None, allow_null=True)
    community_name = serializers.CharField(source="community.name", read_only=True, default=None,
                                           allow_null=True)

    class Meta:
        model = RoleAssignment
        fields = ["id", "user", "username", "user_name", "role", "role_label", "region", "region_name",
                  "community", "community_name", "created_at"]
        read_only_fields = fields


class RoleGrantSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    role = serializers.CharField(max_length=16)
    region = serializers.IntegerField(required=False, allow_null=True)
    community_code = serializers.CharField(max_length=12, required=False, allow_blank=True)


class RoleRevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=roles.REASON_MAX_LENGTH)


class RoleAssignmentViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = RoleAssignmentSerializer

    def initial(self, request, *args, **kwargs):
        # Every action is the bureau's; the queryset itself is already empty for others.
        super().initial(request, *args, **kwargs)
        roles.require_role_management(request.user)

    def get_queryset(self):
        _form, queryset = filter_assignments(roles.role_assignments_for_user(self.request.user),
                                             self.request.query_params)
        return queryset.order_by("-created_at", "-pk")

    @extend_schema(request=RoleGrantSerializer, responses={201: RoleAssignmentSerializer})
    def create(self, request, *args, **kwargs):
        roles.require_role_management(request.user)
        payload = RoleGrantSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        # The page's form does the lookups (user, region, community in scope) and their messages.
        form = RoleGrantForm({k: ("" if v is None else v) for k, v in payload.validated_data.items()},
                             actor=request.user)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        data = form.cleaned_data
        assignment = roles.role_grant(actor=request.user, user=data["username"], role=data["role"],
                                      region=data["region"], community=data["community_code"])
        return Response(RoleAssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RoleRevokeSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        assignment = roles.get_assignment_for_revoke(request.user, pk)
        payload = RoleRevokeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        roles.role_revoke(actor=request.user, assignment=assignment, reason=payload.validated_data["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)
