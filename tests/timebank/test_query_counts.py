"""Lists and the dashboard cost the same number of queries with 2 rows as with 12."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.timebank.fixtures import make_merchant, make_resident
from timebank import services

pytestmark = pytest.mark.django_db


def _grow(places, staff, admin, start, n):
    for i in range(start, start + n):
        task = services.task_create(actor=staff, community=places.jiahonglu, title=f"任务{i}", place="x",
                                    starts_at=timezone.now() + datetime.timedelta(days=1))
        partner = make_merchant(community=places.jiahonglu, admin=admin, staff=staff, name=f"商家{i}",
                                body=f"92510104MA6C1H{i:03d}", username=f"shop{i}")
        resident = make_resident(places.jiahonglu, f"v{i}")
        services.checkin_add_from_list(task=task, actor=staff, resident=resident)
        reward = services.reward_create(actor=staff, partner=partner, name="券", points=10, stock=5)
        services.redemption_confirm(actor=partner.organization.memberships.get().user,
                                    code=services.redemption_request(actor=resident.user, reward=reward).code)


@pytest.mark.parametrize("name", ["timebank:task_list", "timebank:dashboard", "timebank:reward_list",
                                  "api:timebank-task-list", "api:timebank-redemption-list"])
def test_queries_do_not_grow_with_rows(name, places, cast, django_assert_num_queries):
    staff, admin = cast["other_community"], cast["admin"]
    client = Client()
    client.force_login(staff)
    url = reverse(name, args=[places.jiahonglu.pk]) if name == "timebank:dashboard" else reverse(name)
    _grow(places, staff, admin, 0, 2)
    client.get(url)  # warm the per-process caches (URL resolver, content types)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(places, staff, admin, 2, 10)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
