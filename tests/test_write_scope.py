"""Every write endpoint × (own scope, other scope, moving the object out of scope) — #13 finding 6.

Generated from one table: (who, method, url, payload, allowed). A refused write changes nothing.
"""
import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from organizations.demo import DEMO_ORGANIZATIONS, credit_code
from organizations.models import Organization
from places.models import Community, Region
from projects import services as project_services
from projects.models import FundingRound
from tests.projects.fixtures import TRANCHES, review_form  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def district_round(cast, places, review_form):
    now = timezone.now()
    return project_services.round_create(
        actor=cast["district_bureau"], tranches=TRANCHES, name="2016年都江堰市社区营造", year=2016,
        funder=places.dujiangyan, total_budget=Decimal("1000000"), per_project_cap=Decimal("100000"),
        per_community_cap=Decimal("300000"), opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=30), review_form=review_form)


def _round_cases(places):
    return [
        # (role, payload, allowed)
        ("district_bureau", {"name": "改名"}, True),                       # own scope
        ("other_district_bureau", {"name": "改名"}, False),                # other scope
        ("district_bureau", {"funder": places.jinjiang.pk}, False),        # moved to another district
        ("district_bureau", {"funder": places.yinxing.pk}, False),         # moved to a street
        ("district_bureau", {"funder": places.city.pk}, False),            # moved up to the city
        ("city_bureau", {"funder": places.yinxing.pk}, False),             # a street is never a funder
        ("city_bureau", {"funder": places.jinjiang.pk}, True),             # the city may reassign
        ("agency", {"name": "改名"}, False),
    ]


@pytest.mark.parametrize("case", range(8))
def test_round_patch_scope(case, district_round, places, client_for):
    role, payload, allowed = _round_cases(places)[case]
    before = FundingRound.objects.values().get(pk=district_round.pk)
    response = client_for(role).patch(f"/api/rounds/{district_round.pk}/", payload, content_type="application/json")
    after = FundingRound.objects.values().get(pk=district_round.pk)
    if allowed:
        assert response.status_code == 200, response.content
        assert after != before
    else:
        assert response.status_code in (400, 403, 404), (role, payload, response.status_code, response.content)
        assert after == before


def _org_payload(region, n):
    return {"name": f"新登记社工中心{n}", "credit_code": credit_code(f"52{region.code}MJ9A{n}X1A0"),
            "kind": "social_work_agency", "region": region.pk}


@pytest.mark.parametrize("role, region, allowed", [
    ("district_bureau", "dujiangyan", True),
    ("district_bureau", "jinjiang", False),
    ("city_bureau", "jinjiang", True),
    ("street", "dujiangyan", False),
    ("community", "dujiangyan", False),
    ("agency", "dujiangyan", False),
    ("outsider", "dujiangyan", False),
])
def test_organization_create_scope(role, region, allowed, places, client_for):
    region = getattr(places, region)
    count = Organization.objects.count()
    response = client_for(role).post("/api/organizations/", _org_payload(region, 1), content_type="application/json")
    if allowed:
        assert response.status_code == 201, response.content
        assert Organization.objects.get(pk=response.json()["id"]).region == region
    else:
        assert response.status_code in (400, 403), (role, response.status_code, response.content)
        assert Organization.objects.count() == count


@pytest.mark.parametrize("role, payload, allowed", [
    ("agency", {"address": "银杏街道 1 号"}, True),                    # the leader, own organisation
    ("other_agency", {"address": "x"}, False),                          # other organisation
    ("agency", {"region": "jinjiang"}, False),                           # the leader moving it away
    ("district_bureau", {"address": "y"}, True),                        # its district's bureau
    ("district_bureau", {"region": "jinjiang"}, False),                 # … moving it out of its scope
    ("other_district_bureau", {"address": "z"}, False),
    ("city_bureau", {"region": "jinjiang"}, True),
])
def test_organization_update_scope(role, payload, allowed, organizations, places, client_for):
    rongxiang = organizations["rongxiang"]
    assert rongxiang.region == places.dujiangyan, DEMO_ORGANIZATIONS[0]
    body = {k: (getattr(places, v).pk if k == "region" else v) for k, v in payload.items()}
    before = Organization.objects.values().get(pk=rongxiang.pk)
    response = client_for(role).patch(f"/api/organizations/{rongxiang.pk}/", body, content_type="application/json")
    after = Organization.objects.values().get(pk=rongxiang.pk)
    if allowed:
        assert response.status_code == 200, response.content
        assert after != before
    else:
        assert response.status_code in (400, 403, 404), (role, response.status_code, response.content)
        assert after == before


@pytest.mark.parametrize("role, community, allowed", [
    ("community", "gaoqiao", True),
    ("community", "jiahonglu", False),
    ("district_bureau", "gaoqiao", True),
    ("district_bureau", "jiahonglu", False),
    ("street", "gaoqiao", False),
    ("agency", "gaoqiao", False),
])
def test_community_profile_scope(role, community, allowed, places, client_for):
    target = getattr(places, community)
    before = Community.objects.values().get(pk=target.pk)
    response = client_for(role).patch(f"/api/communities/{target.pk}/", {"grids": 7},
                                      content_type="application/json")
    after = Community.objects.values().get(pk=target.pk)
    if allowed:
        assert response.status_code == 200, response.content
        assert after["grids"] == 7
    else:
        assert response.status_code in (403, 404), (role, response.status_code)
        assert after == before


def test_services_refuse_even_when_called_directly(cast, places, organizations):
    """Views can't be bypassed: the services check role and scope themselves."""
    from django.core.exceptions import PermissionDenied

    from organizations import services as org_services
    from places import services as place_services
    with pytest.raises(PermissionDenied):
        place_services.community_update_profile(community=places.jiahonglu, actor=cast["community"],
                                                data={"grids": 1})
    with pytest.raises(PermissionDenied):
        org_services.organization_create(actor=cast["district_bureau"], credit_code=credit_code("52510104MJ9A1X1A0"),
                                         name="x", kind="social_work_agency", region=places.jinjiang)
    with pytest.raises(PermissionDenied):
        org_services.organization_update(organization=organizations["rongxiang"], actor=cast["agency"],
                                         data={"region": places.jinjiang})
    assert Region.objects.filter(pk=places.jinjiang.pk).exists()
