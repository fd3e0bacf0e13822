"""佳宏路社区's time bank (seed 004): since 2014, seven volunteer teams earn points at
tasks and redeem them with 13 partner merchants (义剪、缝补、修理、优惠券); a needs
list from 坝坝会 and the phone, a resource list of merchants' offers, tasks, check-ins,
redemptions and a redemption day. Every date derives from today. Residents here are
demo data made directly (registration belongs to the residents app)."""

import datetime

from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from organizations import selforgs
from organizations import services as org_services
from organizations.models import Membership, Organization, SelfOrganization
from organizations.uscc import check_character
from places.models import Community, Courtyard, Household
from residents.models import Resident

from . import ledger, services
from .models import CheckIn, Entry, Need, PointsRule, Redemption, Resource, Task, TeamMember
from .workflows import task_machine

JIAHONGLU = "510104032009"
DEMO_PASSWORD = "shequ-demo-2026"  # the same as shequ.demo's (a lower app cannot import it)
COURTYARDS = ["比华利一期", "比华利二期", "比华利三期", "大观祥苑", "附外雅苑"]
TEAMS = [
    ("党员先锋志愿服务队", "mutual_aid"), ("微网格员志愿服务队", "patrol"), ("居民志愿服务队", "mutual_aid"),
    ("大学生志愿服务队", "child_care"), ("“小狮妹”老党员志愿服务队", "elder_care"),
    ("商居共建志愿服务队", "sanitation"), ("时间书屋志愿服务队", "culture"),
]
# (name, reward, points, stock, resource category) — 13 partner merchants (seed 004)
MERCHANTS = [
    ("华西奶业佳宏路服务点", "鲜牛奶兑换券（一周）", 120, 30, "goods"),
    ("伊利奶业佳宏路专营店", "酸奶礼盒", 150, 20, "goods"),
    ("红旗超市佳宏路店", "10 元购物优惠券", 80, 50, "goods"),
    ("吉百汇超市川师店", "粮油兑换券", 200, 20, "goods"),
    ("四川佳宏物业", "家电上门维修一次", 150, 15, "repair"),
    ("成都锦欣沙河堡医院", "老年人健康体检", 300, 10, "health"),
    ("成都市锦江区锦绣幼儿园", "亲子阅读活动名额", 100, 20, "child_care"),
    ("成都银行沙河堡支行", "防诈骗讲座礼品", 60, 40, "culture"),
    ("光大银行比华利社区银行", "便民雨伞", 80, 30, "goods"),
    ("链家佳宏北路分公司", "便民打印复印 20 张", 40, 60, "other"),
    ("佳宏路阿芳理发店", "义剪一次", 100, 40, "haircut"),
    ("巧手缝补小铺", "衣物缝补一次", 60, 40, "repair"),
    ("老周家电维修部", "小家电修理一次", 120, 25, "repair"),
]
RESIDENTS = [
    ("jh_resident", "李阿姨", 0), ("jh_volunteer2", "王大爷", 1), ("jh_volunteer3", "张姐", 2),
    ("jh_volunteer4", "刘同学", 3), ("jh_volunteer5", "陈叔", 4), ("jh_volunteer6", "赵阿姨", 0),
    ("jh_volunteer7", "孙老师", 1), ("jh_volunteer8", "周师傅", 2),
]


def _merchant_code(index: int) -> str:
    body = f"92510104MA6JH{index:02d}0Q"
    return body + check_character(body)


def _user(username: str, real_name: str) -> User:
    user, created = User.objects.get_or_create(username=username, defaults={"real_name": real_name})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _resident(community, username, real_name, courtyard) -> Resident:
    user = _user(username, real_name)
    existing = Resident.objects.filter(user=user).first()
    if existing:
        return existing
    household, _created = Household.objects.get_or_create(
        community=community, number=f"JH-{username}", defaults={"courtyard": courtyard, "address": courtyard.name})
    return Resident.objects.create(user=user, community=community, household=household, courtyard=courtyard)


def _backdate(entry_or_checkin, moment):
    """Demo history only: entries and check-ins of past tasks carry their day."""
    type(entry_or_checkin).objects.filter(pk=entry_or_checkin.pk).update(
        **({"created_at": moment} if isinstance(entry_or_checkin, Entry) else
           {"scanned_at": moment, "confirmed_at": moment}))


