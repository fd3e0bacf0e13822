"""Demo: 铁门社区's 院落美化大赛 (seed 002) on the round engine — the 10-member 院落美化评审会
(a resident chair and vice chair, courtyard backbones, party members, a business-estate
backbone and the community's staff), courtyard applications from 碧水苑, 红原农行小区 and
启明花园's 护卫队, reviewed by the committee and decided, paid from the community's
public-service fund. Called by publicfunds.demo once 铁门社区's fund of the year is open
(the grants debit it); dates are derived from today."""

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from organizations.models import SelfOrganization
from places.demo import TIEMEN
from places.models import Community, Courtyard
from residents import services as resident_services
from residents.models import Resident

from . import services as project_services
from .demo import load_default_review_form
from .models import FundingRound
from .services import contests

CONTEST_NAME = "铁门社区院落美化大赛"
COURTYARDS = ["若尔盖", "碧水苑", "银丰园", "宏祥汽修厂", "红原农行小区", "启明花园"]
# (name, courtyard, role on the committee or None, background)
PEOPLE = [
    ("杨淑芬", "碧水苑", "chair", "老旧院落骨干"),
    ("马德明", "若尔盖", "vice_chair", "老旧院落骨干"),
    ("何秀兰", "银丰园", "member", "社区党员"),
    ("罗建华", "宏祥汽修厂", "member", "老旧院落骨干"),
    ("谢桂英", "", "member", "商住小区骨干（华润·橡树湾）"),
    ("唐志强", "", "member", "社区党员"),
    ("曾玉珍", "红原农行小区", "member", "老旧院落骨干"),
    ("邓国平", "启明花园", "member", "启明花园护卫队骨干"),
    ("冯丽", "", "member", "商住小区骨干"),
    ("黄大爷", "碧水苑", None, "碧水苑墙绘队"),
    ("周阿姨", "红原农行小区", None, "红原农行墙绘团队"),
]
DEMO_LOGINS = {"杨淑芬", "黄大爷"}  # the committee's chair; an applicant from 碧水苑
APPLICATIONS = [  # (courtyard or self-org, filer, title, summary, amount, decision, granted)
    ("碧水苑", "黄大爷", "碧水苑“碧水蓝天”墙绘",
     "碧水苑墙绘队 5 人联合西华大学志愿者，绘制院落围墙 120 平方米，主题“碧水蓝天”。",
     Decimal("9800"), "approve", Decimal("9800")),
    ("红原农行小区", "周阿姨", "红原农行小区“汉藏文化融合”墙绘",
     "红原农行墙绘团队 8 人与银杏酒店管理学院合作，楼道与院墙彩绘，融合汉藏文化元素。",
     Decimal("9500"), "approve", Decimal("8000")),
    ("护卫队", "邓国平", "启明花园“环境美化”护卫行动",
     "启明花园护卫队 40 余人分片包干，清理卫生死角、补种绿植、设立宣传栏。",
     Decimal("6000"), "approve", Decimal("6000")),
]


def _resident(staff, community, n, name, courtyard) -> Resident:
    phone = f"1350280{n:04d}"
    existing = Resident.objects.filter(user__username=phone).select_related("user").first()
    if existing:
        return existing
    resident = resident_services.resident_register(actor=staff, community=community, real_name=name, phone=phone,
                                                   household_number=f"TM-{n:03d}", courtyard_name=courtyard)
    if name in DEMO_LOGINS:  # sign in by phone number with the demo password, see README
        resident.user.set_password(DEMO_PASSWORD)
        resident.user.save(update_fields=["password"])
    return resident


def seed_tiemen_contest(users) -> FundingRound | None:
    community = Community.objects.filter(code=TIEMEN).select_related("street").first()
    staff = users.get("tiemen")
    if community is None or staff is None or FundingRound.objects.filter(community=community,
                                                                         name=CONTEST_NAME).exists():
        return None
    today, now = timezone.localdate(), timezone.now()
    for name in COURTYARDS:
        Courtyard.objects.get_or_create(community=community, name=name, defaults={"households": 60})
    people = {name: _resident(staff, community, n, name, courtyard)
              for n, (name, courtyard, _role, _bg) in enumerate(PEOPLE, 1)}
    patrol, _created = SelfOrganization.objects.get_or_create(
        community=community, name="启明花园护卫队",
        defaults={"category": "sanitation", "stage": "formed", "members": 40,
                  "description": "以环境治理为核心的院落自组织。"})
    patrol.member_accounts.add(people["邓国平"].user)
    formed = today - datetime.timedelta(days=75)
    committee = contests.committee_create(
        actor=staff, community=community, name="院落美化评审会", formed_on=formed, max_members=10,
        duties="共同商定院落美化大赛规则，讨论项目申报时间及标准、资金使用办法，担任立项评审并验收院落打造效果。",
        join_rule="本社区居民骨干、党员或社区工作人员，经两名成员推荐、评审会过半数同意后加入；成员不超过 10 人。",
        exit_rule="本人书面申请退出，或连续三次无故缺席评审会议的，经评审会讨论后退出。")
    seats = [(p.user, role, bg) for (name, _c, role, bg), p in zip(PEOPLE, people.values(), strict=True) if role]
    seats.append((staff, "member", "社区工作人员"))
    for user, role, background in seats:
        contests.committee_join(actor=staff, committee=committee, user=user, role=role, background=background,
                                joined_on=formed)
    opens = now - datetime.timedelta(days=40)
    contest = contests.contest_create(
        actor=staff, community=community, name=CONTEST_NAME, year=today.year, funder_source="public_service_fund",
        committee=committee, review_form=load_default_review_form(), total_budget=Decimal("30000"),
        per_project_cap=Decimal("10000"), opens_at=opens, closes_at=now - datetime.timedelta(days=10),
        description="以老旧院落环境改善为主题，各院落以院落美化队伍或居民自组织申报；由院落美化评审会立项评审。")
    for n, (applicant, filer, title, summary, amount, decision, granted) in enumerate(APPLICATIONS):
        target = {"self_organization": patrol} if applicant == "护卫队" else {
            "courtyard": Courtyard.objects.get(community=community, name=applicant)}
        application = contests.contest_apply(actor=people[filer].user, contest=contest, title=title, summary=summary,
                                             requested_amount=amount, now=opens + datetime.timedelta(days=3 + n),
                                             **target)
        application = contests.contest_screen(actor=staff, application=application, passed=True)
        for k, sheet in enumerate(application.review_sheets.all()):
            points = Decimal(7 + (k + n) % 3)
            scores = {s.criterion_id: (points, "") for s in sheet.scores.all()}
            project_services.review_save(sheet=sheet, actor=sheet.reviewer, scores=scores, recommendation="approve",
                                         comment="院落居民参与度高，方案可行。")
            project_services.review_submit(sheet=sheet, actor=sheet.reviewer)
        contests.contest_decide(actor=staff, application=application, decision=decision, amount=granted,
                                reason="院落美化评审会评审通过。" if granted == amount else
                                "评审会建议压缩材料费后资助。")
    return contest
