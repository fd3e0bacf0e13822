"""This app's audit action labels and notification kinds, registered from
ProgrammeConfig.ready()."""

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "coverage.rule": _("修改覆盖率口径"),
    "coverage.target": _("设定覆盖率目标"),
    "expert.save": _("登记/修改专家"),
    "expert_group.save": _("组建/调整督导互助小组"),
    "story.save": _("编辑社区营造地图档案"),
    "route.save": _("编排学习路线"),
    "course.save": _("登记研修班"),
    "course.material": _("上传研修班资料"),
    "course.attendance": _("登记研修班签到"),
    "case.save": _("登记案例/行动研究报告"),
}

NOTIFICATION_KINDS: dict = {}