def seed(users: dict[str, User]) -> None:
    community = Community.objects.filter(code=JIAHONGLU).first()
    if community is None or PointsRule.objects.filter(community=community).exists():
        return
    staff, admin = users["jiahonglu"], users["admin"]
    PointsRule.objects.create(community=community, points_per_checkin=50, expire_after_days=730)
    courtyards = [Courtyard.objects.get_or_create(community=community, name=name)[0] for name in COURTYARDS]
    now = timezone.now()
    today = timezone.localdate()

    teams = []
    for name, category in TEAMS:
        team = SelfOrganization.objects.filter(community=community, name=name).first() or selforgs.selforg_create(
            actor=staff, community=community, name=name, category=category, stage="public_interest", members=20,
            founded_on=datetime.date(2014, 3, 5))
        teams.append(team)
    residents = [_resident(community, u, n, courtyards[c]) for u, n, c in RESIDENTS]
    for i, resident in enumerate(residents):
        TeamMember.objects.get_or_create(team=teams[i % len(teams)], resident=resident,
                                         defaults={"joined_on": today - datetime.timedelta(days=400)})

    partners = []
    for index, (name, reward, points, stock, category) in enumerate(MERCHANTS):
        org = Organization.objects.filter(credit_code=_merchant_code(index)).first() or \
            org_services.organization_create(actor=admin, credit_code=_merchant_code(index), name=name,
                                             kind=Organization.Kind.MERCHANT, region=community.street.parent,
                                             community=community, contact_phone="028-88880000")
        partner = services.partner_join(actor=staff, community=community, organization=org,
                                        joined_on=today - datetime.timedelta(days=900 - index * 30))
        services.reward_create(actor=staff, partner=partner, name=reward, points=points, stock=stock)
        Resource.objects.get_or_create(community=community, organization=org, title=reward, defaults={
            "kind": Resource.Kind.GOODS if category == "goods" else Resource.Kind.SERVICE, "category": category,
            "availability": "每月兑换日", "created_by": staff})
        partners.append(partner)
    merchant_user = _user("jh_merchant", "阿芳理发店 店长")
    barber = partners[10]
    if not Membership.objects.filter(user=merchant_user, organization=barber.organization).exists():
        org_services.membership_add(organization=barber.organization, user=merchant_user, actor=admin,
                                    position=Membership.Position.LEADER)
    services.resource_create(actor=staff, community=community, title="退休电工：小电器检修", kind="skill",
                             category="repair", resident=residents[7], courtyard=courtyards[2],
                             availability="周末上午")

    def need(title, category, courtyard, urgency="low", source="meeting", beneficiaries="", count=1):
        return services.need_create(actor=staff, community=community, title=title, category=category,
                                    courtyard=courtyard, urgency=urgency, source=source,
                                    beneficiaries=beneficiaries, beneficiary_count=count)

    n_haircut = need("独居老人上门理发", "haircut", courtyards[0], "normal", beneficiaries="独居老人", count=12)
    n_stairs = need("楼道杂物清理", "environment", courtyards[1], beneficiaries="二期住户", count=300)
    n_gas = need("燃气安全入户检查", "safety", None, "high", beneficiaries="全体住户", count=3000)
    n_mend = need("老人衣物缝补", "repair", courtyards[3], beneficiaries="高龄老人", count=20)
    need("暑期儿童看护", "child_care", courtyards[4], "normal", "visit", "双职工家庭儿童", 25)
    need("老年人智能手机教学", "culture", None, beneficiaries="老年居民", count=40)
    n_closed = need("小区电动车充电桩", "safety", courtyards[2], source="phone")
    services.need_step(need=n_closed, actor=staff, name="close", reason="已转议事会按“有事好协商”流程处理")
    # A resident raises one on the phone.
    services.need_create(actor=residents[0].user, community=community, title="家里水龙头漏水", category="repair",
                         courtyard=courtyards[0], urgency="normal", beneficiaries="本户", beneficiary_count=2)

    def task(title, days, needs=(), team=None, place="时间胶囊", publisher=None, points=None, hours=2):
        return services.task_create(actor=staff, community=community, title=title, place=place,
                                    starts_at=now + datetime.timedelta(days=days), needs=needs, team=team,
                                    publisher_organization=publisher, points=points, hours=hours, slots=20)

    def volunteer(t, people, days_ago):
        for resident in people:
            checkin = services.checkin_add_from_list(task=t, actor=staff, resident=resident)
            moment = now - datetime.timedelta(days=days_ago)
            _backdate(checkin, moment)
            _backdate(checkin.entry, moment)

    # Seven months of history: a task a month, so the 存取 chart has a shape.
    for months_ago in range(7, 0, -1):
        t = task(f"社区环境整治（第 {8 - months_ago} 次）", -30 * months_ago, team=teams[months_ago % 7],
                 place=courtyards[months_ago % 5].name)
        task_machine.fire(t, "start", actor=staff)
        volunteer(t, residents[months_ago % 3: months_ago % 3 + 3], 30 * months_ago)
        task_machine.fire(t, "finish", actor=staff)
    t_haircut = task("为独居老人上门义剪", -7, needs=[n_haircut], team=teams[4], publisher=barber.organization,
                     place="比华利一期")
    services.task_respond(task=t_haircut, actor=merchant_user, note="派 2 名理发师")
    task_machine.fire(t_haircut, "start", actor=staff)
    volunteer(t_haircut, residents[:4], 7)
    task_machine.fire(t_haircut, "finish", actor=staff)
    services.need_step(need=n_haircut, actor=staff, name="meet")
    t_gas = task("燃气安全入户宣传", 0, needs=[n_gas], team=teams[1], place="大观祥苑")
    task_machine.fire(t_gas, "start", actor=staff)
    volunteer(t_gas, residents[2:5], 0)
    services.checkin_scan(task=t_gas, actor=residents[6].user, token=services.checkin_token(t_gas))  # to confirm
    task(f"{COURTYARDS[1]}楼道杂物清理", 3, needs=[n_stairs], team=teams[5], place="比华利二期")
    task("衣物缝补进社区", 10, needs=[n_mend], publisher=partners[11].organization, place="时间驿站")
    t_cancel = task("户外观影（因雨取消）", 2, team=teams[6])
    services.task_step(task=t_cancel, actor=staff, name="cancel", reason="天气预报有大雨")

    # A year-end award, then redemptions: confirmed over the months, one waiting at the counter, one cancelled.
    for resident in residents[:2]:
        ledger.issue(resident=resident, amount=200, actor=staff, memo="年度优秀志愿者奖励", kind=Entry.Kind.AWARD)
    for i, resident in enumerate(residents[:6]):
        partner = partners[(i * 3) % 13]
        reward = partner.rewards.first()
        if ledger.resident_account(resident).balance < reward.points:
            continue
        redemption = services.redemption_request(actor=resident.user, reward=reward)
        shopkeeper = _user(f"jh_shop{(i * 3) % 13}", f"{partner.organization.name} 店员")
        if not Membership.objects.filter(user=shopkeeper, organization=partner.organization).exists():
            org_services.membership_add(organization=partner.organization, user=shopkeeper, actor=admin)
        services.redemption_confirm(actor=shopkeeper, code=redemption.code)
        moment = now - datetime.timedelta(days=20 * (6 - i))
        Redemption.objects.filter(pk=redemption.pk).update(confirmed_at=moment)
        _backdate(Entry.objects.get(redemption=redemption), moment)
    pending = services.redemption_request(actor=residents[0].user, reward=barber.rewards.first())
    cancelled = services.redemption_request(actor=residents[1].user, reward=partners[12].rewards.first())
    services.redemption_cancel(redemption=cancelled, actor=residents[1].user, reason="改天再来")
    assert pending.status == Redemption.Status.PENDING
    services.redemption_day_announce(actor=staff, community=community, held_on=today + datetime.timedelta(days=10),
                                     place="时间胶囊", note="13 家合作商家现场兑换，带上手机核销码")
    # The first merchant to join left this year: its history stays on the dashboard.
    services.partner_leave(actor=staff, partner=partners[9])
    assert CheckIn.objects.filter(task__community=community).exists()
    assert Need.objects.filter(Q(community=community) & Q(status="met")).exists()
    assert Task.objects.filter(community=community, status="published").exists()
