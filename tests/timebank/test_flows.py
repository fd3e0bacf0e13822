"""Needs, tasks, check-in, merchants and redemptions: services, pages and API, seen by
the people who use them — a resident of 佳宏路社区, its community staff, a partner
merchant's shopkeeper."""

import datetime
import json

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from notifications.models import Notification
from timebank import ledger, selectors, services
from timebank.models import CheckIn, Need, Redemption, Resource, Task

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- needs and matching ---------------------------------------------------------------------

def test_a_resident_raises_a_need_on_the_phone(places, resident):
    response = login(resident.user).post(reverse("timebank:need_create"), {
        "community": places.jiahonglu.pk, "title": "水龙头漏水", "category": "repair", "urgency": "normal",
        "beneficiary_count": 2, "source": "meeting"})
    need = Need.objects.get()
    assert response.status_code == 302
    assert need.source == Need.Source.PHONE  # a resident cannot claim a 坝坝会
    assert need.raised_by == resident.user and need.status == Need.Status.OPEN


def test_a_bad_need_keeps_what_was_typed_and_says_why(places, jiahonglu_staff):
    response = login(jiahonglu_staff).post(reverse("timebank:need_create"), {
        "community": places.jiahonglu.pk, "title": "楼道杂物", "category": "nonsense", "beneficiary_count": 0})
    assert response.status_code == 400
    assert "楼道杂物" in response.content.decode()
    assert not Need.objects.exists()


def test_a_resident_of_another_community_cannot_raise_a_need_there(places):
    from tests.timebank.fixtures import make_resident

    outsider = make_resident(places.gaoqiao, "gq")
    with pytest.raises(PermissionDenied):
        services.need_create(actor=outsider.user, community=places.jiahonglu, title="x", category="other")


def test_matching_resources_by_category_and_place(places, jiahonglu_staff, merchant, resident):
    from places.models import Courtyard

    one = Courtyard.objects.create(community=places.jiahonglu, name="比华利一期")
    two = Courtyard.objects.create(community=places.jiahonglu, name="比华利二期")
    need = services.need_create(actor=jiahonglu_staff, community=places.jiahonglu, title="缝补", category="repair",
                                courtyard=one)
    wide = services.resource_create(actor=jiahonglu_staff, community=places.jiahonglu, title="缝补铺",
                                    kind="service", category="repair", organization=merchant.organization)
    near = services.resource_create(actor=resident.user, community=places.jiahonglu, title="会缝纫",
                                    kind="skill", category="repair", resident=resident, courtyard=one)
    services.resource_create(actor=jiahonglu_staff, community=places.jiahonglu, title="远处", kind="skill",
                             category="repair", resident=resident, courtyard=two)
    services.resource_create(actor=jiahonglu_staff, community=places.jiahonglu, title="理发", kind="service",
                             category="haircut", organization=merchant.organization)
    assert list(selectors.matches_for_need(need)) == [near, wide]
    assert selectors.match_counts(Need.objects.all()).get().match_count == 2
    community_wide = services.need_create(actor=jiahonglu_staff, community=places.jiahonglu, title="维修",
                                          category="repair")
    assert selectors.match_counts(Need.objects.filter(pk=community_wide.pk)).get().match_count == 3


def test_need_list_queries_do_not_grow_with_rows(places, jiahonglu_staff, django_assert_max_num_queries):
    client = login(jiahonglu_staff)

    def make(n):
        for i in range(n):
            services.need_create(actor=jiahonglu_staff, community=places.jiahonglu, title=f"需求{i}",
                                 category="repair")

    make(2)
    with django_assert_max_num_queries(12) as small:  # session, user, scope, count, page (with match counts)
        assert client.get(reverse("timebank:need_list")).status_code == 200
    make(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("timebank:need_list")).status_code == 200


# --- tasks, response, check-in ------------------------------------------------------------------

