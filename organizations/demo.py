"""Demo organisations with valid credit codes, and their staff."""

from accounts.models import User
from places.demo import CITY, DUJIANGYAN
from places.models import Region

from . import services
from .models import Membership, Organization
from .uscc import check_character

# (name, kind, registration region, 17-character body of the credit code)
DEMO_ORGANIZATIONS = [
    ("都江堰市融祥社会工作服务中心", "social_work_agency", DUJIANGYAN, "52510181MJ0R1X1A0"),
    ("成都市锦江区乐邻社会工作服务中心", "social_work_agency", "510104", "52510104MJ1L2N3B4"),
    ("成都市郫都区红光社区营造促进会", "social_organization", "510117", "51510117MJ2H4C5D6"),
    ("成都市社区营造支持中心", "hub", CITY, "52510100MJ3Y7E8F9"),
    ("都江堰市社区发展基金会", "community_foundation", DUJIANGYAN, "53510181MJ4J0G1H2"),
]


def credit_code(body: str) -> str:
    return body + check_character(body)


# demo username → index in DEMO_ORGANIZATIONS of the organisation they lead
LEADERS = {"rongxiang": 0, "lelin": 1}


def organization_by_index(index: int) -> Organization:
    return Organization.objects.get(credit_code=credit_code(DEMO_ORGANIZATIONS[index][3]))


def seed(users: dict[str, User]) -> None:
    admin = users["admin"]
    for name, kind, region_code, body in DEMO_ORGANIZATIONS:
        code = credit_code(body)
        if not Organization.objects.filter(credit_code=code).exists():
            services.organization_create(
                actor=admin, credit_code=code, name=name, kind=kind, region=Region.objects.get(code=region_code),
                contact_name="联系人", contact_phone="028-88880000",
            )
    for username, index in LEADERS.items():
        organization = organization_by_index(index)
        if not Membership.objects.filter(user=users[username], organization=organization).exists():
            services.membership_add(organization=organization, user=users[username], actor=admin,
                                    position=Membership.Position.LEADER, title="项目主管")
