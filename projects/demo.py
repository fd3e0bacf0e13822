"""Demo round and applications in every state, including the sources' cases:
高桥社区「活力夜经济 治理新动能」 (融祥社工, seed 000), 南桥社区「留住古城的根」,
三溪社区「发展多样自组织，构建和谐美社区」."""

import datetime
import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from organizations.demo import organization_by_index
from places.models import Community, Region

from . import services
from .models import FundingRound, ReviewSheet, TrancheRule

ROUND_NAME = "成都市社区营造示范项目公益创投（演示轮次）"


def load_default_review_form():
    path = Path(settings.BASE_DIR) / "data" / "review_form_default.json"
    return services.review_form_load(data=json.loads(path.read_text(encoding="utf-8")))


def _content(title: str, *, dims, leverage, amount_lines, **extra) -> dict:
    content = {
        "title": title,
        "summary": extra.pop("summary", f"{title}：以居民需求为起点，培育骨干与自组织，推动社区共建共治。"),
        "dimensions": dims,
        "leverage_point": leverage,
        "needs_methods": ["home_visits", "courtyard_meeting", "document_analysis"],
        "needs_findings": extra.pop("needs_findings", "入户走访 120 户，召开坝坝会 3 次，梳理出居民最关心的问题。"),
        "goals": "1. 培育 2 支居民自组织；2. 开展议事协商不少于 2 次；3. 直接参与不少于 1,000 人次。",
        "strategy": "以营造支点为切入，社工陪伴骨干从“说事者”成长为“议事者”，链接商家与社区基金资源。",
        "activity_plan": "第1-2月 需求调研与骨干发现；第3-6月 活动实施与自组织培育；第7-10月 成果展示与总结评估。",
        "starts_on": datetime.date(timezone.localdate().year, 3, 1),
        "ends_on": datetime.date(timezone.localdate().year, 12, 31),
        "project_lead": "周社工",
        "social_workers": "周社工、吴社工、陈社工",
        "university_expert": "四川大学 刘教授",
        "senior_supervisor": "资深督导 黄老师",
    }
    content.update(extra)
    budget = [{"category": c, "description": d, "amount": Decimal(a), "cofunding_amount": Decimal(co),
               "cofunding_source": src} for c, d, a, co, src in amount_lines]
    return {"data": content, "budget": budget}


STANDARD_BUDGET = [
    ("personnel", "项目社工劳务", "36000", "0", ""),
    ("activities", "社区活动与坝坝会", "30000", "10000", "public_service_fund"),
    ("materials", "活动物资", "12000", "0", ""),
    ("training", "骨干培训与督导", "12000", "5000", "community_fund"),
]


def _application(*, users, funding_round, organization_index, community_code, title, dims, leverage,
                 budget=STANDARD_BUDGET, now=None, **extra):
    organization = organization_by_index(organization_index)
    applicant = users["rongxiang"] if organization_index == 0 else users["lelin"]
    community = Community.objects.get(code=community_code)
    application = services.application_create(actor=applicant, funding_round=funding_round, organization=organization,
                                              community=community, title=title, now=now)
    content = _content(title, dims=dims, leverage=leverage, amount_lines=budget, **extra)
    services.application_update(application=application, actor=applicant, data=content["data"],
                                budget_lines=content["budget"])
    return application, applicant


def _endorse(users, application, username):
    services.application_endorse(application=application, actor=users[username], endorsement="support",
                                 text="社区两委研究同意申报，将提供场地支持。")


def seed(users: dict[str, User]) -> None:
    from .demo_progress import seed as seed_progress

    form = load_default_review_form()
    if not FundingRound.objects.filter(name=ROUND_NAME).exists():
        _seed_round(users, form)
    seed_progress(users)


