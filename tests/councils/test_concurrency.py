"""Two parallel votes by one member leave one ballot (PostgreSQL, real threads): the
vote row lock serialises casting and the register's unique constraint is the guard."""

import os

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from councils import services
from councils.models import Ballot, BallotRegister
from tests.councils.conftest import check_in
from tests.projects.test_concurrency import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _needs_postgres():
    if connection.vendor != "postgresql":
        if os.environ.get("CI"):
            pytest.fail("CI must run these on PostgreSQL: .ci/run sets DATABASE_URL.")
        pytest.skip("Row locks are only exercised on PostgreSQL (set DATABASE_URL; CI does).")


def test_parallel_ballots_by_one_member_leave_one(cast, world, open_meeting, accepted):
    check_in(cast, open_meeting, world.members[:17])
    vote = services.vote_prepare(actor=cast["community"], meeting=open_meeting, proposal=accepted)
    services.vote_open(actor=cast["community"], vote=vote)
    member = world.members[0].user
    results = race([(lambda c=c: services.ballot_cast(actor=member, vote=vote, choice=c)) for c in
                    ("yes", "no", "abstain")])
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 2, results
    assert Ballot.objects.filter(vote=vote).count() == 1
    assert BallotRegister.objects.filter(vote=vote).count() == 1


def test_parallel_cosigning_crosses_the_threshold_once(cast, world, accepted):
    proposal = services.proposal_raise(actor=world.others[0].user, council=world.council, route="residents",
                                       title="座椅", body="内容")
    for resident in world.others[1:8]:
        services.proposal_cosign(actor=resident.user, proposal=proposal)
    results = race([(lambda r=r: services.proposal_cosign(actor=r.user, proposal=proposal))
                    for r in world.others[8:11]])
    proposal.refresh_from_db()
    assert proposal.status == "review"
    # The third finds it already under review: counted once, at exactly ten.
    assert sorted(r for r in results if isinstance(r, int)) == [9, 10], results
    assert len([r for r in results if isinstance(r, ValidationError)]) == 1
    assert proposal.cosignatures.count() == 10