def test_publishing_a_task_for_a_need_matches_it_and_takes_the_community_rule(places, jiahonglu_staff):
    from timebank.models import PointsRule

    PointsRule.objects.create(community=places.jiahonglu, points_per_checkin=80)
    need = services.need_create(actor=jiahonglu_staff, community=places.jiahonglu, title="理发", category="haircut")
    task = services.task_create(actor=jiahonglu_staff, community=places.jiahonglu, title="义剪", place="时间胶囊",
                                starts_at=timezone.now(), needs=[need])
    need.refresh_from_db()
    assert need.status == Need.Status.MATCHED and task.points == 80
    assert AuditEvent.objects.filter(action="need.match", object_id=str(need.pk)).exists()


def test_a_merchant_responds_in_one_step_and_the_publisher_is_told(task, merchant, shopkeeper, jiahonglu_staff):
    response = login(shopkeeper).post(reverse("timebank:task_respond", args=[task.pk]), {"note": "提供矿泉水"})
    assert response.status_code == 302
    assert task.responses.get().organization == merchant.organization
    assert Notification.objects.filter(user=jiahonglu_staff, kind="timebank_task_response").exists()
    with pytest.raises(ValidationError, match="已经响应过"):
        services.task_respond(task=task, actor=shopkeeper)


def test_someone_not_in_the_time_bank_cannot_respond(task, cast):
    with pytest.raises(PermissionDenied):
        services.task_respond(task=task, actor=cast["agency"])


def test_check_in_by_qr_then_confirm_credits_points_once(task, resident, jiahonglu_staff):
    qr = login(jiahonglu_staff).get(reverse("timebank:task_qr", args=[task.pk]))
    assert qr.status_code == 200 and qr["Content-Type"].startswith("image/svg+xml") and b"<svg" in qr.content
    url = reverse("timebank:checkin", args=[task.pk, services.checkin_token(task)])
    phone = login(resident.user)
    assert phone.get(url).status_code == 200
    assert phone.post(url).status_code == 302
    checkin = CheckIn.objects.get()
    assert checkin.confirmed_at is None and ledger.resident_account(resident).balance == 0
    assert phone.post(url).status_code == 400  # once per volunteer per task
    page = login(jiahonglu_staff)
    page.post(reverse("timebank:checkin_confirm", args=[task.pk, checkin.pk]))
    page.post(reverse("timebank:checkin_confirm", args=[task.pk, checkin.pk]))
    assert ledger.resident_account(resident).balance == 50


def test_an_expired_or_forged_token_is_refused(task, resident):
    phone = login(resident.user)
    with time_machine.travel(timezone.now() - datetime.timedelta(days=1)):
        old = services.checkin_token(task)
    response = phone.post(reverse("timebank:checkin", args=[task.pk, old]))
    assert response.status_code == 400 and "已过期" in response.content.decode()
    response = phone.post(reverse("timebank:checkin", args=[task.pk, old[:-2] + "xx"]))
    assert response.status_code == 400 and "无效" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_slots_and_state_are_checked(places, jiahonglu_staff, resident, other_resident):
    task = services.task_create(actor=jiahonglu_staff, community=places.jiahonglu, title="小任务", place="x",
                                starts_at=timezone.now(), slots=1)
    services.checkin_add_from_list(task=task, actor=jiahonglu_staff, resident=resident)
    with pytest.raises(ValidationError, match="名额已满"):
        services.checkin_add_from_list(task=task, actor=jiahonglu_staff, resident=other_resident)
    with pytest.raises(ValidationError, match="已有确认的签到"):
        services.task_step(task=task, actor=jiahonglu_staff, name="cancel", reason="x")
    services.task_step(task=task, actor=jiahonglu_staff, name="start")
    services.task_step(task=task, actor=jiahonglu_staff, name="finish")
    with pytest.raises(ValidationError, match="已完成"):
        services.checkin_scan(task=task, actor=other_resident.user, token=services.checkin_token(task))


# --- merchants and redemptions ---------------------------------------------------------------

