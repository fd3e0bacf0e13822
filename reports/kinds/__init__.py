"""The platform's own report kinds — funding, progress, evaluation and the project
dossier — built from the figures in `reports.selectors` and registered like any other
app's kinds (`places.reporting`)."""

from django.utils.translation import gettext_lazy

from places.reporting import ReportKind, register_report_kind

from .dossier import dossier_kind_data
from .evaluation import evaluation_report
from .funding import funding_report
from .progress import progress_with_residents


def register() -> None:
    register_report_kind(ReportKind("funding", gettext_lazy("资金报告"), funding_report, monthly=True, order=10))
    register_report_kind(
        ReportKind("progress", gettext_lazy("进度报告"), progress_with_residents, monthly=True, order=20)
    )
    register_report_kind(ReportKind("evaluation", gettext_lazy("评估报告"), evaluation_report, order=30))
    register_report_kind(
        ReportKind("dossier", gettext_lazy("项目档案"), dossier_kind_data, formats=("pdf",), per_project=True, order=90)
    )
