"""Labels of the audit actions this app records; registered from apps.py."""

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "evaluation.create": _("安排评估"),
    "evaluation.sheet_submit": _("提交评估表"),
    "evaluation.feedback": _("结束评分，进入反馈"),
    "evaluation.answer": _("机构回应反馈"),
    "evaluation.published": _("发布评估结果"),
    "evaluation.decision": _("资助决定"),
    "project.terminate": _("终止项目"),
}
