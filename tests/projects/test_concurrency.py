"""Parallel approvals and payments on PostgreSQL: whatever the interleaving, the caps
hold and a voucher pays once. (SQLite serialises writers, so there is nothing to race.)"""

import datetime
import os
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from projects import services
from projects.models import Application, Disbursement, Project

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
S = Application.Status


@pytest.fixture(autouse=True)
def _needs_postgres():
    if connection.vendor != "postgresql":
        if os.environ.get("CI"):
            pytest.fail("CI must run these on PostgreSQL: .ci/run sets DATABASE_URL.")
        pytest.skip("Row locks are only exercised on PostgreSQL (set DATABASE_URL; CI does).")


def race(calls):
    """Run the calls in parallel threads, each on its own connection, released together."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # collected and asserted on below
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_parallel_approvals_respect_the_community_cap(build, cast):
    applications = [build(S.IN_REVIEW, title=f"并发{n}") for n in range(4)]
    bureau = cast["city_bureau"]
    results = race([
        (lambda a=a: services.application_decide(application=a, actor=bureau, decision="approve", reason="并发",
                                                 approved_amount=Decimal("90000")))
        for a in applications
    ])
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1, results
    assert "单社区上限" in refused[0].messages[0]
    assert Project.objects.count() == 3
    assert sum(p.approved_amount for p in Project.objects.all()) == Decimal("270000")


def test_parallel_double_payment_pays_once(build, cast):
    project = Project.objects.get(application=build(S.APPROVED))
    services.agreement_sign(project=project, actor=cast["city_bureau"], signed_on=datetime.date(2016, 5, 1))
    tranche = project.tranches.get(order=1)
    results = race([
        (lambda: services.disbursement_record(project=project, tranche=tranche, amount=Decimal("45000"),
                                              paid_on=datetime.date(2016, 5, 2), voucher_number="CDMZ-9",
                                              actor=cast["city_bureau"]))
        for _ in range(3)
    ])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Disbursement.objects.count() == 1
    assert Project.objects.get(pk=project.pk).disbursed_amount == Decimal("45000")


def test_parallel_screening_moves_once(build, cast):
    application = build(S.SUBMITTED)
    results = race([
        (lambda: services.application_screen(application=application, actor=cast["city_bureau"], passed=True))
        for _ in range(3)
    ])
    assert sum(1 for r in results if isinstance(r, Application)) == 1, results
    assert Application.objects.get(pk=application.pk).status == S.IN_REVIEW
