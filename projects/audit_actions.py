"""Labels of the audit actions this app records; registered from apps.py."""

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "round.create": _("创建资助轮次"),
    "round.update": _("修改资助轮次"),
    "application.create": _("创建申报书"),
    "application.attach": _("上传附件"),
    "application.detach": _("删除附件"),
    "application.submit": _("提交申报"),
    "application.withdraw": _("撤回申报"),
    "application.endorse": _("填写社区意见"),
    "application.screen_pass": _("形式审查通过"),
    "application.screen_return": _("形式审查退回"),
    "application.approve": _("立项"),
    "application.reject": _("不予立项"),
    "application.return": _("退回修改"),
    "review.assign": _("分配评审专家"),
    "review.submit": _("提交评审表"),
    "project.create": _("创建立项项目"),
    "project.agreement": _("登记协议签订"),
    "project.disburse": _("登记拨付"),
    "project.disbursement_reverse": _("冲销拨付"),
    "project.budget_adjust": _("预算调整"),
    "progress.submitted": _("提交进度报告"),
    "progress.accepted": _("进度报告通过"),
    "progress.returned": _("进度报告退回"),
    "supervision.assign": _("分配督导"),
    "supervision.visit": _("记录督导"),
    "rectification.raise": _("提出整改"),
    "rectification.verify": _("核验整改"),
}
