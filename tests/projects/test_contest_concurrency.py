"""On PostgreSQL: two contest approvals at once can't overdraw the public-service fund
that pays them (the fund row is locked; the balance constraint is the last guard)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from projects.models import Application, ContestGrant
from projects.services import contests
from publicfunds.models import Spending, YearFund
from tests.projects.test_concurrency import _needs_postgres, race  # noqa: F401

from .contest_fixtures import reviewed, world  # noqa: F401

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_parallel_approvals_cannot_overdraw_the_fund(world):
    first = reviewed(world, courtyard="碧水苑", by="乙", amount=Decimal("9000"))
    second = reviewed(world, courtyard="红原农行小区", by="丙", amount=Decimal("8000"), title="红原墙绘")
    # 12,000 left in the fund: each grant alone fits, both would not.
    YearFund.objects.filter(pk=world.fund.pk).update(balance=Decimal("12000"))
    staff = world.staff
    results = race([
        lambda: contests.contest_decide(actor=staff, application=first, decision="approve", reason="第一"),
        lambda: contests.contest_decide(actor=staff, application=second, decision="approve", reason="第二"),
    ])
    fund = YearFund.objects.get(pk=world.fund.pk)
    assert sum(1 for r in results if isinstance(r, Application)) == 1
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1 and "余额" in refused[0].messages[0]
    assert ContestGrant.objects.count() == 1 == Spending.objects.filter(fund=fund).count()
    assert fund.balance in (Decimal("3000"), Decimal("4000")) and fund.balance >= 0
