"""Courtyards' 三有一公开 and the community fund: services, the keeper rule, the ledgers."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from commons import services
from commons.models import CommunityFund, CourtyardAccount, CourtyardMember, FundEntry
from residents import services as resident_services
from tests import files

TODAY = timezone.localdate


def test_compact_versions_keep_history(commons):
    first = services.compact_adopt(actor=commons.staff, courtyard=commons.courtyard, text="爱护公共设施。",
                                   adopted_on=TODAY() - datetime.timedelta(days=400), adopted_by="院落居民大会")
    second = services.compact_adopt(actor=commons.staff, courtyard=commons.courtyard, text="爱护公共设施；垃圾分类。",
                                    adopted_on=TODAY(), adopted_by="院落居民大会，到会 46 户")
    first.refresh_from_db()
    assert (first.number, second.number) == (1, 2)
    assert first.text == "爱护公共设施。"
    assert AuditEvent.objects.filter(action="courtyard.compact_adopt").count() == 2


def test_compact_in_the_future_is_refused(commons):
    with pytest.raises(ValidationError) as exc:
        services.compact_adopt(actor=commons.staff, courtyard=commons.courtyard, text="x",
                               adopted_on=TODAY() + datetime.timedelta(days=3), adopted_by="大会")
    assert "adopted_on" in exc.value.error_dict


def test_members_join_and_leave_with_one_head(commons):
    services.body_save(actor=commons.staff, courtyard=commons.courtyard, name="铁门院落自治小组", rules="自愿加入")
    head = services.member_add(actor=commons.staff, courtyard=commons.courtyard, name="李院长", role="head",
                               joined_on=TODAY())
    with pytest.raises(ValidationError) as exc:
        services.member_add(actor=commons.staff, courtyard=commons.courtyard, name="王", role="head", joined_on=TODAY())
    assert "已有院落长" in str(exc.value)
    services.member_leave(actor=commons.staff, member=head)
    services.member_add(actor=commons.staff, courtyard=commons.courtyard, name="王", role="head", joined_on=TODAY())
    assert CourtyardMember.objects.filter(body__courtyard=commons.courtyard).count() == 2


def test_member_needs_the_body_first(commons):
    with pytest.raises(ValidationError, match="请先登记院落自治组织"):
        services.member_add(actor=commons.staff, courtyard=commons.courtyard, name="李", role="member",
                            joined_on=TODAY())


def test_outsiders_cannot_keep_a_courtyard(commons, cast):
    for role in ("street", "other_community", "district_bureau"):
        with pytest.raises(PermissionDenied):
            services.body_save(actor=cast[role], courtyard=commons.courtyard, name="x")


def test_courtyard_accounts_never_go_negative(commons):
    services.courtyard_entry(actor=commons.staff, courtyard=commons.courtyard, direction="income",
                             amount=Decimal("500"), voucher="R1", entry_on=TODAY(), purpose="院落公共收益")
    services.courtyard_entry(actor=commons.staff, courtyard=commons.courtyard, direction="expense",
                             amount=Decimal("300"), voucher="P1", entry_on=TODAY(), purpose="花草")
    with pytest.raises(ValidationError) as exc:
        services.courtyard_entry(actor=commons.staff, courtyard=commons.courtyard, direction="expense",
                                 amount=Decimal("200.01"), voucher="P2", entry_on=TODAY(), purpose="灯")
    assert "不足" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.courtyard_entry(actor=commons.staff, courtyard=commons.courtyard, direction="income",
                                 amount=Decimal("1"), voucher="P1", entry_on=TODAY(), purpose="重复")
    assert "voucher" in exc.value.error_dict
    account = CourtyardAccount.objects.get(courtyard=commons.courtyard)
    assert (account.income, account.expense, account.balance) == (Decimal("500"), Decimal("300"), Decimal("200"))
    # The database is the last guard.
    with pytest.raises(IntegrityError), transaction.atomic():
        CourtyardAccount.objects.filter(pk=account.pk).update(balance=Decimal("-1"))


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "0", "-5", "1.001", "99999999999"])
def test_amounts_are_bounded(commons, amount):
    with pytest.raises(ValidationError):
        services.courtyard_entry(actor=commons.staff, courtyard=commons.courtyard, direction="income",
                                 amount=amount, voucher="X", entry_on=TODAY(), purpose="x")


def test_activity_photo_is_reencoded(commons, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    activity = services.activity_add(actor=commons.staff, courtyard=commons.courtyard, held_on=TODAY(),
                                     title="院落清洁日", participants=36, photo=files.jpeg())
    assert activity.photo_type == "image/jpeg" and activity.photo.name.endswith(".jpg")
    with pytest.raises(ValidationError) as exc:
        services.activity_add(actor=commons.staff, courtyard=commons.courtyard, held_on=TODAY(), title="x",
                              participants=1, photo=files.pdf())
    assert "photo" in exc.value.error_dict


def test_donation_grant_and_debit(commons, places, cast):
    services.donation_record(actor=commons.staff, community=places.gaoqiao, donor=commons.enterprise,
                             amount=Decimal("10000"), entry_on=TODAY())
    fund = CommunityFund.objects.get(community=places.gaoqiao)
    services.grant_make(actor=commons.staff, fund=fund, selforg=commons.selforg, amount=Decimal("6000"),
                        purpose="编织技能培训")
    with pytest.raises(ValidationError, match="不足"):
        services.grant_make(actor=commons.staff, fund=fund, selforg=commons.selforg, amount=Decimal("4000.01"),
                            purpose="再培训")
    entry = services.debit_community_fund(places.gaoqiao, Decimal("4000"), commons.staff, "微创投奖励",
                                          "contest:1/application:2")
    fund.refresh_from_db()
    assert (fund.income, fund.granted, fund.balance) == (Decimal("10000"), Decimal("10000"), Decimal("0"))
    assert entry.kind == FundEntry.Kind.DEBIT and entry.ref == "contest:1/application:2"
    assert AuditEvent.objects.filter(action__startswith="community_fund.").count() == 3


def test_only_social_enterprises_donate(commons, places, organizations):
    with pytest.raises(ValidationError) as exc:
        services.donation_record(actor=commons.staff, community=places.gaoqiao, donor=organizations["rongxiang"],
                                 amount=Decimal("1"), entry_on=TODAY())
    assert "donor" in exc.value.error_dict


def test_debit_without_a_fund_or_by_an_outsider_is_refused(commons, places, cast):
    with pytest.raises(ValidationError, match="尚未设立"):
        services.debit_community_fund(places.gaoqiao, Decimal("1"), commons.staff, "x")
    with pytest.raises(PermissionDenied):
        services.debit_community_fund(places.gaoqiao, Decimal("1"), cast["other_community"], "x")


def test_grant_to_another_communitys_selforg_is_refused(commons, places):
    from organizations.models import SelfOrganization

    services.donation_record(actor=commons.staff, community=places.gaoqiao, donor=commons.enterprise,
                             amount=Decimal("100"), entry_on=TODAY())
    other = SelfOrganization.objects.create(community=places.nanqiao, name="别处", category="other")
    with pytest.raises(ValidationError):
        services.grant_make(actor=commons.staff, fund=places.gaoqiao.community_fund, selforg=other,
                            amount=Decimal("1"), purpose="x")


# --- pages ----------------------------------------------------------------------------------------


def test_resident_reads_the_public_accounts_but_cannot_keep(commons, places, cast, client):
    services.courtyard_entry(actor=commons.staff, courtyard=commons.courtyard, direction="income",
                             amount=Decimal("88"), voucher="R9", entry_on=TODAY(), purpose="废品回收")
    resident = resident_services.resident_register(actor=commons.staff, community=places.gaoqiao, real_name="张",
                                                   phone="13800000009", household_number="9")
    client.force_login(resident.user)
    page = client.get(reverse("commons:courtyard_accounts", args=[commons.courtyard.pk]))
    assert page.status_code == 200 and "废品回收" in page.content.decode()
    assert client.get(reverse("commons:entry_add", args=[commons.courtyard.pk])).status_code == 403


def test_staff_keep_a_courtyard_through_the_pages(commons, client):
    client.force_login(commons.staff)
    url = reverse("commons:body_edit", args=[commons.courtyard.pk])
    assert client.post(url, {"name": "铁门院落自治小组"}).status_code == 302
    response = client.post(reverse("commons:compact_adopt", args=[commons.courtyard.pk]),
                           {"text": "公约", "adopted_on": "1999-01-01", "adopted_by": "大会"})
    assert response.status_code == 200 and "2000" in response.content.decode()  # error kept on the form
    detail = client.get(reverse("commons:courtyard_detail", args=[commons.courtyard.pk])).content.decode()
    assert "铁门院落自治小组" in detail


def test_donation_opens_the_fund_from_the_page(commons, places, client):
    client.force_login(commons.staff)
    response = client.post(reverse("commons:donation_add", args=[places.gaoqiao.pk]), {
        "donor": commons.enterprise.pk, "amount": "2500", "entry_on": TODAY().isoformat()})
    fund = CommunityFund.objects.get(community=places.gaoqiao)
    assert response.status_code == 302 and fund.balance == Decimal("2500")
    response = client.post(reverse("commons:grant_add", args=[fund.pk]), {
        "selforg": commons.selforg.pk, "amount": "3000", "purpose": "培训", "entry_on": TODAY().isoformat()})
    assert response.status_code == 200 and "不足" in response.content.decode()


def test_api_shows_the_courtyard_and_fund_ledgers_in_scope(commons, places, cast, client):
    services.body_save(actor=commons.staff, courtyard=commons.courtyard, name="铁门院落自治小组")
    services.compact_adopt(actor=commons.staff, courtyard=commons.courtyard, text="公约", adopted_on=TODAY(),
                           adopted_by="大会")
    entry = services.donation_record(actor=commons.staff, community=places.gaoqiao, donor=commons.enterprise,
                                     amount=Decimal("300"), entry_on=TODAY())
    client.force_login(cast["street"])
    detail = client.get(f"/api/courtyards/{commons.courtyard.pk}/").json()
    assert detail["body"]["name"] == "铁门院落自治小组" and detail["compact"]["number"] == 1
    fund = client.get(f"/api/community-funds/{entry.fund_id}/").json()
    assert fund["balance"] == "300.00" and fund["entries"][0]["kind"] == "donation"
    client.force_login(cast["other_community"])
    assert client.get(f"/api/courtyards/{commons.courtyard.pk}/").status_code == 404
    assert client.get("/api/community-funds/").json()["results"] == []


def test_resident_home_links_to_the_own_courtyard_and_fund(commons, places, client):
    from residents.models import Resident

    services.donation_record(actor=commons.staff, community=places.gaoqiao, donor=commons.enterprise,
                             amount=Decimal("50"), entry_on=TODAY())
    resident = resident_services.resident_register(actor=commons.staff, community=places.gaoqiao, real_name="赵",
                                                   phone="13800000011", household_number="11")
    Resident.objects.filter(pk=resident.pk).update(courtyard=commons.courtyard)
    client.force_login(resident.user)
    home = client.get(reverse("home")).content.decode()
    assert reverse("commons:courtyard_detail", args=[commons.courtyard.pk]) in home
    assert "社区基金收支" in home
