"""Demo: residents of 佳宏路社区 in three resident groups and their households. Two of
them are demo logins: `resident` (a council member, chairs the community council) and
`resident2` (a resident who raised a proposal). The others have no password (they
would get invite codes)."""

from django.db import transaction

from accounts.models import User
from places.demo import JIAHONGLU
from places.models import Community, Courtyard, Household, ResidentGroup

from .models import Resident

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = ["秀英", "建国", "桂兰", "志强", "淑芬", "国华", "玉珍", "文斌", "丽华", "德明", "春梅", "永红"]
GROUPS = ["第一居民小组", "第二居民小组", "第三居民小组"]
COUNT = 36


def demo_residents(community: Community) -> list[Resident]:
    return list(Resident.objects.filter(community=community).select_related("user", "group").order_by("pk"))


@transaction.atomic
def seed(users):
    community = Community.objects.filter(code=JIAHONGLU).first()
    staff = users.get("jiahonglu")
    if community is None or staff is None or Resident.objects.filter(community=community).exists():
        return
    groups = [ResidentGroup.objects.get_or_create(community=community, name=name)[0] for name in GROUPS]
    courtyards = [Courtyard.objects.get_or_create(community=community, name=f"佳宏路{n}号院")[0] for n in (1, 3, 5)]
    for n in range(COUNT):
        group = groups[n % 3]
        courtyard = courtyards[n % 3]
        household, _created = Household.objects.get_or_create(
            community=community, number=f"{(n % 3) * 2 + 1}-{n // 3 + 1}-{101 + n % 4}",
            defaults={"address": f"{courtyard.name}{n // 3 + 1}单元", "courtyard": courtyard, "group": group})
        if n == 0:
            user = users["resident"]
        elif n == 21:
            user = users["resident2"]
        else:
            user, _created = User.objects.get_or_create(
                username=f"139{28000000 + n:08d}",
                defaults={"real_name": SURNAMES[n % len(SURNAMES)] + GIVEN[n % len(GIVEN)],
                          "phone": f"139{28000000 + n:08d}"})
            if _created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
        # Two cadres in 21 seats: well under the 50 % cap.
        Resident.objects.create(user=user, community=community, household=household, courtyard=courtyard,
                                group=group, is_cadre=n in (3, 4), registered_by=staff)
