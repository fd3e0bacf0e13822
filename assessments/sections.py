"""What this app adds to the projects app's pages (registered from apps.py)."""

from django.utils.translation import gettext as _

from projects.models import Project
from web import sections

from .access import can_see_results, evaluations_for_user
from .models import Evaluation, Grade


def project_evaluations(*, project, user=None, **kwargs) -> dict:
    evaluations = list(Evaluation.objects.filter(project=project).select_related("project__round")
                       .order_by("scheduled_on"))
    openable = set(evaluations_for_user(user).filter(project=project).values_list("pk", flat=True))
    for evaluation in evaluations:
        evaluation.can_open = evaluation.pk in openable
        evaluation.show_result = evaluation.can_open and can_see_results(user, evaluation)
    return {
        "evaluations": evaluations,
        "timeline": [
            {"date": e.scheduled_on, "label": _("%(s)s（%(st)s）") % {
                "s": e.get_stage_display(), "st": e.get_status_display()}, "kind": "evaluation"}
            for e in evaluations
        ],
    }


def earlier_failures(*, application, **kwargs) -> dict:
    # The elimination mechanism (淘汰激励机制): an earlier 不合格 result of the same agency
    # is shown to whoever reads this application.
    return {"earlier_failures": list(Project.objects.filter(
        organization_id=application.organization_id, evaluations__status=Evaluation.Status.PUBLISHED,
        evaluations__grade=Grade.FAIL).exclude(application=application).distinct().values_list("title", flat=True))}


def register() -> None:
    from .selectors import home_queue

    sections.register(page="home", slot="queue", template="assessments/_home_queue.html", context=home_queue,
                      order=200)
    sections.register(page="project_detail", slot="actions", template="assessments/_project_actions.html")
    sections.register(page="project_detail", slot="main", template="assessments/_project_evaluations.html",
                      context=project_evaluations)
    sections.register(page="application_detail", slot="alerts", template="assessments/_earlier_failures.html",
                      context=earlier_failures)
