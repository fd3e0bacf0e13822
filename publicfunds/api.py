"""The public-service fund in the API: the same access functions and services as the pages."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from places.access import communities_for_user
from workflow.api import ActionsField, DetailActionsMixin

from . import access, selectors, services
from .models import Collection, FundItem, Option, YearFund
from .workflows import STEPS

STEP_NAMES = "|".join(step[0] for step in STEPS)


class FundSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    actions = ActionsField()

    class Meta:
        model = YearFund
        fields = ["id", "community", "year", "status", "status_label", "allocated", "calculation", "override",
                  "override_reason", "amount", "spent", "balance", "notice_from", "notice_until", "publicised_on",
                  "publicity_days", "decision", "actions"]
        read_only_fields = [f for f in fields if f not in ("community", "year")]


class FundOverrideSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0"),
                                      max_value=Decimal("9999999999"))
    reason = serializers.CharField(max_length=500)


class FundViewSet(DetailActionsMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = FundSerializer
    filterset_fields = ["community", "year", "status"]

    def get_queryset(self):
        return access.funds_for_user(self.request.user).order_by("-year", "community_id")

    def get_object(self):
        return access.get_fund_for_user(self.request.user, self.kwargs["pk"])

    def perform_create(self, serializer):
        data = serializer.validated_data
        community = communities_for_user(self.request.user).select_related("street").filter(
            pk=data["community"].pk).first()
        if community is None:
            raise ValidationError({"community": _("未找到该社区，或不在您的范围内。")})
        serializer.instance = services.fund_open(actor=self.request.user, community=community, year=data["year"])

    def _done(self, fund):
        return Response(self.get_serializer(access.get_fund_for_user(self.request.user, fund.pk)).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], url_path=f"step/(?P<step>{STEP_NAMES})")
    def step(self, request, pk=None, step=None):
        fund = self.get_object()
        services.fund_step(actor=request.user, fund=fund, name=step, reason=str(request.data.get("reason", ""))[:500])
        return self._done(fund)

    @extend_schema(request=FundOverrideSerializer)
    @action(detail=True, methods=["post"])
    def override(self, request, pk=None):
        fund = self.get_object()
        if not access.can_override(request.user, fund.community):
            raise PermissionDenied(_("只有区（市）民政部门可以核定公共服务资金金额。"))
        body = FundOverrideSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.fund_override(actor=request.user, fund=fund, **body.validated_data)
        return self._done(fund)


class FundOptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Option
        fields = ["id", "title", "estimate"]


class FundCollectionSerializer(serializers.ModelSerializer):
    options = FundOptionSerializer(many=True, read_only=True)
    turnout = serializers.SerializerMethodField()

    class Meta:
        model = Collection
        fields = ["id", "fund", "title", "opens_on", "closes_on", "closed_at", "options", "turnout"]

    def get_turnout(self, obj) -> dict | None:
        if self.context.get("view") is None or self.context["view"].action == "list":
            return None
        t = selectors.turnout(obj)
        return {"voted": t.voted, "households": t.households, "percent": str(t.percent)}


class HouseholdVoteSerializer(serializers.Serializer):
    option = serializers.IntegerField()
    household_number = serializers.CharField(max_length=32, required=False)


class CollectionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = FundCollectionSerializer
    filterset_fields = ["fund"]

    def get_queryset(self):
        return access.collections_for_user(self.request.user).prefetch_related("options").order_by("-opens_on")

    def get_object(self):
        return access.get_collection_for_user(self.request.user, self.kwargs["pk"])

    def _body(self, request, collection):
        body = HouseholdVoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        option = collection.options.filter(pk=body.validated_data["option"]).first()
        if option is None:
            raise ValidationError({"option": _("请选择一个候选项目。")})
        return body.validated_data, option

    @extend_schema(request=HouseholdVoteSerializer)
    @action(detail=True, methods=["post"])
    def vote(self, request, pk=None):
        """A registered member votes for their household."""
        collection = self.get_object()
        _data, option = self._body(request, collection)
        services.vote_cast(actor=request.user, collection=collection, option=option)
        return Response({"detail": _("投票成功。")}, status=status.HTTP_201_CREATED)

    @extend_schema(request=HouseholdVoteSerializer)
    @action(detail=True, methods=["post"])
    def paper(self, request, pk=None):
        """Staff enter a paper form by household number."""
        collection = self.get_object()
        if not access.can_keep(request.user, collection.fund.community_id):
            raise PermissionDenied(_("只有本社区工作人员可以录入纸质意见表。"))
        data, option = self._body(request, collection)
        services.vote_enter_paper(actor=request.user, collection=collection,
                                  household_number=data.get("household_number", ""), option=option)
        return Response({"detail": _("已录入。")}, status=status.HTTP_201_CREATED)


class FundItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = FundItem
        fields = ["id", "fund", "title", "use", "option", "project", "budget", "spent"]


class FundSpendSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"),
                                      max_value=Decimal("9999999999"))
    voucher = serializers.CharField(max_length=40)
    spent_on = serializers.DateField()
    purpose = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class FundItemViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = FundItemSerializer
    filterset_fields = ["fund", "use"]

    def get_queryset(self):
        return access.items_for_user(self.request.user).order_by("pk")

    def get_object(self):
        return access.get_item_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(request=FundSpendSerializer)
    @action(detail=True, methods=["post"])
    def spend(self, request, pk=None):
        item = self.get_object()
        if not access.can_keep(request.user, item.fund.community_id):
            raise PermissionDenied(_("只有本社区工作人员可以记账。"))
        body = FundSpendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.spend(actor=request.user, item=item, **body.validated_data)
        return Response(self.get_serializer(access.get_item_for_user(request.user, item.pk)).data,
                        status=status.HTTP_201_CREATED)