def test_a_double_tapped_redeem_makes_one_redemption(resident, merchant, shopkeeper, jiahonglu_staff):
    """The reward list issues a one-time token with each redeem button: a second tap
    gets the first redemption's page, not a second redemption."""
    import re

    ledger.issue(resident=resident, amount=300, actor=jiahonglu_staff, memo="志愿服务")
    reward = services.reward_create(actor=shopkeeper, partner=merchant, name="义剪", points=100, stock=5)
    phone = login(resident.user)
    page = phone.get(reverse("timebank:reward_list")).content.decode()
    token = re.search(r'name="_once" value="([0-9a-f]{32})"', page).group(1)
    url = reverse("timebank:reward_redeem", args=[reward.pk])
    first, second = phone.post(url, {"_once": token}), phone.post(url, {"_once": token})
    assert first.status_code == second.status_code == 302 and first.url == second.url
    assert Redemption.objects.count() == 1


def test_redeem_on_the_phone_and_the_merchant_confirms(resident, merchant, shopkeeper, jiahonglu_staff):
    ledger.issue(resident=resident, amount=120, actor=jiahonglu_staff, memo="志愿服务")
    reward = services.reward_create(actor=shopkeeper, partner=merchant, name="义剪", points=100, stock=1)
    phone = login(resident.user)
    response = phone.post(reverse("timebank:reward_redeem", args=[reward.pk]))
    redemption = Redemption.objects.get()
    assert response.url == reverse("timebank:redemption_detail", args=[redemption.pk])
    assert redemption.code in phone.get(response.url).content.decode()
    assert ledger.resident_account(resident).balance == 120  # nothing moves until the merchant confirms
    counter = login(shopkeeper)
    assert counter.post(reverse("timebank:redemption_confirm"), {"code": redemption.code}).status_code == 302
    redemption.refresh_from_db()
    reward.refresh_from_db()
    assert redemption.status == Redemption.Status.CONFIRMED and reward.stock == 0
    assert ledger.resident_account(resident).balance == 20
    assert ledger.merchant_account(merchant.organization, merchant.community).balance == 100
    again = counter.post(reverse("timebank:redemption_confirm"), {"code": redemption.code})
    assert again.status_code == 400 and "已核销" in again.content.decode()
    statement = counter.get(reverse("timebank:merchant_statement", args=[merchant.pk]))
    assert "义剪" in statement.content.decode()


def test_a_merchant_cannot_confirm_another_shops_code(places, resident, merchant, jiahonglu_staff, admin_user_obj):
    from tests.timebank.fixtures import make_merchant

    other = make_merchant(community=places.jiahonglu, admin=admin_user_obj, staff=jiahonglu_staff, name="缝补铺",
                          body="92510104MA6C1H2Q5", username="tailor")
    ledger.issue(resident=resident, amount=100, actor=jiahonglu_staff, memo="x")
    reward = services.reward_create(actor=jiahonglu_staff, partner=merchant, name="券", points=10, stock=3)
    redemption = services.redemption_request(actor=resident.user, reward=reward)
    with pytest.raises(ValidationError, match="不是本店"):
        services.redemption_confirm(actor=other.organization.memberships.get().user, code=redemption.code)


def test_redeeming_without_enough_points_is_refused(resident, merchant, shopkeeper):
    reward = services.reward_create(actor=shopkeeper, partner=merchant, name="义剪", points=100, stock=1)
    with pytest.raises(ValidationError, match="余额不足"):
        services.redemption_request(actor=resident.user, reward=reward)


