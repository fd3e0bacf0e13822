"""Frozen copies of submitted applications and the differences between them."""

from django.utils.translation import gettext_lazy as _

from .models import Application, Dimension, LeveragePoint, NeedsMethod

# (key, label) in the order the application form shows them. The values below are frozen
# text in the submitter's words and stay as written; only the labels follow the language.
SNAPSHOT_FIELDS = [
    ("title", _("项目名称")),
    ("community", _("实施社区")),
    ("summary", _("项目概述")),
    ("dimensions", _("营造维度")),
    ("leverage_point", _("营造支点")),
    ("needs_methods", _("需求调研方法")),
    ("needs_findings", _("需求调研发现")),
    ("goals", _("项目目标")),
    ("strategy", _("实施策略")),
    ("activity_plan", _("活动计划与时间安排")),
    ("targets", _("计划指标")),
    ("period", _("起止日期")),
    ("team", _("项目团队")),
    ("budget", _("预算明细")),
    ("requested_amount", _("申请金额（元）")),
]


def snapshot(application: Application) -> dict:
    """The application as submitted, as readable text, so that it can be shown and
    compared later even if codes or labels change."""
    methods = dict(NeedsMethod.choices)
    lines = []
    for line in application.budget_lines.all():
        text = f"{line.get_category_display()}｜{line.description}｜{line.amount}"
        if line.cofunding_amount:
            text += f"｜配套 {line.cofunding_amount}（{line.get_cofunding_source_display()}）"
        lines.append(text)
    return {
        "title": application.title,
        "community": application.community.name,
        "summary": application.summary,
        "dimensions": "".join(str(Dimension(d).label) for d in application.dimensions),
        "leverage_point": str(LeveragePoint(application.leverage_point).label) if application.leverage_point else "",
        "needs_methods": "、".join(str(methods.get(m, m)) for m in application.needs_methods),
        "needs_findings": application.needs_findings,
        "goals": application.goals,
        "strategy": application.strategy,
        "activity_plan": application.activity_plan,
        "targets": f"活动 {application.planned_activities} 场；直接参与 {application.planned_participations} 人次",
        "period": f"{application.starts_on} 至 {application.ends_on}",
        "team": f"负责人 {application.project_lead}；社工 {application.social_workers}；"
                f"高校专家 {application.university_expert}；资深督导 {application.senior_supervisor}",
        "budget": "\n".join(lines),
        "requested_amount": str(application.requested_amount),
    }


def diff(old: dict, new: dict) -> list[dict]:
    """The fields that changed between two snapshots, with both values."""
    return [
        {"key": key, "label": label, "old": old.get(key, ""), "new": new.get(key, "")}
        for key, label in SNAPSHOT_FIELDS
        if old.get(key, "") != new.get(key, "")
    ]


