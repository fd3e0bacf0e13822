from django.contrib import admin

from web.admin import NoDeleteAdmin

from .models import Evaluation, EvaluatorSheet, FeedbackPoint, Indicator, Rubric, RubricCategory, Score


class FrozenWhenUsed:
    """A rubric an evaluation used is frozen: load a new version instead (load_rubric)."""

    def _rubric(self, obj):
        return obj

    def has_change_permission(self, request, obj=None):
        rubric = self._rubric(obj) if obj else None
        return super().has_change_permission(request, obj) and not (rubric and rubric.is_in_use)

    def has_delete_permission(self, request, obj=None):
        rubric = self._rubric(obj) if obj else None
        return super().has_delete_permission(request, obj) and not (rubric and rubric.is_in_use)


class CategoryInline(admin.TabularInline):
    model = RubricCategory
    extra = 0


@admin.register(Rubric)
class RubricAdmin(FrozenWhenUsed, admin.ModelAdmin):
    list_display = ("name", "version", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("name",)
    inlines = [CategoryInline]


@admin.register(Indicator)
class IndicatorAdmin(FrozenWhenUsed, admin.ModelAdmin):
    raw_id_fields = ("category",)
    list_display = ("code", "name", "category", "max_score")
    list_filter = ("category__rubric",)
    search_fields = ("code", "name")
    list_select_related = ("category__rubric",)

    def _rubric(self, obj):
        return obj.category.rubric


class FeedbackInline(admin.TabularInline):
    model = FeedbackPoint
    extra = 0
    readonly_fields = ("answered_by", "answered_at", "rectification")


@admin.register(Evaluation)
class EvaluationAdmin(NoDeleteAdmin, admin.ModelAdmin):
    raw_id_fields = ("project", "lead_evaluator", "created_by")
    list_display = ("project", "stage", "scheduled_on", "status", "total", "grade", "decision")
    list_filter = ("status", "stage", "grade", "decision")
    search_fields = ("project__title",)
    list_select_related = ("project",)
    readonly_fields = ("rubric", "status", "total", "grade", "published_at", "decision", "decided_by")
    inlines = [FeedbackInline]


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0
    readonly_fields = ("indicator", "score", "evidence", "comment")
    can_delete = False


@admin.register(EvaluatorSheet)
class EvaluatorSheetAdmin(admin.ModelAdmin):
    raw_id_fields = ("evaluation", "evaluator")
    list_display = ("evaluation", "evaluator", "kind", "status", "total", "submitted_at")
    list_filter = ("kind", "status")
    search_fields = ("evaluation__project__title", "evaluator__username")
    list_select_related = ("evaluation__project", "evaluator")
    readonly_fields = ("status", "total", "submitted_at")
    inlines = [ScoreInline]