def test_a_merchant_leaves_without_losing_history(resident, merchant, shopkeeper, jiahonglu_staff):
    ledger.issue(resident=resident, amount=200, actor=jiahonglu_staff, memo="x")
    reward = services.reward_create(actor=shopkeeper, partner=merchant, name="券", points=50, stock=3)
    done = services.redemption_request(actor=resident.user, reward=reward)
    services.redemption_confirm(actor=shopkeeper, code=done.code)
    waiting = services.redemption_request(actor=resident.user, reward=reward)
    response = login(jiahonglu_staff).post(reverse("timebank:partner_leave", args=[merchant.pk]))
    assert response.status_code == 302
    merchant.refresh_from_db()
    waiting.refresh_from_db()
    assert not merchant.is_active and merchant.left_on == timezone.localdate()
    assert waiting.status == Redemption.Status.CANCELLED
    assert selectors.merchant_statement(merchant).get() == done  # history stays
    with pytest.raises(ValidationError, match="下架"):
        services.redemption_request(actor=resident.user, reward=reward)


def test_redemption_day_is_announced_to_the_communitys_residents(places, resident, jiahonglu_staff):
    response = login(jiahonglu_staff).post(reverse("timebank:redemption_day_create", args=[places.jiahonglu.pk]), {
        "held_on": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(), "place": "时间胶囊"})
    assert response.status_code == 302
    assert Notification.objects.get(user=resident.user).kind == "timebank_redemption_day"
    past = login(jiahonglu_staff).post(reverse("timebank:redemption_day_create", args=[places.jiahonglu.pk]), {
        "held_on": "2001-01-01", "place": "时间胶囊"})
    assert past.status_code == 400


# --- balance, seen ---------------------------------------------------------------------------

def test_the_dashboard_shows_the_balance_of_issued_and_redeemed(places, task, resident, merchant, shopkeeper,
                                                                jiahonglu_staff):
    services.checkin_add_from_list(task=task, actor=jiahonglu_staff, resident=resident)
    reward = services.reward_create(actor=shopkeeper, partner=merchant, name="券", points=30, stock=3)
    services.redemption_confirm(actor=shopkeeper,
                                code=services.redemption_request(actor=resident.user, reward=reward).code)
    response = login(jiahonglu_staff).get(reverse("timebank:dashboard", args=[places.jiahonglu.pk]))
    assert response.status_code == 200
    chart = json.loads(response.context["chart"] and json.dumps(response.context["chart"]))
    assert chart["issued"][-1] == 50 and chart["redeemed"][-1] == 30
    body = response.content.decode()
    assert 'id="tb-flows-data"' in body and "timebank/dashboard.js" in body and "<script>" not in body
    assert "红旗超市佳宏路店" in body


def test_a_resident_sees_their_own_history_only(places, resident, other_resident, jiahonglu_staff):
    ledger.issue(resident=resident, amount=50, actor=jiahonglu_staff, memo="我的积分")
    ledger.issue(resident=other_resident, amount=70, actor=jiahonglu_staff, memo="别人的积分")
    page = login(resident.user).get(reverse("timebank:home")).content.decode()
    assert "我的积分" in page and "别人的积分" not in page
    api = login(resident.user).get(reverse("api:timebank-account-list")).json()
    assert [a["balance"] for a in api["results"]] == [50]
    assert login(resident.user).get(reverse("timebank:dashboard", args=[places.jiahonglu.pk])).status_code == 403


def test_team_hours(places, task, resident, jiahonglu_staff):
    from organizations import selforgs
    from timebank.models import TeamMember

    team = selforgs.selforg_create(actor=jiahonglu_staff, community=places.jiahonglu, name="党员志愿服务队",
                                   category="mutual_aid")
    TeamMember.objects.create(team=team, resident=resident, joined_on=timezone.localdate())
    services.checkin_add_from_list(task=task, actor=jiahonglu_staff, resident=resident)
    row = selectors.teams_with_hours([places.jiahonglu.pk]).get()
    assert row.volunteers == 1 and row.hours == task.hours


def test_progress_figures_for_the_bureau(places, task, resident, jiahonglu_staff):
    services.checkin_add_from_list(task=task, actor=jiahonglu_staff, resident=resident)
    today = timezone.localdate()
    figures = selectors.progress_figures([places.jiahonglu.pk], start=today - datetime.timedelta(days=30), end=today)
    assert figures["points_issued"] == 50 and figures["checkins"] == 1 and figures["volunteers"] == 1


