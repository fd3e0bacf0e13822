"""The commons in the API: courtyards with their organisation, compact, activities and
accounts; community funds with their ledger. What the pages keep, the API keeps too, with
the same access functions (out of scope 404, read-only 403) and the same services, which
hold every rule; the serializers below only read the types. Creates answer 201 and, like
every API create, are made once per `Idempotency-Key`."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from . import access, services
from .forms import MONEY  # the pages' bounds on an amount, for DRF's DecimalField too
from .models import CommunityFund, CourtyardActivity, CourtyardEntry, CourtyardMember, FundEntry


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


class BodyInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    founded_on = serializers.DateField(required=False, allow_null=True, default=None)
    rules = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class CourtyardMemberInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    role = serializers.ChoiceField(choices=CourtyardMember.Role.choices)
    joined_on = serializers.DateField()


class CourtyardMemberRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = CourtyardMember
        fields = ["id", "name", "role", "joined_on", "left_on"]


class CompactInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=10000)
    adopted_on = serializers.DateField()
    adopted_by = serializers.CharField(max_length=100)


class CompactVersionSerializer(CompactSerializer):
    id = serializers.IntegerField()


class CourtyardActivityInputSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    title = serializers.CharField(max_length=200)
    participants = serializers.IntegerField(min_value=0, max_value=100000)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    photo = serializers.FileField(required=False, allow_null=True, default=None,
                                  help_text="JPEG, PNG or WebP, as multipart/form-data; checked by its content.")


class CourtyardActivitySerializer(serializers.ModelSerializer):
    has_photo = serializers.SerializerMethodField()

    class Meta:
        model = CourtyardActivity
        fields = ["id", "held_on", "title", "participants", "description", "has_photo"]

    def get_has_photo(self, activity) -> bool:
        return bool(activity.photo)


class EntryInputSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=CourtyardEntry.Direction.choices)
    amount = serializers.DecimalField(**MONEY)
    voucher = serializers.CharField(max_length=40)
    entry_on = serializers.DateField()
    purpose = serializers.CharField(max_length=200)


def _read(serializer_class, request) -> dict:
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    return body.validated_data


class CourtyardViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CourtyardSerializer
    filterset_fields = ["community"]

    def get_queryset(self):
        return access.courtyards_for_user(self.request.user).select_related("autonomy_body", "account").order_by(
            "community_id", "name")

    def get_object(self):
        return access.get_courtyard_for_user(self.request.user, self.kwargs["pk"])

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "detail": self.action in {"retrieve", "body"}}

    def _keeping(self):
        return access.get_courtyard_for_keeping(self.request.user, self.kwargs["pk"])

    def _record(self, service, given, answer):
        """Keeper first (404/403), then what was posted (400), then the service; 201 with
        what it recorded."""
        courtyard = self._keeping()
        made = service(actor=self.request.user, courtyard=courtyard, **_read(given, self.request))
        return Response(answer(made).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=BodyInputSerializer, responses=CourtyardSerializer)
    @action(detail=True, methods=["post"])
    def body(self, request, pk=None):
        """Register or correct the courtyard's autonomy organisation."""
        courtyard = self._keeping()
        services.body_save(actor=request.user, courtyard=courtyard, **_read(BodyInputSerializer, request))
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=CourtyardMemberInputSerializer, responses={201: CourtyardMemberRowSerializer})
    @action(detail=True, methods=["post"])
    def members(self, request, pk=None):
        return self._record(services.member_add, CourtyardMemberInputSerializer, CourtyardMemberRowSerializer)

    @extend_schema(request=None, responses=CourtyardMemberRowSerializer)
    @action(detail=True, methods=["post"], url_path=r"members/(?P<member_pk>[0-9]+)/leave")
    def member_leave(self, request, pk=None, member_pk=None):
        """A member leaves today; the row stays in the organisation's history."""
        courtyard = access.get_courtyard_for_user(request.user, pk)
        member = access.get_member_for_keeping(request.user, member_pk)
        if member.body.courtyard_id != courtyard.pk:
            raise Http404(_("未找到该成员，或不在您的范围内。"))
        return Response(CourtyardMemberRowSerializer(services.member_leave(actor=request.user, member=member)).data)

    @extend_schema(request=CompactInputSerializer, responses={201: CompactVersionSerializer})
    @action(detail=True, methods=["post"])
    def compact(self, request, pk=None):
        """A newly adopted compact: a new version, the earlier ones kept as they were."""
        return self._record(services.compact_adopt, CompactInputSerializer, CompactVersionSerializer)

    @extend_schema(request=CourtyardActivityInputSerializer, responses={201: CourtyardActivitySerializer})
    @action(detail=True, methods=["post"])
    def activities(self, request, pk=None):
        return self._record(services.activity_add, CourtyardActivityInputSerializer, CourtyardActivitySerializer)

    @extend_schema(request=EntryInputSerializer, responses={201: CourtyardEntrySerializer})
    @action(detail=True, methods=["post"])
    def entries(self, request, pk=None):
        """An income or an expense in the courtyard's public accounts."""
        return self._record(services.courtyard_entry, EntryInputSerializer, CourtyardEntrySerializer)


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


