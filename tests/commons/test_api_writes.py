"""The commons kept through the API as through the pages: the same services, the same
keeper rule (out of scope 404, read-only 403), field errors as 400 that change nothing,
and one create per Idempotency-Key."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from commons import services
from commons.models import CommunityFund, CompactVersion, CourtyardActivity, CourtyardEntry, CourtyardMember, FundEntry
from tests import files

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def post(client, path, data, **headers):
    return client.post(path, data, content_type="application/json", **headers)


def test_a_keeper_runs_the_courtyard_through_the_api(commons, cast, client):
    client.force_login(cast["community"])
    base = f"/api/courtyards/{commons.courtyard.pk}"
    response = post(client, f"{base}/body/", {"name": "铁门院落自治小组", "rules": "自愿加入"})
    assert response.status_code == 200 and response.json()["body"]["name"] == "铁门院落自治小组"

    response = post(client, f"{base}/members/", {"name": "张", "role": "head", "joined_on": TODAY().isoformat()})
    assert response.status_code == 201 and response.json()["role"] == "head"
    member = CourtyardMember.objects.get(pk=response.json()["id"])
    response = post(client, f"{base}/members/", {"name": "李", "role": "head", "joined_on": TODAY().isoformat()})
    assert response.status_code == 400 and "role" in response.json()  # one head at a time, the service says

    response = post(client, f"{base}/members/{member.pk}/leave/", {})
    assert response.status_code == 200 and response.json()["left_on"] == TODAY().isoformat()

    response = post(client, f"{base}/compact/", {"text": "爱护公共设施。", "adopted_on": TODAY().isoformat(),
                                                 "adopted_by": "院落居民大会"})
    assert response.status_code == 201 and response.json()["number"] == 1

    response = client.post(f"{base}/activities/", {"held_on": TODAY().isoformat(), "title": "清洁日",
                                                   "participants": 30, "photo": files.jpeg()})
    assert response.status_code == 201 and response.json()["has_photo"] is True
    assert CourtyardActivity.objects.get(pk=response.json()["id"]).photo_type == "image/jpeg"

    response = post(client, f"{base}/entries/", {"direction": "income", "amount": "500", "voucher": "R-1",
                                                 "entry_on": TODAY().isoformat(), "purpose": "停车费"})
    assert response.status_code == 201 and response.json()["amount"] == "500.00"
    response = post(client, f"{base}/entries/", {"direction": "expense", "amount": "600", "voucher": "P-1",
                                                 "entry_on": TODAY().isoformat(), "purpose": "修车棚"})
    assert response.status_code == 400 and "不足" in response.json()["amount"][0]

    actions = set(AuditEvent.objects.filter(action__startswith="courtyard.").values_list("action", flat=True))
    assert actions == {"courtyard.body_save", "courtyard.member_add", "courtyard.member_leave",
                       "courtyard.compact_adopt", "courtyard.activity_add", "courtyard.income"}


def test_the_fund_opens_with_a_donation_and_pays_its_own_self_organisations(commons, places, cast, client):
    client.force_login(cast["community"])
    response = post(client, "/api/community-funds/donations/", {
        "community": places.gaoqiao.pk, "donor": commons.enterprise.pk, "amount": "2500",
        "entry_on": TODAY().isoformat()})
    assert response.status_code == 201 and response.json()["kind"] == "donation"
    fund = CommunityFund.objects.get(community=places.gaoqiao)
    response = post(client, f"/api/community-funds/{fund.pk}/grants/", {
        "selforg": commons.selforg.pk, "amount": "1000", "purpose": "编织培训"})
    assert response.status_code == 201 and response.json()["selforg"] == commons.selforg.pk
    response = post(client, f"/api/community-funds/{fund.pk}/grants/", {
        "selforg": commons.selforg.pk, "amount": "2000", "purpose": "再培训"})
    assert response.status_code == 400 and "不足" in response.json()["amount"][0]
    fund.refresh_from_db()
    assert (fund.income, fund.granted, fund.balance) == (Decimal("2500"), Decimal("1000"), Decimal("1500"))


def test_choices_are_the_pages_choices(commons, places, cast, client):
    from organizations.models import Organization, SelfOrganization

    client.force_login(cast["community"])
    not_an_enterprise = Organization.objects.exclude(kind=Organization.Kind.SOCIAL_ENTERPRISE).first()
    response = post(client, "/api/community-funds/donations/", {
        "community": places.gaoqiao.pk, "donor": not_an_enterprise.pk, "amount": "10",
        "entry_on": TODAY().isoformat()})
    assert response.status_code == 400 and "donor" in response.json()
    services.donation_record(actor=commons.staff, community=places.gaoqiao, donor=commons.enterprise,
                             amount=Decimal("100"), entry_on=TODAY())
    elsewhere = SelfOrganization.objects.create(community=places.nanqiao, name="别处的队", category="culture")
    fund = CommunityFund.objects.get(community=places.gaoqiao)
    response = post(client, f"/api/community-funds/{fund.pk}/grants/", {
        "selforg": elsewhere.pk, "amount": "10", "purpose": "x"})
    assert response.status_code == 400 and "selforg" in response.json()
    assert FundEntry.objects.filter(kind=FundEntry.Kind.GRANT).count() == 0


@pytest.mark.parametrize("payload, field", [
    ({"direction": "income", "amount": "abc", "voucher": "R", "entry_on": "2026-01-01", "purpose": "x"}, "amount"),
    ({"direction": "income", "amount": "1e400", "voucher": "R", "entry_on": "2026-01-01", "purpose": "x"}, "amount"),
    ({"direction": "gift", "amount": "5", "voucher": "R", "entry_on": "2026-01-01", "purpose": "x"}, "direction"),
    ({"direction": "income", "amount": "5", "voucher": "R" * 41, "entry_on": "2026-01-01", "purpose": "x"},
     "voucher"),
    ({"direction": "income", "amount": "5", "voucher": "R", "entry_on": "1800-01-01", "purpose": "x"}, "entry_on"),
    ({"direction": "income", "amount": "5", "voucher": "R", "entry_on": "2026-01-01"}, "purpose"),
])
def test_bad_input_is_a_field_error_and_changes_nothing(commons, cast, client, payload, field):
    client.force_login(cast["community"])
    response = post(client, f"/api/courtyards/{commons.courtyard.pk}/entries/", payload)
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not CourtyardEntry.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="courtyard.").exists()


def test_readers_get_403_and_outsiders_404_and_nothing_changes(commons, places, cast, client):
    services.body_save(actor=commons.staff, courtyard=commons.courtyard, name="铁门院落自治小组")
    member = services.member_add(actor=commons.staff, courtyard=commons.courtyard, name="李", role="member",
                                 joined_on=TODAY())
    good = {"name": "王", "role": "member", "joined_on": TODAY().isoformat()}
    base = f"/api/courtyards/{commons.courtyard.pk}"
    for role, expected in (("street", 403), ("district_bureau", 403), ("other_community", 404), ("agency", 404)):
        client.force_login(cast[role])
        assert post(client, f"{base}/members/", good).status_code == expected, role
        assert post(client, f"{base}/members/{member.pk}/leave/", {}).status_code == expected, role
    client.force_login(cast["street"])
    response = post(client, "/api/community-funds/donations/", {
        "community": places.gaoqiao.pk, "donor": commons.enterprise.pk, "amount": "10",
        "entry_on": TODAY().isoformat()})
    assert response.status_code == 403 and "工作人员" in response.json()["detail"]
    client.force_login(cast["other_community"])
    response = post(client, "/api/community-funds/donations/", {
        "community": places.gaoqiao.pk, "donor": commons.enterprise.pk, "amount": "10",
        "entry_on": TODAY().isoformat()})
    assert response.status_code == 404
    assert list(CourtyardMember.objects.values_list("name", "left_on")) == [("李", None)]
    assert not CommunityFund.objects.exists()


def test_a_member_of_another_courtyard_is_not_found_here(commons, places, cast, client):
    from places.models import Courtyard

    other = Courtyard.objects.create(community=places.gaoqiao, name="二号院落", households=40)
    services.body_save(actor=commons.staff, courtyard=other, name="二号院落自治小组")
    member = services.member_add(actor=commons.staff, courtyard=other, name="李", role="member", joined_on=TODAY())
    client.force_login(cast["community"])
    assert post(client, f"/api/courtyards/{commons.courtyard.pk}/members/{member.pk}/leave/", {}).status_code == 404
    member.refresh_from_db()
    assert member.left_on is None


def test_a_replayed_create_is_made_once(commons, cast, client):
    client.force_login(cast["community"])
    payload = {"text": "公约", "adopted_on": (TODAY() - datetime.timedelta(days=1)).isoformat(), "adopted_by": "大会"}
    path = f"/api/courtyards/{commons.courtyard.pk}/compact/"
    first = post(client, path, payload, HTTP_IDEMPOTENCY_KEY="compact-0001")
    again = post(client, path, payload, HTTP_IDEMPOTENCY_KEY="compact-0001")
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert CompactVersion.objects.count() == 1