# --- API -------------------------------------------------------------------------------------

def test_api_journey(places, resident, merchant, shopkeeper, jiahonglu_staff):
    staff = login(jiahonglu_staff)
    need = staff.post(reverse("api:timebank-need-list"), {"community": places.jiahonglu.pk, "title": "理发",
                                                          "category": "haircut"}, content_type="application/json")
    assert need.status_code == 201, need.json()
    bad = staff.post(reverse("api:timebank-task-list"), {"community": places.jiahonglu.pk, "title": "义剪",
                                                         "place": "x", "starts_at": "1900-01-01T10:00:00+08:00"},
                     content_type="application/json")
    assert bad.status_code == 400 and "starts_at" in bad.json()
    task = staff.post(reverse("api:timebank-task-list"), {
        "community": places.jiahonglu.pk, "title": "义剪", "place": "时间胶囊", "needs": [need.json()["id"]],
        "starts_at": timezone.now().isoformat()}, content_type="application/json")
    assert task.status_code == 201, task.json()
    task_id = task.json()["id"]
    detail = staff.get(reverse("api:timebank-task-detail", args=[task_id])).json()
    assert {a["name"] for a in detail["actions"]} == {"start", "cancel"}
    assert login(shopkeeper).post(reverse("api:timebank-task-respond", args=[task_id]), {}).status_code == 201
    token = services.checkin_token(Task.objects.get(pk=task_id))
    phone = login(resident.user)
    assert phone.post(reverse("api:timebank-task-checkin", args=[task_id]), {"token": token}).status_code == 201
    services.checkin_confirm(checkin=CheckIn.objects.get(), actor=jiahonglu_staff)
    reward = services.reward_create(actor=shopkeeper, partner=merchant, name="义剪", points=50, stock=1)
    redeemed = phone.post(reverse("api:timebank-reward-redeem", args=[reward.pk]))
    assert redeemed.status_code == 201 and len(redeemed.json()["code"]) == 8
    seen_by_shop = login(shopkeeper).get(reverse("api:timebank-redemption-detail", args=[redeemed.json()["id"]]))
    assert seen_by_shop.json()["code"] == ""  # the merchant types it, never reads it
    confirm = login(shopkeeper).post(reverse("api:timebank-redemption-confirm"), {"code": redeemed.json()["code"]})
    assert confirm.status_code == 200 and confirm.json()["status"] == "confirmed"
    assert ledger.resident_account(resident).balance == 0
    assert staff.get("/api/timebank/needs/abc/").status_code == 404


def test_resources_are_bounded(places, resident):
    response = login(resident.user).post(reverse("timebank:resource_create"), {
        "community": places.jiahonglu.pk, "title": "x" * 101, "kind": "skill", "category": "repair"})
    assert response.status_code == 400 and not Resource.objects.exists()


def test_an_organisation_based_in_the_community_responds_too(places, task, admin_user_obj):
    from organizations import services as org_services
    from organizations.demo import credit_code
    from organizations.models import Membership
    from tests.conftest import make_user

    org = org_services.organization_create(actor=admin_user_obj, credit_code=credit_code("52510104MJ9J8H7G6"),
                                           name="佳宏路社区便民服务中心", kind="social_organization",
                                           region=places.jinjiang, community=places.jiahonglu)
    worker = make_user("worker")
    org_services.membership_add(organization=org, user=worker, actor=admin_user_obj,
                                position=Membership.Position.STAFF)
    assert services.task_respond(task=task, actor=worker, note="提供场地").organization == org


def test_staff_home_lists_only_communities_running_a_time_bank(places, merchant, cast,
                                                               django_assert_max_num_queries):
    # Fixed: session, user, scope, resident, memberships, navigation, the lists — not one per community.
    with django_assert_max_num_queries(30):
        page = login(cast["city_bureau"]).get(reverse("timebank:home")).content.decode()
    assert "佳宏路社区" in page and "高桥社区" not in page
