"""Demo progress for the 高桥社区 night-market project (seed 000): accepted reports that
add up to 13 activities, 2,528 direct participant-times and about 10,000 indirect
beneficiaries; one report waiting, one returned, one overdue. Supervision and
rectification in 高桥 and 佳宏路 (seed 004: 19 of 23 issues fixed, 82.6%)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from organizations import selforgs
from organizations.models import SelfOrganization
from places.models import Community

from . import services
from .models import Activity, ProgressReport, Project, Rectification, SupervisorAssignment

# 13 activities over four accepted reports: (kind, title, direct, indirect, volunteers)
ACCEPTED_ACTIVITIES = [
    [("courtyard_meeting", "夜市坝坝会：居民说需求", 120, 600, 8), ("deliberation", "商户与居民议事会", 86, 400, 6),
     ("publicity", "夜市公约宣传", 210, 1200, 12)],
    [("training", "摊主自治骨干培训", 64, 300, 4), ("volunteering", "夜市志愿服务队首秀", 380, 1500, 30),
     ("environment", "夜市环境整治", 245, 900, 26), ("deliberation", "噪音问题协商会", 92, 500, 5)],
    [("recreation", "夜市文艺汇演", 520, 2000, 35), ("study_visit", "赴郫都参访学习", 40, 150, 3),
     ("courtyard_meeting", "夜市运营复盘坝坝会", 108, 450, 6)],
    [("volunteering", "夜市守护志愿服务", 310, 1100, 28), ("training", "自治小组能力建设", 58, 300, 4),
     ("recreation", "夜市一周年邻里节", 295, 600, 24)],
]


def day_within(report: ProgressReport, index: int, count: int) -> datetime.date:
    """The index-th of `count` days spread evenly inside the report's period.

    Periods are cut at the agreement date and the project's end, so a period may be a
    few days long; fixed offsets from its start would fall outside it on some days of
    the year (and the demo then failed to seed)."""
    span = (report.period_end - report.period_start).days
    return report.period_start + datetime.timedelta(days=span * (index + 1) // (count + 1))


def filed_on_time(report: ProgressReport, today: datetime.date) -> datetime.datetime:
    """A few days after the period ends, inside the filing window (never in the future):
    a real programme files mostly on time."""
    day = min(report.period_end + datetime.timedelta(days=3), report.due_on, today)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(16, 30)))


def seed(users: dict[str, User]) -> None:
    project = Project.objects.filter(title="活力夜经济 治理新动能").first()
    if project is None or project.progress_reports.exclude(status=ProgressReport.Status.DRAFT).exists():
        return
    today = timezone.localdate()
    agency, bureau = users["rongxiang"], users["city_bureau"]
    reports = list(project.progress_reports.order_by("number"))
    done = [r for r in reports if r.period_end < today]
    lines = list(project.application.budget_lines.order_by("order"))

    night_market = selforgs.selforg_create(actor=agency, community=project.community, name="夜市自治小组",
                                           category=SelfOrganization.Category.COOPERATIVE, members=6,
                                           founded_on=done[0].period_start, leaders=[("李大姐", "chair")])
    project.incubated.add(night_market)
    stages = ["formed", "empowered", "empowered", "public_interest"]
    for index, (report, activities) in enumerate(zip(done, ACCEPTED_ACTIVITIES, strict=False)):
        services.progress_save(report=report, actor=agency, data={
            "progress": "按计划推进夜市治理，居民参与持续增加。", "problems": "个别摊位噪音仍有投诉。",
            "next_plan": "继续培育夜市自治小组。", "resident_voices": "“夜市热闹了，也更有秩序了。”"})
        for offset, (kind, title, direct, indirect, volunteers) in enumerate(activities):
            services.activity_add(report=report, actor=agency, held_on=day_within(report, offset, len(activities)),
                                  title=title, kind=kind, place="高桥社区夜市广场",
                direct_participations=direct, indirect_beneficiaries=indirect, volunteers=volunteers,
                self_organizations=[night_market])
        services.expense_add(report=report, actor=agency, budget_line=lines[index % len(lines)],
                             amount=Decimal("8000"), spent_on=report.period_end, voucher=f"GQ-{report.number:02d}")
        services.selforg_update_add(report=report, actor=agency, self_organization=night_market,
                                    stage=stages[index], members=6 + index * 4)
        services.progress_submit(report=report, actor=agency, now=filed_on_time(report, today))
        services.progress_accept(report=report, actor=bureau)

    pending = done[4:]
    if pending:  # submitted, waiting for the bureau; its figures do not count yet
        report = pending[0]
        services.progress_save(report=report, actor=agency, data={"progress": "夜市自治小组开始独立运营。"})
        services.activity_add(report=report, actor=agency, held_on=day_within(report, 0, 1),
                              title="夜市自治小组换届", kind=Activity.Kind.DELIBERATION, direct_participations=45,
                              indirect_beneficiaries=200, volunteers=3)
        services.progress_submit(report=report, actor=agency, now=filed_on_time(report, today))
    if len(pending) > 1:  # returned for revision
        report = pending[1]
        services.progress_save(report=report, actor=agency, data={"progress": "开展了两场活动。"})
        # Filed late: two days after its due date (if that day has come).
        late = min(report.due_on + datetime.timedelta(days=2), today)
        services.progress_submit(report=report, actor=agency,
                                 now=timezone.make_aware(datetime.datetime.combine(late, datetime.time(9, 0))))
        services.progress_return(report=report, actor=bureau, reason="请补充活动照片和支出凭证。")

    supervisor = users["supervisor"]
    if not SupervisorAssignment.objects.filter(project=project).exists():
        services.supervisor_assign(project=project, supervisor=supervisor, position="senior_supervisor", actor=bureau)
        visit = services.visit_record(project=project, actor=supervisor, visited_on=done[1].period_end, mode="onsite",
                                      findings="夜市收摊后垃圾清运不及时。", advice="由自治小组排班负责收摊清扫。",
                                      follow_up_due=done[1].period_end + datetime.timedelta(days=30))
        item = services.rectification_raise(actor=supervisor, community=project.community, project=project,
                                            visit=visit, source="supervision", owner="project",
                                            description="夜市收摊后垃圾清运不及时", due_on=visit.follow_up_due)
        services.rectification_respond(item=item, actor=agency, plan="自治小组排班清扫", evidence="已连续四周按时清运")
        services.rectification_verify(item=item, actor=supervisor, fixed=True)

    _tiemen(users)
    _jiahonglu(users)


def _tiemen(users):
    """铁门社区 院落美化评审会 (seed 002): 10 members, chair and vice-chair, residents'
    own rules; it reached the public-interest stage."""
    tiemen = Community.objects.get(code="510117005005")
    if tiemen.self_organizations.exists():
        return
    staff = users["tiemen"]
    group = selforgs.selforg_create(
        actor=staff, community=tiemen, name="院落美化评审会", category=SelfOrganization.Category.COURTYARD,
        members=5, founded_on=datetime.date(2018, 3, 1),
        description="居民自定评审规则、申请时间和标准，组织院落美化评比并验收结果；成员自愿加入，连续缺席三次视为退出。",
        leaders=[("王主任", "chair"), ("张副主任", "vice_chair")])
    selforgs.selforg_progress(selforg=group, actor=staff, stage="formed", members=10, on=datetime.date(2018, 4, 1))
    selforgs.selforg_progress(selforg=group, actor=staff, stage="empowered", members=10, on=datetime.date(2018, 9, 1))
    selforgs.selforg_progress(selforg=group, actor=staff, stage="public_interest", members=10,
                              on=datetime.date(2019, 3, 1), note="评审会承接院落美化微项目评审")


def _jiahonglu(users):
    """佳宏路社区: a 76-person ecological volunteer team, and 23 issues raised by residents
    of which 19 were fixed (82.6%, seed 004)."""
    jiahonglu = Community.objects.get(code="510104032009")
    staff = users["jiahonglu"]
    if not jiahonglu.self_organizations.exists():
        selforgs.selforg_create(actor=staff, community=jiahonglu, name="生态志愿服务队",
                                category=SelfOrganization.Category.SANITATION, stage="public_interest", members=76,
                                founded_on=datetime.date(2021, 5, 1), leaders=[("赵书记", "chair")])
    if Rectification.objects.filter(community=jiahonglu).exists():
        return
    today = timezone.localdate()
    topics = ["楼道堆物", "商户油烟", "夜间噪音", "共享单车乱停", "垃圾分类不到位", "路灯损坏", "绿化带破损",
              "占道经营"]
    for number in range(23):
        item = services.rectification_raise(
            actor=staff, community=jiahonglu, source="resident", owner="community",
            description=f"居民反映：{topics[number % len(topics)]}（第 {number + 1} 件）",
            due_on=today - datetime.timedelta(days=60 - number))
        services.rectification_respond(item=item, actor=staff, plan="网格员牵头，商家联盟协同处理",
                                       evidence="已处理" if number < 19 else "")
        services.rectification_verify(item=item, actor=staff, fixed=number < 19)


