"""Demo: the city's allocation rules as data, and 佳宏路社区's fund for this year —
4,620 households × 4,000 yuan per 100 — advanced to 组织实施: the notice, a household
vote that happened (online by residents and paper forms entered by staff), the council
meeting's minutes, the decision publicised, the hearing, two items and their spending.
Dates are derived from today."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from places.demo import JIAHONGLU
from places.models import Community, Household

from . import services
from .models import AllocationRule, Collection, HouseholdVote, YearFund
from .workflows import fund_machine

# (kind, effective from, per 100 households, fixed amount, source) — seed 003.
RULES = [
    ("urban", datetime.date(2012, 1, 1), Decimal("3000"), None, "《成都市城市社区公共服务和社会管理专项资金管理办法》（2012）"),
    ("urban", datetime.date(2016, 1, 1), Decimal("4000"), None, "每百户不低于 4000 元（提高后标准）"),
    ("converted", datetime.date(2012, 1, 1), Decimal("3000"), None, "参照城市社区标准"),
    ("converted", datetime.date(2016, 1, 1), Decimal("4000"), None, "参照城市社区标准"),
    ("mixed", datetime.date(2012, 1, 1), Decimal("3000"), None, "参照城市社区标准"),
    ("mixed", datetime.date(2016, 1, 1), Decimal("4000"), None, "参照城市社区标准"),
    ("rural", datetime.date(2009, 1, 1), None, Decimal("200000"), "《成都市公共服务和社会管理村级专项资金管理办法》（2009）"),
    ("rural", datetime.date(2015, 1, 1), None, Decimal("400000"), "2015 年起每村不低于 40 万元"),
]


def load_rules() -> None:
    for kind, start, per_100, fixed, source in RULES:
        AllocationRule.objects.get_or_create(kind=kind, effective_from=start, defaults={
            "per_100_households": per_100, "fixed_amount": fixed, "source": source})


OPTIONS = [("3 号院非机动车充电棚", Decimal("60000")), ("老年食堂助餐补贴", Decimal("50000")),
           ("院落绿化提升", Decimal("40000")), ("青少年四点半课堂", Decimal("30000"))]


@transaction.atomic
def seed(users):
    from councils.models import Meeting
    from residents.demo import demo_residents

    load_rules()
    _tiemen_contest(users)  # contests (#18)
    community = Community.objects.filter(code=JIAHONGLU).first()
    staff = users.get("jiahonglu")
    today = timezone.localdate()
    if community is None or staff is None or YearFund.objects.filter(community=community, year=today.year).exists():
        return
    meeting = Meeting.objects.filter(council__community=community).order_by("pk").first()
    residents = [r for r in demo_residents(community) if r.household_id]
    if meeting is None or not residents:
        return
    fund = services.fund_open(actor=staff, community=community, year=today.year)
    start = today - datetime.timedelta(days=120)
    fund = services.evidence_save(
        actor=staff, fund=fund, notice_from=start, notice_until=start + datetime.timedelta(days=14),
        notice=f"{today.year} 年社区公共服务资金开始征集意见：每户一票，可在手机上投票，也可填写纸质意见表交居委会。")
    # The collection is open today while the demo votes, then its dates are set back to
    # when it really ran (data, not a state: the machine is untouched).
    collection = services.collection_open(actor=staff, fund=fund, title=f"{today.year} 年公共服务资金项目意见征集",
                                          opens_on=today, closes_on=today, options=OPTIONS)
    fund = services.fund_step(actor=staff, fund=fund, name="collect")
    options = list(collection.options.all())
    seen = set()
    for n, resident in enumerate(residents):
        if resident.household_id in seen:
            continue
        seen.add(resident.household_id)
        services.vote_cast(actor=resident.user, collection=collection, option=options[n % 3 if n % 5 else 0])
    paper = [Household.objects.get_or_create(community=community, number=f"纸-{n:03d}",
                                             defaults={"address": f"佳宏路 5 号院 {n} 号"})[0] for n in range(1, 41)]
    for n, household in enumerate(paper[:30]):
        services.vote_enter_paper(actor=staff, collection=collection, household_number=household.number,
                                  option=options[[0, 0, 1, 2, 3][n % 5]])
    collection = services.collection_close(actor=staff, collection=collection)
    ran_from, ran_until = start + datetime.timedelta(days=15), start + datetime.timedelta(days=29)
    Collection.objects.filter(pk=collection.pk).update(opens_on=ran_from, closes_on=ran_until)
    HouseholdVote.objects.filter(collection=collection).update(
        cast_at=timezone.make_aware(datetime.datetime.combine(ran_until, datetime.time(10))))
    fund = services.fund_step(actor=staff, fund=fund, name="discuss")
    fund = services.evidence_save(
        actor=staff, fund=fund, discussion_meeting=meeting, publicity_days=7,
        discussion_minutes="院落自治组织对居民提出的项目归类讨论；议事会逐项审议，综合轻重缓急、居民意愿强度和自筹资金。",
        decision="拟实施：1. 3 号院非机动车充电棚 60,000 元；2. 老年食堂助餐补贴 50,000 元。")
    # Publicised 60 days ago (the demo sets the date the step would have recorded then).
    fund = fund_machine.fire(fund, "publicise", actor=staff, updates={"publicised_on": today - datetime.timedelta(
        days=60)})
    fund = services.fund_step(actor=staff, fund=fund, name="hear")
    fund = services.evidence_save(actor=staff, fund=fund, hearing_on=today - datetime.timedelta(days=50),
                                  hearing_record="听证会到会居民代表 35 人，3 号院住户对充电棚选址提出调整意见，已采纳。")
    fund = services.fund_step(actor=staff, fund=fund, name="implement")
    shed = services.item_add(actor=staff, fund=fund, title="3 号院非机动车充电棚", use="facilities",
                             budget=Decimal("60000"), option=options[0])
    canteen = services.item_add(actor=staff, fund=fund, title="老年食堂助餐补贴", use="volunteer",
                                budget=Decimal("50000"), option=options[1])
    services.spend(actor=staff, item=shed, amount=Decimal("42000"), voucher=f"JH{today.year}-001",
                   spent_on=today - datetime.timedelta(days=20), purpose="充电棚钢结构及安装（首期）")
    services.spend(actor=staff, item=canteen, amount=Decimal("12500.50"), voucher=f"JH{today.year}-002",
                   spent_on=today - datetime.timedelta(days=10), purpose="助餐补贴（第一季度）")


def _tiemen_contest(users) -> None:
    """铁门社区's fund of the year pays its 院落美化大赛 (projects/demo_contests.py): open it
    (implementation step, evidence not shown in this demo), then let the contest run."""
    from places.demo import TIEMEN
    from projects.demo_contests import seed_tiemen_contest

    community = Community.objects.filter(code=TIEMEN).first()
    staff = users.get("tiemen")
    if community is None or staff is None:
        return
    if not YearFund.objects.filter(community=community, year=timezone.localdate().year).exists():
        services.fund_open(actor=staff, community=community, year=timezone.localdate().year)
    seed_tiemen_contest(users)