def _seed_round(users: dict[str, User], form) -> None:
    now = timezone.now()
    bureau = users["city_bureau"]
    funding_round = services.round_create(
        actor=bureau, tranches=[(Decimal("50"), TrancheRule.Trigger.AGREEMENT),
                                (Decimal("30"), TrancheRule.Trigger.MIDTERM),
                                (Decimal("20"), TrancheRule.Trigger.FINAL)],
        name=ROUND_NAME, year=now.year, funder=Region.objects.get(code="510100"),
        description="按首年市级示范项目规则：单个项目不超过 10 万元，同一社区所有项目合计不超过 30 万元（演示数据）。",
        total_budget=Decimal("20000000"), per_project_cap=Decimal("100000"), per_community_cap=Decimal("300000"),
        opens_at=now - datetime.timedelta(days=30), closes_at=now + datetime.timedelta(days=60),
        report_frequency=FundingRound.ReportFrequency.QUARTERLY, review_form=form, score_spread_gap=Decimal("15"),
    )
    reviewers = [users["reviewer"], users["reviewer2"]]

    # 1. 高桥社区 night market: approved, agreement signed, first tranche paid.
    today = timezone.localdate()
    gaoqiao, rongxiang = _application(
        users=users, funding_round=funding_round, organization_index=0, community_code="510181005009",
        title="活力夜经济 治理新动能", dims=["people", "place", "livelihood"], leverage="industry",
        # The night-market project has been running for a year and a half (seed 000).
        starts_on=today - datetime.timedelta(days=540), ends_on=today + datetime.timedelta(days=180),
        planned_activities=20, planned_participations=3000)
    _endorse(users, gaoqiao, "gaoqiao")
    services.application_submit(application=gaoqiao, actor=rongxiang)
    services.application_screen(application=gaoqiao, actor=bureau, passed=True, reason="材料齐全")
    services.review_assign(applications=[gaoqiao], reviewers=reviewers, actor=bureau)
    for sheet, points in zip(gaoqiao.review_sheets.order_by("pk"), (Decimal("9"), Decimal("8")), strict=False):
        _score(sheet, points, "approve")
    services.application_decide(application=gaoqiao, actor=bureau, decision="approve",
                                reason="需求扎实，夜市治理与居民参与结合紧密，同意立项。",
                                approved_amount=Decimal("90000"),
                                agreement_signed_on=today - datetime.timedelta(days=540))
    project = gaoqiao.project
    services.disbursement_record(project=project, tranche=project.tranches.get(order=1), amount=Decimal("45000"),
                                 paid_on=today - datetime.timedelta(days=530),
                                 voucher_number="CDMZ-2026-0001", actor=bureau)

    # 2. 南桥社区: in expert review, one sheet in, one pending.
    nanqiao, _ = _application(users=users, funding_round=funding_round, organization_index=0,
                              community_code="510181004002", title="留住古城的根",
                              dims=["culture", "landscape"], leverage="culture")
    _endorse(users, nanqiao, "nanqiao")
    services.application_submit(application=nanqiao, actor=rongxiang)
    services.application_screen(application=nanqiao, actor=bureau, passed=True)
    services.review_assign(applications=[nanqiao], reviewers=reviewers, actor=bureau)
    _score(nanqiao.review_sheets.get(reviewer=users["reviewer2"]), Decimal("7"), "approve")

    # 3. 三溪社区: submitted, waiting for the formal check.
    sanxi, _ = _application(users=users, funding_round=funding_round, organization_index=0,
                            community_code="510181006203", title="发展多样自组织，构建和谐美社区",
                            dims=["people", "culture"], leverage="public_affairs")
    services.application_submit(application=sanxi, actor=rongxiang)

    # 4. 佳宏路社区: returned for revision after the formal check, then improved and resubmitted.
    jiahonglu, lelin = _application(users=users, funding_round=funding_round, organization_index=1,
                                    community_code="510104032009", title="商居共治 时间银行",
                                    dims=["people", "livelihood"], leverage="services")
    _endorse(users, jiahonglu, "jiahonglu")
    services.application_submit(application=jiahonglu, actor=lelin)
    services.application_screen(application=jiahonglu, actor=bureau, passed=False,
                                reason="请补充商家联盟的参与方式和时间银行积分兑换规则。")
    services.application_update(application=jiahonglu, actor=lelin, data={
        "strategy": "联合商家联盟建立时间银行：志愿者每次签到积 50 分，在合作商家兑换商品和服务。"})

    # 5. 铁门社区: a draft still being written.
    _application(users=users, funding_round=funding_round, organization_index=1, community_code="510117005005",
                 title="院落美化 居民评审", dims=["landscape", "place"], leverage="public_space")

    # 6. A rejected and 7. a withdrawn application.
    rejected, _ = _application(users=users, funding_round=funding_round, organization_index=0,
                               community_code="510181005009", title="社区广场舞比赛",
                               dims=["culture"], leverage="culture")
    services.application_endorse(application=rejected, actor=users["gaoqiao"], endorsement="reservations",
                                 text="活动单一，居民议事环节不足。")
    services.application_submit(application=rejected, actor=rongxiang)
    services.application_screen(application=rejected, actor=bureau, passed=True)
    services.review_assign(applications=[rejected], reviewers=[users["reviewer"]], actor=bureau)
    _score(rejected.review_sheets.get(), Decimal("4"), "reject")
    services.application_decide(application=rejected, actor=bureau, decision="reject",
                                reason="以单次文体活动为主，缺少居民参与公共事务的设计。")
    withdrawn, _ = _application(users=users, funding_round=funding_round, organization_index=1,
                                community_code="510104032004", title="楼栋微更新",
                                dims=["place"], leverage="public_space")
    services.application_withdraw(application=withdrawn, actor=users["lelin"], reason="机构人手调整，本轮暂不申报。")


def _score(sheet: ReviewSheet, points: Decimal, recommendation: str) -> None:
    scores = {
        s.criterion_id: (min(points, s.criterion.max_score), "") for s in sheet.scores.select_related("criterion")
    }
    services.review_save(sheet=sheet, actor=sheet.reviewer, scores=scores, recommendation=recommendation,
                         comment="总体意见（演示）")
    services.review_submit(sheet=sheet, actor=sheet.reviewer)


