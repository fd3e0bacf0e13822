"""The demo looks like a real programme: reports mostly filed on time, some late or
overdue, a project waiting for its budget adjustment, a reversed payment."""

import pytest
from django.db.models import F
from django.utils import timezone

from projects import services
from projects.models import Disbursement, ProgressReport, Project
from shequ.demo import seed_demo

pytestmark = pytest.mark.django_db


def test_demo_reports_are_mostly_punctual_and_some_late(places):
    seed_demo()
    today = timezone.localdate()
    filed = ProgressReport.objects.filter(submitted_at__isnull=False)
    on_time = filed.filter(submitted_at__date__lte=F("due_on")).count()
    late = filed.filter(submitted_at__date__gt=F("due_on")).count()
    overdue = sum(1 for r in ProgressReport.objects.all() if r.is_overdue(today))
    assert on_time >= 4 and on_time > late + overdue
    assert late + overdue >= 1
    assert not filed.filter(submitted_at__gt=timezone.now()).exists()
    garden = Project.objects.get(title="共建社区花园")
    assert garden.status == Project.Status.AGREEMENT and services.needs_budget_adjustment(garden)
    reversal = Disbursement.objects.get(reverses__isnull=False)
    assert reversal.amount == -reversal.reverses.amount and reversal.reason
