"""The points ledger: double entry, balances never negative, reversals as entries,
expiry by rule, and the books balance after any sequence."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum

from audit.models import AuditEvent
from timebank import ledger, services
from timebank.models import Account, Entry, PointsRule

pytestmark = pytest.mark.django_db


def holders_total(community):
    return Account.objects.filter(community=community).exclude(kind=Account.Kind.POOL).aggregate(
        s=Sum("balance"))["s"] or 0


def test_issue_moves_points_from_the_pool_and_is_audited(places, resident, jiahonglu_staff):
    entry = ledger.issue(resident=resident, amount=50, actor=jiahonglu_staff, memo="楼道清洁")
    assert ledger.resident_account(resident).balance == 50
    assert ledger.pool_account(places.jiahonglu).balance == 50  # in circulation
    assert entry.debit.kind == Account.Kind.POOL and entry.credit.resident == resident
    event = AuditEvent.objects.get(action="points.issue", object_id=str(entry.pk))
    assert event.data["amount"] == 50


def test_spending_more_than_the_balance_is_refused_and_changes_nothing(places, resident, merchant, jiahonglu_staff):
    ledger.issue(resident=resident, amount=30, actor=jiahonglu_staff, memo="x")
    with pytest.raises(ValidationError, match="积分余额不足"):
        ledger.post(debit=ledger.resident_account(resident),
                    credit=ledger.merchant_account(merchant.organization, places.jiahonglu),
                    amount=31, kind=Entry.Kind.REDEEM, actor=jiahonglu_staff)
    assert ledger.resident_account(resident).balance == 30
    assert Entry.objects.filter(kind=Entry.Kind.REDEEM).count() == 0


def test_the_database_refuses_a_negative_balance(places, resident):
    account = ledger.resident_account(resident)
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.filter(pk=account.pk).update(balance=-1)


def test_the_database_refuses_a_zero_entry(places, resident):
    pool, account = ledger.pool_account(places.jiahonglu), ledger.resident_account(resident)
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.create(community=places.jiahonglu, kind="issue", debit=pool, credit=account, amount=0)


@pytest.mark.parametrize("amount", [0, -5, 2_000_000, 1.5, True])
def test_bad_amounts_are_refused(places, resident, jiahonglu_staff, amount):
    with pytest.raises(ValidationError):
        ledger.issue(resident=resident, amount=amount, actor=jiahonglu_staff, memo="x")


def test_a_reversal_is_a_new_entry_pointing_at_the_original_and_only_once(places, resident, jiahonglu_staff):
    entry = ledger.issue(resident=resident, amount=50, actor=jiahonglu_staff, memo="记错了人")
    reversal = ledger.reverse(entry=entry, actor=jiahonglu_staff, reason="签到记错")
    assert reversal.reverses == entry and reversal.kind == Entry.Kind.REVERSAL
    assert ledger.resident_account(resident).balance == 0
    assert ledger.pool_account(places.jiahonglu).balance == 0
    assert Entry.objects.count() == 2  # the original is kept
    with pytest.raises(ValidationError, match="已经冲正"):
        ledger.reverse(entry=entry, actor=jiahonglu_staff, reason="再来")


def test_a_reversal_of_spent_points_is_refused(places, resident, merchant, jiahonglu_staff):
    entry = ledger.issue(resident=resident, amount=50, actor=jiahonglu_staff, memo="x")
    ledger.post(debit=ledger.resident_account(resident),
                credit=ledger.merchant_account(merchant.organization, places.jiahonglu), amount=40,
                kind=Entry.Kind.REDEEM, actor=jiahonglu_staff)
    with pytest.raises(ValidationError, match="余额不足"):
        ledger.reverse(entry=entry, actor=jiahonglu_staff, reason="晚了")


def test_expiry_by_rule_retires_old_unspent_points_oldest_first(places, resident, jiahonglu_staff):
    PointsRule.objects.update_or_create(community=places.jiahonglu, defaults={"expire_after_days": 365})
    with time_machine.travel(datetime.datetime(2025, 1, 10, 10, tzinfo=datetime.UTC), tick=False):
        ledger.issue(resident=resident, amount=100, actor=jiahonglu_staff, memo="去年")
    with time_machine.travel(datetime.datetime(2025, 12, 1, 10, tzinfo=datetime.UTC), tick=False):
        ledger.issue(resident=resident, amount=30, actor=jiahonglu_staff, memo="今年")
    assert ledger.expire_by_rule(today=datetime.date(2025, 12, 20)) == 0  # nothing older than a year yet
    assert ledger.expire_by_rule(today=datetime.date(2026, 2, 1)) == 1
    assert ledger.resident_account(resident).balance == 30
    expiry = Entry.objects.get(kind=Entry.Kind.EXPIRE)
    assert expiry.amount == 100 and expiry.credit.kind == Account.Kind.POOL
    assert ledger.expire_by_rule(today=datetime.date(2026, 2, 1)) == 0  # idempotent


def test_the_books_balance_after_a_mixed_sequence(places, resident, other_resident, merchant, shopkeeper,
                                                  jiahonglu_staff, task):
    community = places.jiahonglu
    reward = services.reward_create(actor=shopkeeper, partner=merchant, name="义剪一次", points=40, stock=5)

    def check():
        t = ledger.totals([community.pk])
        pool = ledger.pool_account(community).balance
        residents = Account.objects.filter(community=community, kind="resident").aggregate(s=Sum("balance"))["s"]
        merchants = Account.objects.filter(community=community, kind="merchant").aggregate(s=Sum("balance"))["s"]
        # Every movement is one debit and one credit: the pool's circulation is what holders hold …
        assert pool == holders_total(community)
        # … and residents hold what was issued minus redeemed and expired, net of reversals.
        reversed_issue = Entry.objects.filter(kind="reversal", reverses__kind__in=["issue", "award"]).aggregate(
            s=Sum("amount"))["s"] or 0
        issued = t.get("issue", 0) + t.get("award", 0) - reversed_issue
        assert residents == issued - t.get("redeem", 0) - t.get("expire", 0)
        assert merchants == t.get("redeem", 0) - t.get("settle", 0)

    for volunteer in (resident, other_resident):
        checkin = services.checkin_add_from_list(task=task, actor=jiahonglu_staff, resident=volunteer)
        assert checkin.confirmed_at is not None
        check()
    award = ledger.issue(resident=resident, amount=25, actor=jiahonglu_staff, memo="优秀志愿者",
                         kind=Entry.Kind.AWARD)
    check()
    redemption = services.redemption_request(actor=resident.user, reward=reward)
    services.redemption_confirm(actor=shopkeeper, code=redemption.code)
    check()
    ledger.reverse(entry=award, actor=jiahonglu_staff, reason="重复奖励")
    check()
    ledger.post(debit=ledger.merchant_account(merchant.organization, community),
                credit=ledger.pool_account(community), amount=40, kind=Entry.Kind.SETTLE, actor=jiahonglu_staff)
    check()
    assert ledger.resident_account(resident).balance == 50 + 25 - 40 - 25
    assert ledger.resident_account(other_resident).balance == 50
