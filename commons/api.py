"""The commons in the API, read-only here (the ledgers are written through the pages'
services): courtyards with their organisation, compact and accounts; community funds
with their entries. The same access functions as the pages."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from . import access
from .models import CommunityFund, CourtyardEntry, FundEntry


class CourtyardEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = CourtyardEntry
        fields = ["id", "direction", "amount", "voucher", "entry_on", "purpose"]


class CourtyardMemberSerializer(serializers.Serializer):
    name = serializers.CharField()
    role = serializers.CharField()
    joined_on = serializers.DateField()
    left_on = serializers.DateField(allow_null=True)


class BodySerializer(serializers.Serializer):
    name = serializers.CharField()
    members = CourtyardMemberSerializer(many=True, required=False, help_text="Only on the detail.")


class CompactSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    text = serializers.CharField()
    adopted_on = serializers.DateField()
    adopted_by = serializers.CharField()


class CourtyardSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    community = serializers.IntegerField(source="community_id")
    name = serializers.CharField()
    households = serializers.IntegerField()
    body = serializers.SerializerMethodField()
    compact = serializers.SerializerMethodField()
    balance = serializers.SerializerMethodField()

    @extend_schema_field(BodySerializer(allow_null=True))
    def get_body(self, courtyard):
        body = getattr(courtyard, "autonomy_body", None)
        if body is None:
            return None
        return {"name": body.name, "members": [
            {"name": m.name, "role": m.role, "joined_on": m.joined_on, "left_on": m.left_on}
            for m in body.members.all()]} if self.context.get("detail") else {"name": body.name}

    @extend_schema_field(CompactSerializer(allow_null=True))
    def get_compact(self, courtyard):
        latest = courtyard.compact_versions.first() if self.context.get("detail") else None
        return {"number": latest.number, "text": latest.text, "adopted_on": latest.adopted_on,
                "adopted_by": latest.adopted_by} if latest else None

    @extend_schema_field(serializers.DecimalField(max_digits=14, decimal_places=2))
    def get_balance(self, courtyard):
        account = getattr(courtyard, "account", None)
        return str(account.balance) if account else "0.00"


class CourtyardViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CourtyardSerializer
    filterset_fields = ["community"]

    def get_queryset(self):
        return access.courtyards_for_user(self.request.user).select_related("autonomy_body", "account").order_by(
            "community_id", "name")

    def get_object(self):
        return access.get_courtyard_for_user(self.request.user, self.kwargs["pk"])

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "detail": self.action == "retrieve"}


class FundEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = FundEntry
        fields = ["id", "kind", "amount", "donor", "selforg", "reason", "ref", "entry_on"]


class CommunityFundSerializer(serializers.ModelSerializer):
    class Meta:
        model = CommunityFund
        fields = ["id", "community", "income", "granted", "balance"]


class CommunityFundDetailSerializer(CommunityFundSerializer):
    entries = serializers.SerializerMethodField()

    class Meta(CommunityFundSerializer.Meta):
        fields = [*CommunityFundSerializer.Meta.fields, "entries"]

    @extend_schema_field(FundEntrySerializer(many=True))
    def get_entries(self, fund):
        return FundEntrySerializer(fund.entries.order_by("-entry_on", "-pk")[:200], many=True).data


class CommunityFundViewSet(viewsets.ReadOnlyModelViewSet):
    filterset_fields = ["community"]

    def get_serializer_class(self):
        return CommunityFundDetailSerializer if self.action == "retrieve" else CommunityFundSerializer

    def get_queryset(self):
        return access.community_funds_for_user(self.request.user).order_by("community_id")

    def get_object(self):
        return access.get_community_fund_for_user(self.request.user, self.kwargs["pk"])
