from django.db.models import QuerySet

from . import access
from .models import Evaluation, EvaluatorSheet, Score


def evaluation_list(*, user) -> QuerySet[Evaluation]:
    return (access.evaluations_for_user(user)
            .select_related("project__organization", "project__community__street__parent", "rubric")
            .order_by("-scheduled_on", "-pk"))


def sheet_rows(sheet: EvaluatorSheet) -> list[dict]:
    """The sheet's 53 scores grouped by category, in two queries."""
    scores = list(Score.objects.filter(sheet=sheet).select_related("indicator__category")
                  .order_by("indicator__category__order", "indicator__order"))
    groups: list[dict] = []
    for score in scores:
        category = score.indicator.category
        if not groups or groups[-1]["category"].pk != category.pk:
            groups.append({"category": category, "scores": []})
        groups[-1]["scores"].append(score)
    return groups
