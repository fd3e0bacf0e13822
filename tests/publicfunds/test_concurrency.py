"""On PostgreSQL: two members of one household voting at once leave one vote; two
spends at once can't overdraw the fund. (SQLite serialises writers: nothing to race.)"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from publicfunds import services
from publicfunds.models import HouseholdVote, Spending, YearFund
from tests.projects.test_concurrency import _needs_postgres, race  # noqa: F401

from .conftest import advance_to_implementing, make_meeting

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_members_of_one_household_voting_at_once_leave_one_vote(fund_world, collecting):
    first, second = fund_world.residents[0], fund_world.residents[1]
    assert first.household_id == second.household_id
    options = list(collecting.options.all())
    results = race([
        lambda: services.vote_cast(actor=first.user, collection=collecting, option=options[0]),
        lambda: services.vote_cast(actor=second.user, collection=collecting, option=options[1]),
    ])
    assert HouseholdVote.objects.filter(collection=collecting, household=first.household).count() == 1
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1 and "已经投过票" in refused[0].messages[0]


def test_two_parallel_spends_cannot_overdraw(fund_world, collecting, places, cast):
    fund = advance_to_implementing(fund_world, collecting, make_meeting(places.gaoqiao, fund_world.staff))
    staff = fund_world.staff
    one = services.item_add(actor=staff, fund=fund, title="甲", use="other", budget=Decimal("30000"))
    two = services.item_add(actor=staff, fund=fund, title="乙", use="other", budget=Decimal("18000"))
    services.spend(actor=staff, item=one, amount=Decimal("20000"), voucher="A0", spent_on=timezone.localdate(),
                   purpose="")
    # The bureau cuts the year's amount to 40,000: 20,000 left, each spend alone fits, both would not.
    services.fund_override(actor=cast["district_bureau"], fund=fund, amount=Decimal("40000"), reason="核减")
    assert YearFund.objects.get(pk=fund.pk).balance == Decimal("20000")
    day = timezone.localdate() - datetime.timedelta(days=1)
    results = race([
        lambda: services.spend(actor=staff, item=one, amount=Decimal("10000"), voucher="A1", spent_on=day,
                               purpose=""),
        lambda: services.spend(actor=staff, item=two, amount=Decimal("15000"), voucher="B1", spent_on=day,
                               purpose=""),
    ])
    fund.refresh_from_db()
    assert sum(1 for r in results if isinstance(r, Spending)) == 1
    assert sum(1 for r in results if isinstance(r, ValidationError)) == 1
    assert fund.balance in (Decimal("10000"), Decimal("5000"))
    assert fund.spent + fund.balance == Decimal("40000")
