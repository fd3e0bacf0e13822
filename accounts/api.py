from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    organizations = serializers.SerializerMethodField()

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "real_name", "phone", "email", "roles", "organizations"]

    def get_roles(self, user) -> list[dict]:
        return [
            {"role": a.role, "label": a.get_role_display(), "region": a.region_id, "community": a.community_id}
            for a in user.role_assignments.all()
        ]

    def get_organizations(self, user) -> list[dict]:
        return [
            {"id": m.organization_id, "name": m.organization.name, "position": m.position}
            for m in user.memberships.select_related("organization")
        ]


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)

