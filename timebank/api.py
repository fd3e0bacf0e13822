"""The time bank in the API: the same access functions and services as the pages."""

import django_filters
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from places.models import Community, Courtyard
from workflow.api import ActionsField, DetailActionsMixin

from . import access, ledger, selectors, services
from .models import Account, Entry, Need, Redemption, Resource, Reward, Task
from .workflows import need_machine, task_machine


class TransitionSerializer(serializers.Serializer):
    action = serializers.CharField(max_length=32)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


def _community_field():
    return serializers.PrimaryKeyRelatedField(queryset=Community.objects.all())


class NeedSerializer(serializers.ModelSerializer):
    community = _community_field()
    courtyard = serializers.PrimaryKeyRelatedField(queryset=Courtyard.objects.all(), required=False, allow_null=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    actions = ActionsField()

    class Meta:
        model = Need
        fields = ["id", "community", "courtyard", "title", "description", "category", "urgency", "beneficiaries",
                  "beneficiary_count", "source", "status", "status_label", "created_at", "actions"]
        read_only_fields = ["status", "created_at"]
        extra_kwargs = {"beneficiary_count": {"min_value": 1, "max_value": 100000}}


class NeedFilter(django_filters.FilterSet):
    class Meta:
        model = Need
        fields = ["community", "status", "category", "urgency"]


def _check_community(user, community):
    if not access.timebank_communities_for_user(user).filter(pk=community.pk).exists():
        raise serializers.ValidationError({"community": _("未找到该社区，或不在您的范围内。")})


class NeedViewSet(DetailActionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                  viewsets.GenericViewSet):
    """需求清单. `transition` fires match / unmatch / meet / close."""

    serializer_class = NeedSerializer
    filterset_class = NeedFilter

    def get_queryset(self):
        return access.needs_for_user(self.request.user).select_related("community").order_by("-created_at", "-pk")

    def get_object(self):
        return access.get_need_for_user(self.request.user, self.kwargs["pk"])

    def perform_create(self, serializer):
        _check_community(self.request.user, serializer.validated_data["community"])
        serializer.instance = services.need_create(actor=self.request.user, **serializer.validated_data)

    @extend_schema(request=TransitionSerializer, responses=NeedSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        need = self.get_object()
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if data.validated_data["action"] not in need_machine.by_name:
            raise serializers.ValidationError({"action": _("未知的操作。")})
        need = services.need_step(need=need, actor=request.user, name=data.validated_data["action"],
                                  reason=data.validated_data["reason"])
        return Response(self.get_serializer(need).data)


class ResourceSerializer(serializers.ModelSerializer):
    community = _community_field()
    courtyard = serializers.PrimaryKeyRelatedField(queryset=Courtyard.objects.all(), required=False, allow_null=True)
    provider = serializers.CharField(read_only=True)

    class Meta:
        model = Resource
        fields = ["id", "community", "courtyard", "title", "kind", "category", "description", "availability",
                  "organization", "provider", "is_active"]
        read_only_fields = ["is_active"]


class ResourceViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """资源清单. Without `organization` the caller offers it as a resident."""

    serializer_class = ResourceSerializer
    filterset_fields = ["community", "kind", "category"]

    def get_queryset(self):
        return access.resources_for_user(self.request.user).select_related("organization", "resident__user")

    def perform_create(self, serializer):
        _check_community(self.request.user, serializer.validated_data["community"])
        data = dict(serializer.validated_data)
        resident = None if data.get("organization") else access.resident_of(self.request.user)
        serializer.instance = services.resource_create(actor=self.request.user, resident=resident, **data)


class TaskSerializer(serializers.ModelSerializer):
    community = _community_field()
    courtyard = serializers.PrimaryKeyRelatedField(queryset=Courtyard.objects.all(), required=False, allow_null=True)
    needs = serializers.PrimaryKeyRelatedField(queryset=Need.objects.all(), many=True, required=False)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    points = serializers.IntegerField(min_value=1, max_value=10000, required=False)
    actions = ActionsField()

    class Meta:
        model = Task
        fields = ["id", "community", "courtyard", "title", "description", "place", "starts_at", "hours", "slots",
                  "points", "needs", "publisher_organization", "team", "status", "status_label", "actions"]
        read_only_fields = ["status", "publisher_organization"]
        extra_kwargs = {"slots": {"min_value": 1, "max_value": 1000}}


class TaskRespondSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class CheckinSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=500)


class TaskViewSet(DetailActionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                  viewsets.GenericViewSet):
    """任务清单. Merchants `respond`; volunteers `checkin` with the token from the QR code."""

    serializer_class = TaskSerializer
    filterset_fields = ["community", "status"]

    def get_queryset(self):
        return access.tasks_for_user(self.request.user).prefetch_related("needs")

    def get_object(self):
        return access.get_task_for_user(self.request.user, self.kwargs["pk"])

    def perform_create(self, serializer):
        _check_community(self.request.user, serializer.validated_data["community"])
        serializer.instance = services.task_create(actor=self.request.user, **serializer.validated_data)

    @extend_schema(request=TransitionSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        task = self.get_object()
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if data.validated_data["action"] not in task_machine.by_name:
            raise serializers.ValidationError({"action": _("未知的操作。")})
        task = services.task_step(task=task, actor=request.user, name=data.validated_data["action"],
                                  reason=data.validated_data["reason"])
        return Response(self.get_serializer(task).data)

    @extend_schema(request=TaskRespondSerializer, responses=None)
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        task = self.get_object()
        data = TaskRespondSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        response = services.task_respond(task=task, actor=request.user, note=data.validated_data["note"])
        return Response({"id": response.pk, "organization": response.organization_id}, status=status.HTTP_201_CREATED)

    @extend_schema(request=CheckinSerializer, responses=None)
    @action(detail=True, methods=["post"])
    def checkin(self, request, pk=None):
        task = self.get_object()
        data = CheckinSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.checkin_scan(task=task, actor=request.user, token=data.validated_data["token"])
        return Response({"id": item.pk, "confirmed": False}, status=status.HTTP_201_CREATED)


class RewardSerializer(serializers.ModelSerializer):
    merchant = serializers.CharField(source="partner.organization.name", read_only=True)

    class Meta:
        model = Reward
        fields = ["id", "merchant", "name", "description", "points", "stock"]


class RedemptionSerializer(serializers.ModelSerializer):
    reward_name = serializers.CharField(source="reward.name", read_only=True)
    code = serializers.SerializerMethodField()
    actions = ActionsField()

    class Meta:
        model = Redemption
        fields = ["id", "reward", "reward_name", "points", "code", "status", "created_at", "confirmed_at", "actions"]

    def get_code(self, obj) -> str:
        # The code is the resident's to show; the merchant types it, never reads it here.
        request = self.context.get("request")
        return obj.code if request and obj.resident.user_id == request.user.pk else ""


class RewardViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """兑换目录. `redeem` returns the redemption with its one-time code."""

    serializer_class = RewardSerializer

    def get_queryset(self):
        return (access.rewards_for_user(self.request.user).filter(is_active=True, partner__is_active=True)
                .select_related("partner__organization"))

    @extend_schema(request=None, responses=RedemptionSerializer)
    @action(detail=True, methods=["post"])
    def redeem(self, request, pk=None):
        reward = access.get_reward_for_user(request.user, pk)
        redemption = services.redemption_request(actor=request.user, reward=reward)
        return Response(RedemptionSerializer(redemption, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class CodeSerializer(serializers.Serializer):
    code = serializers.RegexField(r"^\d{8}$", max_length=8,
                                  error_messages={"invalid": gettext_lazy("核销码为 8 位数字。")})


class RedemptionViewSet(DetailActionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        viewsets.GenericViewSet):
    """A resident's own redemptions, a merchant's, or those in a staff member's scope.
    Merchants `confirm` by code."""

    serializer_class = RedemptionSerializer

    def get_queryset(self):
        return access.redemptions_for_user(self.request.user).select_related("reward", "resident")

    def get_object(self):
        return access.get_redemption_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(request=CodeSerializer, responses=RedemptionSerializer)
    @action(detail=False, methods=["post"])
    def confirm(self, request):
        if not access.merchant_org_ids(request.user):
            raise PermissionDenied(_("只有合作商家的工作人员可以核销。"))
        data = CodeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        redemption = services.redemption_confirm(actor=request.user, code=data.validated_data["code"])
        return Response(self.get_serializer(redemption).data)

    @extend_schema(request=None, responses=RedemptionSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        redemption = self.get_object()
        redemption = services.redemption_cancel(redemption=redemption, actor=request.user)
        return Response(self.get_serializer(redemption).data)


class EntrySerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    signed_amount = serializers.SerializerMethodField()

    class Meta:
        model = Entry
        fields = ["id", "kind", "kind_label", "amount", "signed_amount", "memo", "created_at", "reverses"]

    def get_signed_amount(self, obj) -> int:
        return selectors.signed_amount(obj, self.context["account"])


class AccountSerializer(serializers.ModelSerializer):
    class Meta:
        model = Account
        fields = ["id", "community", "kind", "balance"]


class AccountViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Points accounts: a resident sees their own, a merchant its own, staff those in scope."""

    serializer_class = AccountSerializer
    filterset_fields = ["community", "kind"]

    def get_queryset(self):
        return access.accounts_for_user(self.request.user).order_by("community", "kind", "pk")

    def list(self, request, *args, **kwargs):
        resident = access.resident_of(request.user)
        if resident is not None:
            ledger.resident_account(resident)  # a resident always has an account to look at
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=EntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def entries(self, request, pk=None):
        account = self.get_object()
        page = self.paginate_queryset(selectors.history_for_account(account))
        serializer = EntrySerializer(page, many=True, context={"account": account, "request": request})
        return self.get_paginated_response(serializer.data)



