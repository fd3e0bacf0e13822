"""The time bank's cast in 佳宏路社区: its community staff (`other_community` in the
shared cast), residents made with a tiny helper (test data only; registration belongs to
the residents app), a partner merchant with its staff, and a task."""

import datetime

import pytest
from django.utils import timezone

from tests.timebank.fixtures import make_merchant, make_resident
from timebank import services


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
    return make_merchant(community=places.jiahonglu, admin=admin_user_obj, staff=jiahonglu_staff,
                         name="红旗超市佳宏路店")


@pytest.fixture
def shopkeeper(merchant):
    return merchant.organization.memberships.get().user


@pytest.fixture
def task(places, jiahonglu_staff):
    return services.task_create(actor=jiahonglu_staff, community=places.jiahonglu, title="楼道清洁",
                                place="比华利一期", starts_at=timezone.now() + datetime.timedelta(hours=1))
