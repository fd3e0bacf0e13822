"""On PostgreSQL: two grants at once can't overdraw the community fund, nor two
expenses a courtyard's accounts (SQLite serialises writers: nothing to race)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from commons import services
from commons.models import CommunityFund, CourtyardAccount, CourtyardEntry, FundEntry
from tests.projects.test_concurrency import _needs_postgres, race  # noqa: F401

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_parallel_grants_cannot_overdraw_the_fund(commons, places):
    staff = commons.staff
    services.donation_record(actor=staff, community=places.gaoqiao, donor=commons.enterprise,
                             amount=Decimal("10000"), entry_on=timezone.localdate())
    fund = CommunityFund.objects.get(community=places.gaoqiao)
    results = race([
        lambda: services.grant_make(actor=staff, fund=fund, selforg=commons.selforg, amount=Decimal("7000"),
                                    purpose="甲"),
        lambda: services.debit_community_fund(places.gaoqiao, Decimal("6000"), staff, "微创投", "contest:1"),
    ])
    fund.refresh_from_db()
    assert sum(1 for r in results if isinstance(r, FundEntry)) == 1
    assert sum(1 for r in results if isinstance(r, ValidationError)) == 1
    assert fund.balance in (Decimal("3000"), Decimal("4000"))
    assert fund.granted + fund.balance == Decimal("10000")


def test_two_parallel_expenses_cannot_overdraw_a_courtyard(commons):
    staff, courtyard, today = commons.staff, commons.courtyard, timezone.localdate()
    services.courtyard_entry(actor=staff, courtyard=courtyard, direction="income", amount=Decimal("100"),
                             voucher="R1", entry_on=today, purpose="收益")
    results = race([
        lambda: services.courtyard_entry(actor=staff, courtyard=courtyard, direction="expense",
                                         amount=Decimal("70"), voucher="P1", entry_on=today, purpose="甲"),
        lambda: services.courtyard_entry(actor=staff, courtyard=courtyard, direction="expense",
                                         amount=Decimal("60"), voucher="P2", entry_on=today, purpose="乙"),
    ])
    account = CourtyardAccount.objects.get(courtyard=courtyard)
    assert sum(1 for r in results if isinstance(r, CourtyardEntry)) == 1
    assert account.balance in (Decimal("30"), Decimal("40")) and account.balance >= 0
