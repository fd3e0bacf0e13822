"""Demo part of the commons (seeds 002 and 003): 铁门社区's old courtyards with their
autonomy groups, compacts (two versions for 碧水苑), activities and public accounts; a
高桥社区 courtyard; a social enterprise in 高桥 giving part of its surplus to the
community fund, which funds a self-organisation. Dates come from today."""

import datetime
from decimal import Decimal

from django.utils import timezone

from organizations import selforgs
from organizations import services as org_services
from organizations.demo import credit_code
from organizations.models import Organization, SelfOrganization
from places.demo import DUJIANGYAN, GAOQIAO, TIEMEN
from places.models import Community, Courtyard, Region

from . import services
from .models import CourtyardBody

TIEMEN_COURTYARDS = ["碧水苑", "银丰园", "若尔盖", "宏祥汽修厂院落", "红原农行小区"]
COMPACT_V1 = "一、爱护院落公共设施，损坏照价赔偿。\n二、垃圾定点投放，不乱堆乱放。\n三、院落公共收益入账公开，每季度公示。"
COMPACT_V2 = COMPACT_V1 + "\n四、电动车统一在充电棚充电，不飞线充电。\n五、院落美化成果大家共同维护。"


def seed(users) -> None:
    tiemen = Community.objects.filter(code=TIEMEN).first()
    gaoqiao = Community.objects.filter(code=GAOQIAO).first()
    if tiemen is None or gaoqiao is None or CourtyardBody.objects.filter(courtyard__community=tiemen).exists():
        return
    today = timezone.localdate()
    _tiemen(tiemen, users["tiemen"], today)
    _gaoqiao(gaoqiao, users["gaoqiao"], users["admin"], today)


def _day(today, days_ago: int) -> datetime.date:
    return today - datetime.timedelta(days=days_ago)


def _tiemen(community, staff, today) -> None:
    for index, name in enumerate(TIEMEN_COURTYARDS):
        courtyard, _created = Courtyard.objects.get_or_create(community=community, name=name,
                                                              defaults={"households": 60 + 12 * index})
        services.body_save(actor=staff, courtyard=courtyard, name=f"{name}院落自治管理小组", founded_on=_day(today, 500),
                           rules="本院落居民自愿加入；连续三次无故缺席院落议事会视为退出。")
        for person, role in (("杨", "head"), ("何", "deputy"), ("罗", "treasurer"), ("邓", "member")):
            services.member_add(actor=staff, courtyard=courtyard, name=f"{person}{'阿姨' if index % 2 else '大爷'}",
                                role=role, joined_on=_day(today, 480))
        services.compact_adopt(actor=staff, courtyard=courtyard, text=COMPACT_V1, adopted_on=_day(today, 450),
                               adopted_by="院落居民大会")
        services.courtyard_entry(actor=staff, courtyard=courtyard, direction="income", amount=Decimal("3000"),
                                 voucher=f"TM{index}-01", entry_on=_day(today, 120), purpose="院落美化大赛奖励")
        services.courtyard_entry(actor=staff, courtyard=courtyard, direction="income", amount=Decimal("460"),
                                 voucher=f"TM{index}-02", entry_on=_day(today, 90), purpose="废品回收收益")
        services.courtyard_entry(actor=staff, courtyard=courtyard, direction="expense", amount=Decimal("1850.50"),
                                 voucher=f"TM{index}-03", entry_on=_day(today, 60), purpose="花箱与绿植")
        services.activity_add(actor=staff, courtyard=courtyard, held_on=_day(today, 60), title="院落美化共建日",
                              participants=25 + index * 4, description="骨干带领居民清理杂物、摆放花箱。")
    bishui = Courtyard.objects.get(community=community, name="碧水苑")
    services.compact_adopt(actor=staff, courtyard=bishui, text=COMPACT_V2, adopted_on=_day(today, 30),
                           adopted_by="院落居民大会，到会 46 户")


def _gaoqiao(community, staff, admin, today) -> None:
    courtyard, _created = Courtyard.objects.get_or_create(community=community, name="高桥3号院",
                                                          defaults={"households": 86})
    services.body_save(actor=staff, courtyard=courtyard, name="高桥3号院院委会", founded_on=_day(today, 300))
    services.member_add(actor=staff, courtyard=courtyard, name="陈大姐", role="head", joined_on=_day(today, 300))
    services.compact_adopt(actor=staff, courtyard=courtyard, text=COMPACT_V1, adopted_on=_day(today, 280),
                           adopted_by="院落居民大会")
    services.courtyard_entry(actor=staff, courtyard=courtyard, direction="income", amount=Decimal("1200"),
                             voucher="GQ3-01", entry_on=_day(today, 40), purpose="停车位公共收益")
    code = credit_code("92510181MA6CGQ7K1")
    enterprise = Organization.objects.filter(credit_code=code).first() or org_services.organization_create(
        actor=admin, credit_code=code, name="都江堰市高桥邻里社区服务社会企业", kind=Organization.Kind.SOCIAL_ENTERPRISE,
        region=Region.objects.get(code=DUJIANGYAN), community=community, contact_phone="028-87120000",
        description="经营社区食堂与便民维修，利润盈余部分捐入社区基金。")
    services.donation_record(actor=staff, community=community, donor=enterprise, amount=Decimal("20000"),
                             entry_on=_day(today, 75), reason="上年度利润盈余 20% 捐入社区基金")
    team = SelfOrganization.objects.filter(community=community, name="高桥巧手编织队").first() or \
        selforgs.selforg_create(actor=staff, community=community, name="高桥巧手编织队", category="culture",
                                stage="empowered", members=18, founded_on=_day(today, 700))
    services.grant_make(actor=staff, fund=community.community_fund, selforg=team, amount=Decimal("6000"),
                        purpose="编织技能培训与义卖活动", entry_on=_day(today, 20))
