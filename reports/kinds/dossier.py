"""One project's dossier, for printing, as the person who asked may see it."""

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from places.reporting import COUNT, PERCENT, TEXT, YUAN, Filters, ReportData, Table
from projects.models import (
    Activity,
    ProgressReport,
    Project,
)


def dossier_report(project: Project, *, viewer) -> ReportData:
    """One project's whole record, for printing — as `viewer` (who requested it) may see it:
    evaluation results only once they may see them, reviewers unnamed to the applicant
    and place staff (the same rules as the pages: assessments.access, projects.access)."""
    from assessments.access import can_see_results
    from audit.services import history_for
    from projects.access import actor_label, reviewer_ids_hidden_from

    application = project.application
    data = ReportData(
        title=_("项目档案：%(t)s") % {"t": project.title},
        subtitle=f"{project.organization.name} · {project.community.street.parent.name}"
        f"{project.community.street.name}{project.community.name} · {project.round.name}",
    )
    data.summary = [
        (_("立项金额（元）"), project.approved_amount, YUAN),
        (_("已拨付（元）"), project.disbursed_amount, YUAN),
        (_("已支出（元）"), project.spent_amount, YUAN),
        (_("活动场次"), project.activities_count, COUNT),
        (_("直接参与人次"), project.direct_participations, COUNT),
        (_("间接服务人次"), project.indirect_beneficiaries, COUNT),
    ]
    data.tables.append(
        Table(
            _("申报书"),
            [(_("项目"), TEXT), (_("内容"), TEXT)],
            [
                [_("营造维度"), application.dimension_labels],
                [_("营造支点"), application.get_leverage_point_display()],
                [_("需求调研"), "、".join(application.needs_method_labels) + "：" + application.needs_findings],
                [_("项目目标"), application.goals],
                [_("实施策略"), application.strategy],
                [
                    _("项目团队"),
                    f"{application.project_lead}；{application.social_workers}；"
                    + _("高校专家 %(u)s；资深督导 %(s)s")
                    % {"u": application.university_expert, "s": application.senior_supervisor},
                ],
                [_("立项结论"), application.decision_reason],
            ],
        )
    )
    hidden = reviewer_ids_hidden_from(viewer, application)
    data.tables.append(
        Table(
            _("办理记录"),
            [(_("时间"), TEXT), (_("操作人"), TEXT), (_("事项"), TEXT), (_("说明"), TEXT)],
            [
                [f"{timezone.localtime(e.created_at):%Y-%m-%d %H:%M}", actor_label(e, hidden), e.action_label, e.reason]
                for e in history_for(application).order_by("created_at")
            ],
        )
    )
    reports = project.progress_reports.order_by("number").annotate(
        n=Count("activities"), direct=Sum("activities__direct_participations")
    )
    data.tables.append(
        Table(
            _("进度报告"),
            [(_("期次"), COUNT), (_("周期"), TEXT), (_("状态"), TEXT), (_("活动"), COUNT), (_("直接参与人次"), COUNT)],
            [
                [
                    r.number,
                    _("%(a)s 至 %(b)s") % {"a": r.period_start, "b": r.period_end},
                    r.get_status_display(),
                    r.n,
                    r.direct or 0,
                ]
                for r in reports
            ],
        )
    )
    data.tables.append(
        Table(
            _("活动（已审核）"),
            [(_("日期"), TEXT), (_("活动"), TEXT), (_("类型"), TEXT), (_("直接参与"), COUNT), (_("间接服务"), COUNT)],
            [
                [f"{a.held_on}", a.title, a.get_kind_display(), a.direct_participations, a.indirect_beneficiaries]
                for a in Activity.objects.filter(
                    report__project=project, report__status=ProgressReport.Status.ACCEPTED
                ).order_by("held_on")
            ],
        )
    )
    data.tables.append(
        Table(
            _("督导"),
            [(_("日期"), TEXT), (_("方式"), TEXT), (_("督导"), TEXT), (_("发现与建议"), TEXT)],
            [
                [f"{v.visited_on}", v.get_mode_display(), v.supervisor.display_name, f"{v.findings} {v.advice}"]
                for v in project.supervision_visits.select_related("supervisor").order_by("visited_on")
            ],
        )
    )
    data.tables.append(
        Table(
            _("评估"),
            [(_("阶段"), TEXT), (_("日期"), TEXT), (_("状态"), TEXT), (_("总分"), PERCENT), (_("等级"), TEXT)],
            [
                [
                    e.get_stage_display(),
                    f"{e.scheduled_on}",
                    e.get_status_display(),
                    *((e.total, e.get_grade_display()) if can_see_results(viewer, e) else (None, _("未公布"))),
                ]
                for e in project.evaluations.select_related("project__round").order_by("scheduled_on")
            ],
        )
    )
    data.tables.append(
        Table(
            _("整改"),
            [(_("问题"), TEXT), (_("来源"), TEXT), (_("期限"), TEXT), (_("状态"), TEXT)],
            [
                [r.description, r.get_source_display(), f"{r.due_on}", r.get_status_display()]
                for r in project.rectifications.order_by("due_on")
            ],
        )
    )
    return data


def dossier_kind_data(filters: Filters) -> ReportData:
    project = Project.objects.select_related("application", "organization", "community__street__parent", "round").get(
        pk=filters.project_id
    )
    return dossier_report(project, viewer=filters.viewer)
