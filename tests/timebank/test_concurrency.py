"""Parallel redemptions on PostgreSQL: whatever the interleaving, a resident's balance
never goes below zero and a reward's stock never below zero."""

import os

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.projects.test_concurrency import race
from timebank import ledger, services
from timebank.models import Entry, Redemption

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _needs_postgres():
    if connection.vendor != "postgresql":
        if os.environ.get("CI"):
            pytest.fail("CI must run these on PostgreSQL: .ci/run sets DATABASE_URL.")
        pytest.skip("Row locks are only exercised on PostgreSQL (set DATABASE_URL; CI does).")


def test_two_parallel_redemptions_cannot_overdraw(resident, merchant, shopkeeper, jiahonglu_staff):
    ledger.issue(resident=resident, amount=60, actor=jiahonglu_staff, memo="志愿服务")
    haircut = services.reward_create(actor=shopkeeper, partner=merchant, name="义剪", points=50, stock=5)
    mending = services.reward_create(actor=shopkeeper, partner=merchant, name="缝补", points=50, stock=5)
    codes = [services.redemption_request(actor=resident.user, reward=r).code for r in (haircut, mending)]
    results = race([(lambda c=c: services.redemption_confirm(actor=shopkeeper, code=c)) for c in codes])
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1, results
    assert "余额不足" in refused[0].messages[0]
    assert ledger.resident_account(resident).balance == 10
    assert Entry.objects.filter(kind=Entry.Kind.REDEEM).count() == 1
    assert Redemption.objects.filter(status=Redemption.Status.CONFIRMED).count() == 1
    assert Redemption.objects.filter(status=Redemption.Status.PENDING).count() == 1  # rolled back whole


def test_the_last_item_goes_once(resident, other_resident, merchant, shopkeeper, jiahonglu_staff):
    reward = services.reward_create(actor=shopkeeper, partner=merchant, name="牛奶券", points=10, stock=1)
    codes = []
    for volunteer in (resident, other_resident):
        ledger.issue(resident=volunteer, amount=50, actor=jiahonglu_staff, memo="x")
        codes.append(services.redemption_request(actor=volunteer.user, reward=reward).code)
    results = race([(lambda c=c: services.redemption_confirm(actor=shopkeeper, code=c)) for c in codes])
    assert len([r for r in results if isinstance(r, ValidationError)]) == 1, results
    reward.refresh_from_db()
    assert reward.stock == 0


def test_the_same_code_confirmed_twice_in_parallel_moves_points_once(resident, merchant, shopkeeper,
                                                                      jiahonglu_staff):
    ledger.issue(resident=resident, amount=200, actor=jiahonglu_staff, memo="x")
    reward = services.reward_create(actor=shopkeeper, partner=merchant, name="维修", points=50, stock=5)
    code = services.redemption_request(actor=resident.user, reward=reward).code
    results = race([(lambda: services.redemption_confirm(actor=shopkeeper, code=code)) for _ in range(3)])
    assert len([r for r in results if isinstance(r, ValidationError)]) == 2, results
    assert ledger.resident_account(resident).balance == 150
