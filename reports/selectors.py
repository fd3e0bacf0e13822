"""The figures behind reports and dashboards — one set of functions, so a dashboard
and a report of the same scope always agree. Every figure is an SQL aggregate; the
number of queries does not depend on the number of projects."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from assessments.models import Evaluation, Grade, RubricCategory
from organizations.models import SelfOrganization
from places.models import Region
from projects.models import (
    Activity,
    Dimension,
    Disbursement,
    LeveragePoint,
    ParticipationRollup,
    ProgressReport,
    Project,
    Rectification,
    Tranche,
    TrancheRule,
)
from web.archive import LIVE

YUAN, COUNT, TEXT, PERCENT = "yuan", "count", "text", "percent"


@dataclass
class Filters:
    region: Region  # the city or one district: the report's scope
    round_id: int | None = None
    year: int | None = None
    street_id: int | None = None
    agency_id: int | None = None
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None

    def community_q(self, prefix: str) -> Q:
        q = Q()
        if self.region.level == Region.Level.DISTRICT:
            q &= Q(**{f"{prefix}street__parent_id": self.region.pk})
        if self.street_id:
            q &= Q(**{f"{prefix}street_id": self.street_id})
        return q


@dataclass
class Table:
    name: str
    columns: list[tuple[str, str]]  # (label, kind)
    rows: list[list]
    total: list | None = None  # a totals row that reconciles with the rows
    note: str = ""


@dataclass
class ReportData:
    title: str
    subtitle: str
    summary: list[tuple[str, object, str]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[dict] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # sections whose data does not exist yet


def projects_in(filters: Filters) -> QuerySet[Project]:
    queryset = Project.objects.filter(filters.community_q("community__"), LIVE)
    if filters.round_id:
        queryset = queryset.filter(round_id=filters.round_id)
    if filters.year:
        queryset = queryset.filter(round__year=filters.year)
    if filters.agency_id:
        queryset = queryset.filter(organization_id=filters.agency_id)
    return queryset


MONEY_SUMS = {"approved": Sum("approved_amount"), "disbursed": Sum("disbursed_amount"), "spent": Sum("spent_amount"),
              "n": Count("id")}


def _money_rows(queryset, keys: list[str]) -> list[list]:
    rows = queryset.order_by(*keys).values(*keys).annotate(**MONEY_SUMS)
    return [[*(row[k] for k in keys), row["n"], row["approved"] or Decimal("0"), row["disbursed"] or Decimal("0"),
             row["spent"] or Decimal("0")] for row in rows]


def _totals(rows: list[list], label_columns: int) -> list:
    total = ["合计", *([""] * (label_columns - 1))]
    for index in range(label_columns, len(rows[0]) if rows else label_columns):
        total.append(sum((row[index] for row in rows), Decimal("0") if isinstance(rows[0][index], Decimal) else 0))
    return total


MONEY_COLUMNS = [("项目数", COUNT), ("立项金额", YUAN), ("已拨付", YUAN), ("已支出", YUAN)]


def funding_summary(filters: Filters) -> dict:
    """Headline money figures for the scope; the dashboard shows the same."""
    figures = projects_in(filters).aggregate(**MONEY_SUMS)
    return {key: (value or (Decimal("0") if key != "n" else 0)) for key, value in figures.items()}


def funding_by_district(filters: Filters) -> list[list]:
    return _money_rows(projects_in(filters), ["community__street__parent__name"])


def funding_report(filters: Filters) -> ReportData:
    projects = projects_in(filters)
    summary = funding_summary(filters)
    data = ReportData(title=f"{filters.region.name}社区营造项目资金报告", subtitle=_subtitle(filters))
    data.summary = [("立项项目数", summary["n"], COUNT), ("立项金额（元）", summary["approved"], YUAN),
                    ("已拨付（元）", summary["disbursed"], YUAN), ("已支出（元）", summary["spent"], YUAN),
                    ("未拨付（元）", summary["approved"] - summary["disbursed"], YUAN)]
    round_rows = []
    for row in projects.order_by("round_id").values("round_id", "round__name", "round__total_budget").annotate(
            **MONEY_SUMS):
        approved = row["approved"] or Decimal("0")
        round_rows.append([row["round__name"], row["round__total_budget"], row["n"], approved,
                           row["disbursed"] or Decimal("0"), row["spent"] or Decimal("0"),
                           row["round__total_budget"] - approved])
    data.tables.append(Table("按轮次", [("资助轮次", TEXT), ("总预算", YUAN), ("项目数", COUNT), ("立项金额", YUAN),
                                       ("已拨付", YUAN), ("已支出", YUAN), ("预算余额", YUAN)], round_rows,
                             note="总预算为整轮预算；区（市）县报表中的立项、拨付、支出只计本区域。"))
    for name, keys, labels in (
        ("按区县", ["community__street__parent__name"], [("区（市）县", TEXT)]),
        (
            "按街道",
            ["community__street__parent__name", "community__street__name"],
            [("区（市）县", TEXT), ("街道", TEXT)],
        ),
        (
            "按社区",
            ["community__street__parent__name", "community__street__name", "community__name"],
            [("区（市）县", TEXT), ("街道", TEXT), ("社区", TEXT)],
        ),
        ("按机构", ["organization__name", "organization__credit_code"], [("机构", TEXT), ("统一社会信用代码", TEXT)]),
    ):
        rows = _money_rows(projects, keys)
        data.tables.append(Table(name, [*labels, *MONEY_COLUMNS], rows, _totals(rows, len(labels)) if rows else None))
    dimension_sums = projects.aggregate(**{
        f"{d.value}_{k}": Sum(col, filter=Q(**{f"application__dim_{d.value}": True}))
        for d in Dimension for k, col in (("approved", "approved_amount"), ("spent", "spent_amount"))},
        **{f"{d.value}_n": Count("id", filter=Q(**{f"application__dim_{d.value}": True})) for d in Dimension})
    data.tables.append(Table("按维度", [("维度", TEXT), ("项目数", COUNT), ("立项金额", YUAN), ("已支出", YUAN)], [
        [str(d.label), dimension_sums[f"{d.value}_n"], dimension_sums[f"{d.value}_approved"] or Decimal("0"),
         dimension_sums[f"{d.value}_spent"] or Decimal("0")] for d in Dimension],
        note="一个项目可涉及多个维度，各维度之和可能大于总额。"))
    labels = dict(LeveragePoint.choices)
    leverage = _money_rows(projects, ["application__leverage_point"])
    for row in leverage:
        row[0] = str(labels.get(row[0], row[0]))
    data.tables.append(Table("按支点", [("营造支点", TEXT), *MONEY_COLUMNS], leverage,
                             _totals(leverage, 1) if leverage else None))
    caps = []
    for row in projects.order_by("round_id", "community__code").values(
            "round__name", "round__per_community_cap", "community__name").annotate(approved=Sum("approved_amount")):
        cap = row["round__per_community_cap"]
        caps.append([row["round__name"], row["community__name"], row["approved"], cap,
                     (row["approved"] * 100 / cap).quantize(Decimal("0.1")) if cap else Decimal("0")])
    data.tables.append(
        Table(
            "单社区上限使用",
            [("资助轮次", TEXT), ("社区", TEXT), ("立项金额", YUAN), ("单社区上限", YUAN), ("使用率%", PERCENT)],
            caps,
        )
    )
    triggers = dict(TrancheRule.Trigger.choices)
    paid = {row["tranche__order"]: row["paid"] for row in Disbursement.objects.filter(project__in=projects)
            .order_by().values("tranche__order").annotate(paid=Sum("amount"))}
    tranche_rows = [[row["order"], str(triggers.get(row["trigger"], row["trigger"])), row["n"], row["amount"],
                     paid.get(row["order"]) or Decimal("0")]
                    for row in Tranche.objects.filter(project__in=projects).order_by("order", "trigger")
                    .values("order", "trigger").annotate(amount=Sum("amount"), n=Count("id"))]
    data.tables.append(Table("拨付批次", [("批次", COUNT), ("条件", TEXT), ("项目数", COUNT), ("应拨", YUAN),
                                       ("已拨", YUAN)], tranche_rows))
    data.charts.append({"title": "立项金额（按区县，元）",
                        "bars": [(row[0], row[2]) for row in funding_by_district(filters)]})
    return data


def participation_by_month(filters: Filters, since: datetime.date | None = None) -> list[tuple[datetime.date, int]]:
    activities = accepted_activities(filters)
    if since:
        activities = activities.filter(held_on__gte=since)
    return [(row["month"], row["direct"] or 0) for row in activities.annotate(month=TruncMonth("held_on"))
            .order_by("month").values("month").annotate(direct=Sum("direct_participations"))]


def participation_by_month_rollup(region: Region, since: datetime.date | None = None
                                  ) -> list[tuple[datetime.date, int]]:
    """The same figures as participation_by_month for a whole city or district, read
    from the roll-up that progress acceptance keeps (a few rows per month, not every
    activity). `since` must be the first of a month for the two to agree."""
    rows = ParticipationRollup.objects.all()
    if region.level == Region.Level.DISTRICT:
        rows = rows.filter(district=region)
    if since:
        rows = rows.filter(month__gte=since)
    return [(row["month"], row["direct"] or 0) for row in rows.order_by("month").values("month")
            .annotate(direct=Sum("direct_participations"))]


def accepted_activities(filters: Filters) -> QuerySet[Activity]:
    """Only accepted reports count (the progress issue's rule)."""
    activities = Activity.objects.filter(report__status=ProgressReport.Status.ACCEPTED,
                                         report__project__in=projects_in(filters))
    if filters.period_start:
        activities = activities.filter(held_on__gte=filters.period_start)
    if filters.period_end:
        activities = activities.filter(held_on__lte=filters.period_end)
    return activities


ACTIVITY_SUMS = {"n": Count("id"), "direct": Sum("direct_participations"), "indirect": Sum("indirect_beneficiaries"),
                 "volunteers": Sum("volunteers")}
ACTIVITY_COLUMNS = [("活动场次", COUNT), ("直接参与人次", COUNT), ("间接服务人次", COUNT), ("志愿者人次", COUNT)]


def progress_summary(filters: Filters) -> dict:
    """Accepted activity totals. Without a period these are the projects' running
    totals (kept by progress_accept in the acceptance transaction, so they equal the
    sums of accepted activities) — one pass over projects instead of every activity."""
    if not (filters.period_start or filters.period_end):
        figures = projects_in(filters).aggregate(n=Sum("activities_count"), direct=Sum("direct_participations"),
                                                 indirect=Sum("indirect_beneficiaries"), volunteers=Sum("volunteers"))
    else:
        figures = accepted_activities(filters).aggregate(**ACTIVITY_SUMS)
    return {key: value or 0 for key, value in figures.items()}


def filing_summary(filters: Filters, today: datetime.date) -> dict:
    reports = ProgressReport.objects.filter(project__in=projects_in(filters), due_on__lte=today)
    if filters.period_start:
        reports = reports.filter(period_end__gte=filters.period_start)
    if filters.period_end:
        reports = reports.filter(period_end__lte=filters.period_end)
    return reports.aggregate(
        due=Count("id"),
        on_time=Count("id", filter=Q(submitted_at__isnull=False, submitted_at__date__lte=F("due_on"))),
        late=Count("id", filter=Q(submitted_at__date__gt=F("due_on"))),
        missing=Count("id", filter=Q(submitted_at__isnull=True, due_on__lt=today)),
    )


def progress_report(filters: Filters, today: datetime.date | None = None) -> ReportData:
    today = today or timezone.localdate()
    projects = projects_in(filters)
    data = ReportData(title=f"{filters.region.name}社区营造项目进度报告", subtitle=_subtitle(filters))
    figures = progress_summary(filters)
    filing = filing_summary(filters, today)
    data.summary = [("活动场次", figures["n"], COUNT), ("直接参与人次", figures["direct"], COUNT),
                    ("间接服务人次", figures["indirect"], COUNT), ("志愿者人次", figures["volunteers"], COUNT),
                    ("应报进度报告", filing["due"], COUNT), ("按期提交", filing["on_time"], COUNT),
                    ("逾期提交", filing["late"], COUNT), ("逾期未交", filing["missing"], COUNT)]
    statuses = dict(Project.Status.choices)
    data.tables.append(Table("项目状态", [("状态", TEXT), ("项目数", COUNT)], [
        [str(statuses.get(row["status"], row["status"])), row["n"]]
        for row in projects.order_by("status").values("status").annotate(n=Count("id"))]))
    activities = accepted_activities(filters)
    for name, keys, labels in (
        ("按区县", ["community__street__parent__name"], [("区（市）县", TEXT)]),
        (
            "按街道",
            ["community__street__parent__name", "community__street__name"],
            [("区（市）县", TEXT), ("街道", TEXT)],
        ),
        (
            "按社区",
            ["community__street__parent__name", "community__street__name", "community__name"],
            [("区（市）县", TEXT), ("街道", TEXT), ("社区", TEXT)],
        ),
        ("按机构", ["report__project__organization__name"], [("机构", TEXT)]),
        ("按月份", ["month"], [("月份", TEXT)]),
    ):
        source = activities.annotate(month=TruncMonth("held_on")) if keys == ["month"] else activities
        rows = [[*(row[k] if k != "month" else f"{row[k]:%Y-%m}" for k in keys), row["n"], row["direct"] or 0,
                 row["indirect"] or 0, row["volunteers"] or 0]
                for row in source.order_by(*keys).values(*keys).annotate(**ACTIVITY_SUMS)]
        data.tables.append(
            Table(name, [*labels, *ACTIVITY_COLUMNS], rows, _totals(rows, len(labels)) if rows else None)
        )
    stage_labels = dict(SelfOrganization.Stage.choices)
    selforgs = SelfOrganization.objects.filter(filters.community_q("community__"))
    data.tables.append(Table("居民自组织（按阶段）", [("发展阶段", TEXT), ("数量", COUNT), ("成员人数", COUNT)], [
        [str(stage_labels[row["stage"]]), row["n"], row["members"] or 0]
        for row in selforgs.order_by("stage").values("stage").annotate(n=Count("id"), members=Sum("members"))]))
    rect_rows = []
    for row in Rectification.objects.filter(filters.community_q("community__")).order_by(
            "community__street__parent__name").values("community__street__parent__name").annotate(
            raised=Count("id"), fixed=Count("id", filter=Q(status=Rectification.Status.FIXED))):
        rate = (Decimal(row["fixed"] * 100) / row["raised"]).quantize(Decimal("0.1")) if row["raised"] else None
        rect_rows.append([row["community__street__parent__name"], row["raised"], row["fixed"], rate])
    data.tables.append(Table("整改（按区县）", [("区（市）县", TEXT), ("提出", COUNT), ("已整改", COUNT),
                                         ("整改率%", PERCENT)], rect_rows))
    data.charts.append({"title": "直接参与人次（按月）",
                        "bars": [(f"{m:%Y-%m}", v) for m, v in participation_by_month(filters)]})
    return data


def published_evaluations(filters: Filters) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(LIVE, project__in=projects_in(filters), status=Evaluation.Status.PUBLISHED)


def grade_distribution(filters: Filters) -> list[tuple[str, int]]:
    counts = {row["grade"]: row["n"] for row in published_evaluations(filters).order_by()
              .values("grade").annotate(n=Count("id"))}
    return [(str(label), counts.get(code, 0)) for code, label in Grade.choices]


def evaluation_report(filters: Filters) -> ReportData:
    evaluations = published_evaluations(filters)
    data = ReportData(title=f"{filters.region.name}社区营造项目评估报告", subtitle=_subtitle(filters))
    overall = evaluations.aggregate(n=Count("id"), mean=Avg("total"))
    if not overall["n"]:
        data.missing.append("范围内还没有已发布的评估结果，以下各表为空。")
    data.summary = [("已发布评估", overall["n"], COUNT),
                    ("平均总分", Decimal(str(overall["mean"] or 0)).quantize(Decimal("0.01")), PERCENT)]
    data.tables.append(Table("等级分布", [("等级", TEXT), ("评估数", COUNT)],
                             [[label, n] for label, n in grade_distribution(filters)]))
    sums, counts = defaultdict(Decimal), defaultdict(int)
    for scores in evaluations.values_list("category_scores", flat=True).iterator():
        for code, value in (scores or {}).items():
            sums[code] += Decimal(value)
            counts[code] += 1
    names = dict(RubricCategory.objects.filter(code__in=sums).order_by("code", "-rubric__version")
                 .values_list("code", "name"))
    data.tables.append(Table("各范畴平均分", [("范畴", TEXT), ("评估数", COUNT), ("平均分", PERCENT)], [
        [names.get(code, code), counts[code], (sums[code] / counts[code]).quantize(Decimal("0.01"))]
        for code in sums]))
    for name, key, label in (("按机构", "project__organization__name", "机构"),
                             ("按区县", "project__community__street__parent__name", "区（市）县")):
        data.tables.append(Table(name, [(label, TEXT), ("评估数", COUNT), ("平均总分", PERCENT)], [
            [row[key], row["n"], Decimal(str(row["mean"])).quantize(Decimal("0.01"))]
            for row in evaluations.order_by(key).values(key).annotate(n=Count("id"), mean=Avg("total"))]))
    decisions = dict(Evaluation.Decision.choices)
    data.tables.append(Table("不合格项目", [("项目", TEXT), ("机构", TEXT), ("总分", PERCENT), ("资助决定", TEXT)], [
        [row["project__title"], row["project__organization__name"], row["total"],
         str(decisions.get(row["decision"], "")) or "待决定"]
        for row in evaluations.filter(grade=Grade.FAIL).order_by("project__title").values(
            "project__title", "project__organization__name", "total", "decision")]))
    data.charts.append({"title": "等级分布（个）", "bars": grade_distribution(filters)})
    return data


def _subtitle(filters: Filters) -> str:
    parts = [f"范围：{filters.region.name}"]
    if filters.year:
        parts.append(f"年度：{filters.year}")
    if filters.period_start or filters.period_end:
        parts.append(f"期间：{filters.period_start or '…'} 至 {filters.period_end or '…'}")
    parts.append(f"生成时间：{timezone.localtime():%Y-%m-%d %H:%M}")
    return "；".join(parts)


def dossier_report(project: Project, *, viewer) -> ReportData:
    """One project's whole record, for printing — as `viewer` (who requested it) may see it:
    evaluation results only once they may see them, reviewers unnamed to the applicant
    and place staff (the same rules as the pages: assessments.access, projects.access)."""
    from assessments.access import can_see_results
    from audit.services import history_for
    from projects.access import actor_label, reviewer_ids_hidden_from

    application = project.application
    data = ReportData(title=f"项目档案：{project.title}",
                      subtitle=f"{project.organization.name} · {project.community.street.parent.name}"
                               f"{project.community.street.name}{project.community.name} · {project.round.name}")
    data.summary = [("立项金额（元）", project.approved_amount, YUAN), ("已拨付（元）", project.disbursed_amount, YUAN),
                    ("已支出（元）", project.spent_amount, YUAN), ("活动场次", project.activities_count, COUNT),
                    ("直接参与人次", project.direct_participations, COUNT),
                    ("间接服务人次", project.indirect_beneficiaries, COUNT)]
    data.tables.append(
        Table(
            "申报书",
            [("项目", TEXT), ("内容", TEXT)],
            [
                ["营造维度", application.dimension_labels],
                ["营造支点", application.get_leverage_point_display()],
                ["需求调研", "、".join(application.needs_method_labels) + "：" + application.needs_findings],
                ["项目目标", application.goals],
                ["实施策略", application.strategy],
                [
                    "项目团队",
                    f"{application.project_lead}；{application.social_workers}；"
                    f"高校专家 {application.university_expert}；资深督导 {application.senior_supervisor}",
                ],
                ["立项结论", application.decision_reason],
            ],
        )
    )
    hidden = reviewer_ids_hidden_from(viewer, application)
    data.tables.append(Table("办理记录", [("时间", TEXT), ("操作人", TEXT), ("事项", TEXT), ("说明", TEXT)], [
        [f"{timezone.localtime(e.created_at):%Y-%m-%d %H:%M}", actor_label(e, hidden),
         e.action_label, e.reason] for e in history_for(application).order_by("created_at")]))
    reports = project.progress_reports.order_by("number").annotate(
        n=Count("activities"), direct=Sum("activities__direct_participations"))
    data.tables.append(
        Table(
            "进度报告",
            [("期次", COUNT), ("周期", TEXT), ("状态", TEXT), ("活动", COUNT), ("直接参与人次", COUNT)],
            [
                [r.number, f"{r.period_start} 至 {r.period_end}", r.get_status_display(), r.n, r.direct or 0]
                for r in reports
            ],
        )
    )
    data.tables.append(Table("活动（已审核）", [("日期", TEXT), ("活动", TEXT), ("类型", TEXT), ("直接参与", COUNT),
                                         ("间接服务", COUNT)], [
        [f"{a.held_on}", a.title, a.get_kind_display(), a.direct_participations, a.indirect_beneficiaries]
        for a in Activity.objects.filter(report__project=project, report__status=ProgressReport.Status.ACCEPTED)
        .order_by("held_on")]))
    data.tables.append(Table("督导", [("日期", TEXT), ("方式", TEXT), ("督导", TEXT), ("发现与建议", TEXT)], [
        [f"{v.visited_on}", v.get_mode_display(), v.supervisor.display_name, f"{v.findings} {v.advice}"]
        for v in project.supervision_visits.select_related("supervisor").order_by("visited_on")]))
    data.tables.append(
        Table(
            "评估",
            [("阶段", TEXT), ("日期", TEXT), ("状态", TEXT), ("总分", PERCENT), ("等级", TEXT)],
            [
                [e.get_stage_display(), f"{e.scheduled_on}", e.get_status_display(),
                 *((e.total, e.get_grade_display()) if can_see_results(viewer, e) else (None, "未公布"))]
                for e in project.evaluations.select_related("project__round").order_by("scheduled_on")
            ],
        )
    )
    data.tables.append(Table("整改", [("问题", TEXT), ("来源", TEXT), ("期限", TEXT), ("状态", TEXT)], [
        [r.description, r.get_source_display(), f"{r.due_on}", r.get_status_display()]
        for r in project.rectifications.order_by("due_on")]))
    return data
