"""Demo organisations with valid credit codes, and their staff."""

from shequ.demo import DEMO_ORGANIZATIONS, credit_code
from shequ.models import Region, User

from . import services
from .models import Membership, Organization

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
