"""Lists cost the same number of queries whatever the number of rows.

Each test counts the queries of a page at one size, grows the data past a page, and
counts again.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations import services as org_services
from organizations.demo import credit_code
from organizations.models import Organization
from places import services
from places.models import Community

pytestmark = pytest.mark.django_db


def queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def grow_street(places, cast, n=30):
    new = Community.objects.bulk_create(
        Community(code=f"510181005{900 + i}", name=f"新社区{i}", street=places.yinxing) for i in range(n)
    )
    # Some merged ones too: the list shows their successor's name.
    for community in new[:3]:
        services.community_merge(community=community, into=places.gaoqiao, merged_on=datetime.date(2020, 1, 1),
                                 actor=cast["admin"], reason="测试")


@pytest.mark.parametrize("url,params", [
    (reverse("places:community_list"), {"include_merged": "on"}),
    ("/api/communities/", {}),
])
def test_community_list(client_for, places, cast, url, params):
    client = client_for("street")
    small = queries(client, url, params)
    grow_street(places, cast)
    # session + user + role scope, count, page of communities with street, district, successor
    assert queries(client, url, params) == small


def test_home(client_for, places, cast):
    client = client_for("street")
    small = queries(client, reverse("home"))
    grow_street(places, cast)
    assert queries(client, reverse("home")) == small


def grow_organizations(places, cast, n=40):
    for i in range(n):
        body = f"5251018100000{i:04d}"
        org_services.organization_create(actor=cast["admin"], credit_code=credit_code(body), name=f"社工中心{i}",
                                         kind=Organization.Kind.SOCIAL_WORK_AGENCY, region=places.dujiangyan)


@pytest.mark.parametrize("url", [reverse("organizations:organization_list"), "/api/organizations/"])
def test_organization_list(client_for, places, cast, url):
    client = client_for("agency")
    small = queries(client, url)
    grow_organizations(places, cast)
    # session + user, count, a page of organisations with their region
    assert queries(client, url) == small


def test_members_page(client_for, places, cast, organizations):
    rongxiang = organizations["rongxiang"]
    url = reverse("organizations:organization_members", args=[rongxiang.pk])
    client = client_for("district_bureau")
    small = queries(client, url)
    for name in ("outsider", "reviewer", "supervisor", "evaluator", "street"):
        org_services.membership_add(organization=rongxiang, user=cast[name], actor=cast["admin"])
    assert queries(client, url) == small
