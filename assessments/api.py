"""REST API for rubrics (read), evaluations, sheets and scores, consolidation, feedback
and answers: the same access functions and services as the pages."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.models import User
from projects.access import get_project_for_finance
from projects.models import Project
from workflow.api import ActionsField, DetailActionsMixin

from . import access, services
from .models import Evaluation, EvaluatorSheet, FeedbackPoint, Grade, Indicator, Rubric, RubricCategory, Score


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "code", "name", "description", "evidence", "max_score", "levels"]


class CategorySerializer(serializers.ModelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = RubricCategory
        fields = ["id", "code", "name", "weight", "indicators"]


class RubricSerializer(serializers.ModelSerializer):
    categories = CategorySerializer(many=True, read_only=True)

    class Meta:
        model = Rubric
        fields = ["id", "name", "version", "status", "note", "grade_bands", "spread_threshold", "categories"]


class RubricViewSet(DetailActionsMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = RubricSerializer

    def get_queryset(self):
        return access.rubrics_for_user(self.request.user).prefetch_related("categories__indicators").order_by("pk")


class EvaluationSerializer(serializers.ModelSerializer):
    """Total and grade are null to whoever may not see the result yet (assessments.access)."""
    actions = ActionsField()
    grade = serializers.ChoiceField(choices=Grade.choices, allow_blank=True, allow_null=True, read_only=True)

    def to_representation(self, evaluation):
        data = super().to_representation(evaluation)
        request = self.context.get("request")
        if request is not None and not access.can_see_results(request.user, evaluation):
            data["total"] = data["grade"] = None
        return data
    class Meta:
        model = Evaluation
        fields = ["id", "project", "rubric", "stage", "status", "scheduled_on", "place", "lead_evaluator", "total",
                  "grade", "feedback", "published_at", "decision", "decision_reason", "actions"]
        read_only_fields = fields


class EvaluationCreateSerializer(serializers.Serializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all())
    stage = serializers.ChoiceField(choices=Evaluation.Stage.choices)
    scheduled_on = serializers.DateField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    evaluators = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True, allow_empty=False)
    rubric = serializers.PrimaryKeyRelatedField(queryset=Rubric.objects.all(), required=False, allow_null=True)
    lead_evaluator = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False,
                                                        allow_null=True)


class FeedbackSerializer(serializers.ModelSerializer):
    class Meta:
        model = FeedbackPoint
        fields = ["id", "kind", "text", "answer", "answered_at", "rectification"]
        read_only_fields = ["answer", "answered_at", "rectification"]


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=5000)


class PublishSerializer(serializers.Serializer):
    feedback = serializers.CharField(max_length=5000)


class UnpublishSerializer(serializers.Serializer):
    reason = serializers.CharField(label=gettext_lazy("撤回原因"), max_length=2000)


class EvaluationViewSet(DetailActionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = EvaluationSerializer
    filterset_fields = ["project", "stage", "status", "grade"]
    # Never total or grade: an ordering on a hidden result would reveal it.
    ordering_fields = ["scheduled_on", "id", "published_at"]

    def get_queryset(self):
        return access.evaluations_for_user(self.request.user).select_related("project__round").order_by(
            "-scheduled_on", "-pk")

    def filter_queryset(self, queryset):
        # Filtering by grade on results the caller may not see would reveal them: 400, not applied.
        # Checked before the filter runs, so the answer can't depend on a hidden grade.
        if self.action == "list" and "grade" in self.request.query_params and queryset.exclude(
                access.results_visible_q(self.request.user)).exists():
            raise serializers.ValidationError({"grade": [_("评估结果公布前，只有资助方可以按等级筛选。")]})
        return super().filter_queryset(queryset)

    def get_object(self):
        return access.get_evaluation_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(request=EvaluationCreateSerializer, responses=EvaluationSerializer)
    def create(self, request):
        payload = EvaluationCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        project = get_project_for_finance(request.user, data.pop("project").pk)
        evaluation = services.evaluation_create(project=project, actor=request.user, **data)
        return Response(
            EvaluationSerializer(evaluation, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=None, responses={200: dict})
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        """Consolidated scores: per indicator mean and spread, category subtotals, total, grade."""
        evaluation = self.get_object()
        if not access.can_see_results(request.user, evaluation):
            raise PermissionDenied(_("评分汇总尚未对您开放。"))
        result = services.consolidate(evaluation)
        return Response({
            "complete": result["complete"], "total": _num(result["total"]), "grade": result["grade"],
            "flagged": result["flagged"],
            "categories": [{
                "code": c["category"].code, "name": c["category"].name, "subtotal": _num(c["subtotal"]),
                "indicators": [{"code": r["indicator"].code, "mean": _num(r["mean"]), "spread": _num(r["spread"]),
                                "flag": r["flag"]} for r in c["rows"]],
            } for c in result["categories"]],
        })

    @extend_schema(request=None, responses=EvaluationSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        evaluation = access.get_evaluation_for_feedback(request.user, pk)
        return Response(
            EvaluationSerializer(
                services.evaluation_close_scoring(evaluation=evaluation, actor=request.user),
                context=self.get_serializer_context(),
            ).data
        )

    @extend_schema(request=FeedbackSerializer, responses=FeedbackSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def feedback(self, request, pk=None):
        evaluation = self.get_object()
        if request.method == "POST":
            evaluation = access.get_evaluation_for_feedback(request.user, pk)
            payload = FeedbackSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            services.feedback_add(evaluation=evaluation, actor=request.user, **payload.validated_data)
        elif evaluation.status == Evaluation.Status.SCORING and not access.can_write_feedback(request.user,
                                                                                              evaluation):
            return Response([])
        return Response(FeedbackSerializer(evaluation.feedback_points.all(), many=True).data)

    @extend_schema(request=PublishSerializer, responses=EvaluationSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        evaluation = access.get_evaluation_for_management(request.user, pk)
        payload = PublishSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return Response(
            EvaluationSerializer(
                services.evaluation_publish(evaluation=evaluation, actor=request.user, **payload.validated_data),
                context=self.get_serializer_context(),
            ).data
        )

    @extend_schema(request=UnpublishSerializer, responses=EvaluationSerializer)
    @action(detail=True, methods=["post"])
    def unpublish(self, request, pk=None):
        """撤回发布 (with a reason)."""
        evaluation = access.get_evaluation_for_management(request.user, pk)
        payload = UnpublishSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        evaluation = services.evaluation_unpublish(evaluation=evaluation, actor=request.user,
                                                   **payload.validated_data)
        return Response(EvaluationSerializer(evaluation, context=self.get_serializer_context()).data)


def _num(value):
    return None if value is None else str(value.quantize(Decimal("0.01")))


class FeedbackViewSet(DetailActionsMixin, viewsets.GenericViewSet):
    serializer_class = FeedbackSerializer

    def get_queryset(self):
        return FeedbackPoint.objects.filter(evaluation__in=access.evaluations_for_user(self.request.user))

    @extend_schema(request=AnswerSerializer, responses=FeedbackSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        point = self.get_object()
        if not access.is_project_agency(request.user, point.evaluation):
            raise PermissionDenied(_("只有执行机构的工作人员可以回应反馈。"))
        payload = AnswerSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return Response(FeedbackSerializer(services.feedback_answer(point=point, actor=request.user,
                                                                    **payload.validated_data)).data)


class EvaluationScoreSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="indicator.code", read_only=True)
    max_score = serializers.DecimalField(source="indicator.max_score", max_digits=5, decimal_places=2,
                                         read_only=True)

    class Meta:
        model = Score
        fields = ["indicator", "code", "max_score", "score", "evidence", "comment"]


class EvaluationSheetSerializer(serializers.ModelSerializer):
    actions = ActionsField()
    scores = EvaluationScoreSerializer(many=True, read_only=True)

    class Meta:
        model = EvaluatorSheet
        fields = ["id", "evaluation", "evaluator", "kind", "status", "total", "submitted_at", "scores", "actions"]
        read_only_fields = fields


class EvaluationScoreInputSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True, required=False)
    evidence = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class EvaluationSheetInputSerializer(serializers.Serializer):
    scores = EvaluationScoreInputSerializer(many=True)


class SheetViewSet(DetailActionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Evaluator sheets under the independence rule of assessments.access.sheets_for_user."""

    serializer_class = EvaluationSheetSerializer
    filterset_fields = ["evaluation", "kind", "status"]

    def get_queryset(self):
        return access.sheets_for_user(self.request.user).prefetch_related("scores__indicator").order_by("pk")

    def _own(self, pk) -> EvaluatorSheet:
        sheet = self.get_object()
        if sheet.evaluator_id != self.request.user.pk:
            raise PermissionDenied(_("只能填写自己的评估表。"))
        return sheet

    @extend_schema(request=EvaluationSheetInputSerializer, responses=EvaluationSheetSerializer)
    def partial_update(self, request, pk=None):
        sheet = self._own(pk)
        payload = EvaluationSheetInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        scores = {row.pop("indicator"): row for row in payload.validated_data["scores"]}
        services.sheet_save(sheet=sheet, actor=request.user, scores=scores)
        return Response(EvaluationSheetSerializer(self.get_queryset().get(pk=sheet.pk)).data)

    @extend_schema(request=None, responses=EvaluationSheetSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        sheet = self._own(pk)
        services.sheet_submit(sheet=sheet, actor=request.user)
        return Response(EvaluationSheetSerializer(self.get_queryset().get(pk=sheet.pk)).data)
