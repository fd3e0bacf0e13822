"""The time bank's cast in 佳宏路社区: its community staff (`other_community` in the
shared cast), residents made with a tiny helper (test data only; registration belongs to
the residents app), a partner merchant with its staff, and a task."""

import datetime

import pytest
from django.utils import timezone

from organizations import services as org_services
from organizations.demo import credit_code
from organizations.models import Membership, Organization
from places.models import Household
from residents.models import Resident
from tests.conftest import make_user
from timebank import services


def make_resident(community, username: str) -> Resident:
    user = make_user(username)
    household, _ = Household.objects.get_or_create(community=community, number=f"H-{username}")
    return Resident.objects.create(user=user, community=community, household=household)


@pytest.fixture
def jiahonglu_staff(cast):
    return cast["other_community"]


@pytest.fixture
def resident(places):
    return make_resident(places.jiahonglu, "volunteer_li")


@pytest.fixture
def other_resident(places):
    return make_resident(places.jiahonglu, "volunteer_wang")


@pytest.fixture
def merchant(places, admin_user_obj, jiahonglu_staff):
    """红旗超市 as a partner of 佳宏路社区, with one member of staff."""
    org = org_services.organization_create(actor=admin_user_obj, credit_code=credit_code("92510104MA6C1H2Q3"),
                                           name="红旗超市佳宏路店", kind=Organization.Kind.MERCHANT,
                                           region=places.jinjiang, contact_phone="028-88880000")
    org_services.membership_add(organization=org, user=make_user("shopkeeper"), actor=admin_user_obj,
                                position=Membership.Position.LEADER)
    partner = services.partner_join(actor=jiahonglu_staff, community=places.jiahonglu, organization=org)
    return partner


@pytest.fixture
def shopkeeper(merchant):
    return merchant.organization.memberships.get().user


@pytest.fixture
def task(places, jiahonglu_staff):
    return services.task_create(actor=jiahonglu_staff, community=places.jiahonglu, title="楼道清洁",
                                place="比华利一期", starts_at=timezone.now() + datetime.timedelta(hours=1))