class DonationInputSerializer(serializers.Serializer):
    community = serializers.IntegerField(min_value=1, max_value=2**31 - 1,
                                         help_text="The community whose fund receives it (opened by its first one).")
    donor = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="A social enterprise.")
    amount = serializers.DecimalField(**MONEY)
    entry_on = serializers.DateField()
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class GrantInputSerializer(serializers.Serializer):
    selforg = serializers.IntegerField(min_value=1, max_value=2**31 - 1,
                                       help_text="A self-organisation of the fund's community.")
    amount = serializers.DecimalField(**MONEY)
    purpose = serializers.CharField(max_length=200)
    entry_on = serializers.DateField(required=False, allow_null=True, default=None)


def _choice(queryset, pk, field: str, message: str):
    """One of the rows a keeper may pick (the same lists as the pages' select boxes)."""
    row = queryset.filter(pk=pk).first()
    if row is None:
        raise serializers.ValidationError({field: [message]})
    return row


class CommunityFundViewSet(viewsets.ReadOnlyModelViewSet):
    filterset_fields = ["community"]

    def get_serializer_class(self):
        return CommunityFundDetailSerializer if self.action == "retrieve" else CommunityFundSerializer

    def get_queryset(self):
        return access.community_funds_for_user(self.request.user).order_by("community_id")

    def get_object(self):
        return access.get_community_fund_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(request=DonationInputSerializer, responses={201: FundEntrySerializer})
    @action(detail=False, methods=["post"])
    def donations(self, request):
        """A social enterprise's surplus given to a community's fund."""
        if not access.keeper_communities(request.user).exists():
            raise PermissionDenied(access.NOT_KEEPER)
        data = _read(DonationInputSerializer, request)
        community = access.get_community_for_fund_keeping(request.user, data.pop("community"))
        donor = _choice(access.donors_for(community), data.pop("donor"), "donor",
                        _("请选择本社区、本区或未限定地域的社会企业。"))
        entry = services.donation_record(actor=request.user, community=community, donor=donor, **data)
        return Response(FundEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=GrantInputSerializer, responses={201: FundEntrySerializer})
    @action(detail=True, methods=["post"])
    def grants(self, request, pk=None):
        """The fund pays for one of its community's self-organisations; refused when short."""
        fund = self.get_object()
        access.require_keeper(request.user, fund.community_id)
        data = _read(GrantInputSerializer, request)
        selforg = _choice(access.grantees_for(fund.community_id), data.pop("selforg"), "selforg",
                          _("只能资助本社区的居民自组织。"))
        entry = services.grant_make(actor=request.user, fund=fund, selforg=selforg, **data)
        return Response(FundEntrySerializer(entry).data, status=status.HTTP_201_CREATED)
