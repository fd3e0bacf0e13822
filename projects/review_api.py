"""REST API for review sheets: an expert's scores, saved and submitted through the same
access functions and services as the pages."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from workflow.api import ActionsField, DetailActionsMixin

from . import access, selectors, services
from .models import (
    ReviewScore,
    ReviewSheet,
)


class ScoreSerializer(serializers.ModelSerializer):
    criterion_code = serializers.CharField(source="criterion.code", read_only=True)
    criterion_name = serializers.CharField(source="criterion.name", read_only=True)
    max_score = serializers.IntegerField(source="criterion.max_score", read_only=True)
    weight = serializers.DecimalField(source="criterion.weight", max_digits=5, decimal_places=2, read_only=True)

    class Meta:
        model = ReviewScore
        fields = ["criterion", "criterion_code", "criterion_name", "max_score", "weight", "score", "comment"]


class ReviewSheetSerializer(serializers.ModelSerializer):
    actions = ActionsField()
    scores = ScoreSerializer(many=True, read_only=True)

    class Meta:
        model = ReviewSheet
        fields = ["id", "application", "reviewer", "form", "status", "recommendation", "comment", "total",
                  "submitted_at", "scores", "actions"]
        read_only_fields = ["application", "reviewer", "form", "status", "total", "submitted_at"]


class ScoreInputSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class SheetInputSerializer(serializers.Serializer):
    scores = ScoreInputSerializer(many=True, required=False, default=list)
    recommendation = serializers.ChoiceField(choices=ReviewSheet.Recommendation.choices, required=False,
                                             allow_blank=True)
    comment = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class ReviewSheetViewSet(DetailActionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Review sheets under the independence rule of projects.access.sheets_for_user."""

    serializer_class = ReviewSheetSerializer
    filterset_fields = ["application", "status"]

    def get_queryset(self):
        return selectors._with_scores_prefetched(access.sheets_for_user(self.request.user)).order_by("pk")

    def _own(self, pk) -> ReviewSheet:
        sheet = self.get_queryset().filter(pk=pk).first()
        if sheet is None:
            raise Http404
        if sheet.reviewer_id != self.request.user.pk:
            raise PermissionDenied(_("只能填写分配给自己的评审表。"))
        return sheet

    @extend_schema(request=SheetInputSerializer, responses=ReviewSheetSerializer)
    def partial_update(self, request, pk=None):
        sheet = self._own(pk)
        payload = SheetInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        scores = {row["criterion"]: (row["score"], row["comment"]) for row in data["scores"]}
        existing = {s.criterion_id: (s.score, s.comment) for s in sheet.scores.all()}
        services.review_save(sheet=sheet, actor=request.user, scores={**existing, **scores},
                             recommendation=data.get("recommendation", sheet.recommendation),
                             comment=data.get("comment", sheet.comment))
        return Response(ReviewSheetSerializer(self.get_queryset().get(pk=sheet.pk)).data)

    @extend_schema(request=None, responses=ReviewSheetSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        sheet = self._own(pk)
        services.review_submit(sheet=sheet, actor=request.user)
        return Response(ReviewSheetSerializer(self.get_queryset().get(pk=sheet.pk)).data)
