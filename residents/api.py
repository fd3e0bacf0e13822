from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from . import access, services
from .models import Resident


class ResidentSerializer(serializers.ModelSerializer):
    """Personal data: only the community's own staff ever reach this serializer
    (residents_for_user decides)."""

    real_name = serializers.CharField(source="user.real_name", max_length=50)
    phone = serializers.CharField(source="user.phone", max_length=20)
    household_number = serializers.CharField(source="household.number", max_length=32)
    address = serializers.CharField(source="household.address", max_length=200, required=False, allow_blank=True)
    courtyard_name = serializers.CharField(source="courtyard.name", max_length=100, required=False, allow_blank=True,
                                           allow_null=True)
    group_name = serializers.CharField(source="group.name", max_length=100, required=False, allow_blank=True,
                                       allow_null=True)
    activated = serializers.SerializerMethodField()

    class Meta:
        model = Resident
        fields = ["id", "community", "real_name", "phone", "household_number", "address", "courtyard_name",
                  "group_name", "is_cadre", "activated"]

    def get_activated(self, obj) -> bool:
        return obj.user.has_usable_password()


class ResidentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      viewsets.GenericViewSet):
    """Residents of the caller's community (community staff only; others see none)."""

    serializer_class = ResidentSerializer
    filterset_fields = ["community", "is_cadre", "group"]

    def get_queryset(self):
        return access.residents_for_user(self.request.user).select_related(
            "user", "household", "courtyard", "group").order_by("community", "household__number", "pk")

    def perform_create(self, serializer):
        data = serializer.validated_data
        community = access.get_community_for_residents(self.request.user, data["community"].pk)
        serializer.instance = services.resident_register(
            actor=self.request.user, community=community, real_name=data["user"]["real_name"],
            phone=data["user"]["phone"], household_number=data["household"]["number"],
            address=data.get("household", {}).get("address", ""),
            courtyard_name=(data.get("courtyard") or {}).get("name") or "",
            group_name=(data.get("group") or {}).get("name") or "", is_cadre=data.get("is_cadre", False))

    @extend_schema(request=None, responses={200: dict})
    @action(detail=True, methods=["post"])
    def invite(self, request, pk=None):
        """A new one-time invite code for the resident (earlier unused ones are revoked)."""
        resident = access.get_resident_for_user(request.user, pk)
        (_resident, code, expires), = services.invites_issue(actor=request.user, residents=[resident])
        return Response({"code": code, "expires_at": expires,
                         "url": request.build_absolute_uri(reverse("residents:join_code", args=[code]))})
