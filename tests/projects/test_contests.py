"""Community micro-grant contests on the round engine: caps, conflict of interest, the
ledger debit, the committee's join and exit rules, and reuse of the application machine."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from projects import services
from projects.models import Application, CommitteeMember, ContestGrant, FundingRound, ReviewSheet
from projects.services import contests
from projects.workflows import application_machine
from publicfunds.models import Spending, YearFund
from workflow.engine import machine_for

from .contest_fixtures import apply, reviewed, score_all, world  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_contest_application_is_an_application_on_the_same_machine(world):
    application = apply(world)
    assert type(application) is Application
    assert application.round_id == world.contest.pk and application.round.kind == "contest"
    assert machine_for(application) is application_machine
    assert application.status == Application.Status.SUBMITTED
    assert AuditEvent.objects.filter(action="application.submit", object_id=str(application.pk)).exists()
    assert application.revisions.count() == 1
    # The applicant withdraws through the same transition as an agency would.
    application = services.application_withdraw(application=application, actor=world.residents["乙"].user)
    assert application.status == Application.Status.WITHDRAWN


def test_only_residents_of_the_courtyard_or_members_of_the_group_may_file(world):
    with pytest.raises(PermissionDenied):
        apply(world, courtyard="碧水苑", by="丙")  # lives in 红原农行小区
    application = contests.contest_apply(actor=world.residents["丁"].user, contest=world.contest, title="护卫队",
                                         summary="环境治理", requested_amount=Decimal("5000"),
                                         self_organization=world.selforg)
    assert application.self_organization == world.selforg and application.organization is None
    with pytest.raises(PermissionDenied):
        contests.contest_apply(actor=world.residents["戊"].user, contest=world.contest, title="护卫队二",
                               summary="x", requested_amount=Decimal("5000"), self_organization=world.selforg)


def test_the_short_form_is_checked(world):
    with pytest.raises(ValidationError) as exc:
        apply(world, amount=Decimal("12000.01"))
    assert "单项目上限" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        contests.contest_apply(actor=world.residents["乙"].user, contest=world.contest, title=" ", summary="",
                               requested_amount=Decimal("1"), courtyard=world.courtyards["碧水苑"])
    assert set(exc.value.message_dict) == {"title", "summary"}
    apply(world)
    with pytest.raises(ValidationError) as exc:
        apply(world, by="甲")
    assert "不能重复申报" in str(exc.value)
    world.contest.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    world.contest.save()
    with pytest.raises(ValidationError):
        apply(world, courtyard="红原农行小区", by="丙")


def test_screening_hands_the_application_to_the_committee_without_conflicted_members(world):
    application = apply(world)  # 碧水苑: committee member 甲 lives there
    application = contests.contest_screen(actor=world.staff, application=application, passed=True)
    assert application.status == Application.Status.IN_REVIEW
    reviewers = set(ReviewSheet.objects.filter(application=application).values_list("reviewer_id", flat=True))
    assert world.residents["甲"].user_id not in reviewers
    assert reviewers == {world.staff.pk, world.residents["丙"].user_id, world.residents["丁"].user_id,
                         world.residents["己"].user_id}
    # A member of the applying self-organisation is excluded the same way.
    group_app = contests.contest_apply(actor=world.residents["丁"].user, contest=world.contest, title="护卫队",
                                       summary="环境治理", requested_amount=Decimal("5000"),
                                       self_organization=world.selforg)
    group_app = contests.contest_screen(actor=world.staff, application=group_app, passed=True)
    assert not group_app.review_sheets.filter(reviewer=world.residents["丁"].user).exists()
    assert group_app.review_sheets.filter(reviewer=world.residents["甲"].user).exists()


def test_only_the_community_staff_screen_and_decide(world, cast):
    application = apply(world)
    for actor in (cast["city_bureau"], cast["other_community"], world.residents["丙"].user):
        with pytest.raises(PermissionDenied):
            contests.contest_screen(actor=actor, application=application, passed=True)
    # The bureau's own services refuse a contest application: it is decided with its ledger.
    with pytest.raises(ValidationError):
        services.application_screen(application=application, actor=cast["admin"], passed=True)


def test_approval_debits_the_public_fund_in_the_same_transaction(world):
    application = reviewed(world)
    before = YearFund.objects.get(pk=world.fund.pk).balance
    application = contests.contest_decide(actor=world.staff, application=application, decision="approve",
                                          reason="评审会评分第一", amount=Decimal("9000"))
    assert application.status == Application.Status.APPROVED
    grant = ContestGrant.objects.get(application=application)
    assert grant.amount == Decimal("9000") and grant.ledger_reference == f"WCT-{application.pk}"
    fund = YearFund.objects.get(pk=world.fund.pk)
    assert fund.balance == before - Decimal("9000") and fund.spent == Decimal("9000")
    assert Spending.objects.get(fund=fund, voucher=grant.ledger_reference).amount == Decimal("9000")
    assert not hasattr(application, "project") or not Application.objects.filter(pk=application.pk,
                                                                                 project__isnull=False).exists()


def test_a_short_ledger_refuses_the_grant_and_changes_nothing(world, cast):
    application = reviewed(world)
    YearFund.objects.filter(pk=world.fund.pk).update(balance=Decimal("5000"))
    with pytest.raises(ValidationError) as exc:
        contests.contest_decide(actor=world.staff, application=application, decision="approve", reason="好")
    assert "余额" in str(exc.value)
    application.refresh_from_db()
    assert application.status == Application.Status.IN_REVIEW
    assert not ContestGrant.objects.exists() and not Spending.objects.exists()


def test_caps_of_the_contest_hold_at_decision(world):
    first = reviewed(world, courtyard="碧水苑", by="乙", amount=Decimal("12000"))
    second = reviewed(world, courtyard="红原农行小区", by="丙", amount=Decimal("12000"))
    third = reviewed(world, courtyard="启明花园", by="戊", amount=Decimal("12000"), title="启明花园")
    with pytest.raises(ValidationError):
        contests.contest_decide(actor=world.staff, application=first, decision="approve", reason="x",
                                amount=Decimal("12000.01"))
    contests.contest_decide(actor=world.staff, application=first, decision="approve", reason="x")
    contests.contest_decide(actor=world.staff, application=second, decision="approve", reason="x")
    with pytest.raises(ValidationError) as exc:
        contests.contest_decide(actor=world.staff, application=third, decision="approve", reason="x")
    assert "超出大赛总额" in str(exc.value)
    contests.contest_decide(actor=world.staff, application=third, decision="approve", reason="x",
                            amount=Decimal("6000"))
    assert contests.granted_total(world.contest) == Decimal("30000")


def test_approval_waits_for_the_committee(world):
    application = contests.contest_screen(actor=world.staff, application=apply(world), passed=True)
    with pytest.raises(ValidationError) as exc:
        contests.contest_decide(actor=world.staff, application=application, decision="approve", reason="x")
    assert "评审会尚未提交" in str(exc.value)
    score_all(application)
    assert contests.contest_decide(actor=world.staff, application=application, decision="reject",
                                   reason="不符合主题").status == Application.Status.REJECTED


def test_committee_join_rules(world, cast):
    committee = world.committee
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:  # not a resident of the community, not its staff
        contests.committee_join(actor=world.staff, committee=committee, user=cast["outsider"], joined_on=today)
    assert "不符合加入条件" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        contests.committee_join(actor=world.staff, committee=committee, user=world.residents["乙"].user,
                                joined_on=today, role="chair")
    assert "主席由" in str(exc.value)
    with pytest.raises(ValidationError):  # already serving
        contests.committee_join(actor=world.staff, committee=committee, user=world.residents["甲"].user,
                                joined_on=today)
    contests.committee_join(actor=world.staff, committee=committee, user=world.residents["乙"].user, joined_on=today)
    with pytest.raises(ValidationError) as exc:  # six of six
        contests.committee_join(actor=world.staff, committee=committee, user=world.residents["戊"].user,
                                joined_on=today)
    assert "达到上限" in str(exc.value)
    with pytest.raises(PermissionDenied):
        contests.committee_join(actor=cast["other_community"], committee=committee,
                                user=world.residents["戊"].user, joined_on=today)


def test_committee_exit_rules(world):
    member = CommitteeMember.objects.get(committee=world.committee, user=world.residents["丙"].user)
    with pytest.raises(ValidationError):
        contests.committee_exit(actor=world.staff, member=member, left_on=timezone.localdate(), reason=" ")
    with pytest.raises(ValidationError):
        contests.committee_exit(actor=world.staff, member=member, left_on=member.joined_on - datetime.timedelta(1),
                                reason="搬家")
    contests.committee_exit(actor=world.staff, member=member, left_on=timezone.localdate(), reason="搬家")
    # The vice-chair seat is free again; the history stays.
    newcomer = contests.committee_join(actor=world.staff, committee=world.committee,
                                       user=world.residents["戊"].user, joined_on=timezone.localdate(),
                                       role="vice_chair")
    assert newcomer.role == "vice_chair"
    assert world.committee.members.count() == 6
    assert world.committee.members_on(timezone.localdate() + datetime.timedelta(days=1)).count() == 5


def test_a_returned_application_comes_back_through_the_same_machine(world):
    application = contests.contest_screen(actor=world.staff, application=apply(world), passed=False,
                                          reason="请补充墙绘面积")
    assert application.status == Application.Status.RETURNED
    with pytest.raises(PermissionDenied):
        contests.contest_resubmit(actor=world.residents["丙"].user, application=application, title="x",
                                  summary="x", requested_amount=Decimal("1"))
    application = contests.contest_resubmit(actor=world.residents["甲"].user, application=application,
                                            title="碧水苑墙绘（120 平方米）", summary="补充面积",
                                            requested_amount=Decimal("9500"))
    assert application.status == Application.Status.SUBMITTED and application.revisions.count() == 2
    assert application.requested_amount == Decimal("9500")


def test_a_contest_may_be_paid_from_the_community_fund(world, cast):
    """The second funder source: the community fund (commons), connected to the contest
    registry by publicfunds, which sits above both apps."""
    from commons import services as commons_services
    from commons.models import CommunityFund, FundEntry
    from organizations import services as org_services
    from organizations.demo import credit_code
    from organizations.models import Organization

    enterprise = org_services.organization_create(
        actor=cast["admin"], credit_code=credit_code("91510181MA6CXK7X1"), name="高桥社区服务社会企业",
        kind=Organization.Kind.SOCIAL_ENTERPRISE, region=world.contest.community.street.parent,
        community=world.contest.community)
    commons_services.donation_record(actor=world.staff, community=world.contest.community, donor=enterprise,
                                     amount=Decimal("15000"), entry_on=timezone.localdate())
    FundingRound.objects.filter(pk=world.contest.pk).update(funder_source="community_fund")
    application = reviewed(world)
    application = contests.contest_decide(actor=world.staff, application=application, decision="approve",
                                          reason="评审会评分第一", amount=Decimal("9000"))
    grant = ContestGrant.objects.get(application=application)
    fund = CommunityFund.objects.get(community=world.contest.community)
    assert fund.balance == Decimal("6000")
    entry = FundEntry.objects.get(fund=fund, ref=f"WCT-{application.pk}")
    assert grant.ledger_reference == f"CF-{entry.pk}" and entry.amount == Decimal("9000")
    # The public-service fund is untouched.
    assert YearFund.objects.get(pk=world.fund.pk).spent == Decimal("0")
