"""The tranche condition this app knows: "after the mid-term evaluation is published".
Registered into projects.gates from apps.py (projects, below this app, asks the registry)."""

from django.utils.translation import gettext as _

from projects import gates
from projects.models import TrancheRule

from .models import Evaluation


def midterm_published(project, tranche) -> str | None:
    if not project.agreement_signed_on:
        return _("尚未登记协议签订，不能拨付。")
    if not Evaluation.objects.filter(project=project, stage=Evaluation.Stage.MIDTERM,
                                     status=Evaluation.Status.PUBLISHED).exists():
        return _("第 %(n)s 批须在中期评估结果发布后拨付：本项目的中期评估尚未发布。") % {"n": tranche.order}
    return None


def register() -> None:
    gates.register(TrancheRule.Trigger.MIDTERM, midterm_published)
