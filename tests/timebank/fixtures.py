"""Time-bank objects in 高桥社区 for the permission matrix (plain functions, no fixtures)."""

import datetime

from django.utils import timezone

from organizations import services as org_services
from organizations.demo import credit_code
from organizations.models import Membership, Organization
from places.models import Household
from residents.models import Resident
from tests.conftest import make_user
from timebank import ledger, services


def make_resident(community, username: str) -> Resident:
    """Test data only: registration belongs to the residents app."""
    user = make_user(username)
    household, _ = Household.objects.get_or_create(community=community, number=f"H-{username}")
    return Resident.objects.create(user=user, community=community, household=household)


def make_merchant(*, community, admin, staff, name="阿芳理发店", body="92510104MA6C1H2Q3", username="shopkeeper"):
    org = org_services.organization_create(actor=admin, credit_code=credit_code(body), name=name,
                                           kind=Organization.Kind.MERCHANT, region=community.street.parent,
                                           contact_phone="028-88880000")
    org_services.membership_add(organization=org, user=make_user(username), actor=admin,
                                position=Membership.Position.LEADER)
    return services.partner_join(actor=staff, community=community, organization=org)


def build_gaoqiao_timebank(places, cast) -> dict:
    staff = cast["community"]
    community = places.gaoqiao
    resident = make_resident(community, "gq_resident")
    partner = make_merchant(community=community, admin=cast["admin"], staff=staff, name="高桥理发店",
                            body="92510181MA6C1H2Q4", username="gq_shopkeeper")
    reward = services.reward_create(actor=staff, partner=partner, name="义剪", points=50, stock=5)
    need = services.need_create(actor=staff, community=community, title="老人理发", category="haircut")
    task = services.task_create(actor=staff, community=community, title="义剪", place="活动室",
                                starts_at=timezone.now() + datetime.timedelta(days=1), needs=[need])
    token = services.checkin_token(task)
    checkin = services.checkin_scan(task=task, actor=resident.user, token=token)
    ledger.issue(resident=resident, amount=100, actor=staff, memo="志愿服务")
    redemption = services.redemption_request(actor=resident.user, reward=reward)
    return {"need": need, "task": task, "token": token, "checkin": checkin, "partner": partner,
            "reward": reward, "redemption": redemption, "account": ledger.resident_account(resident)}
