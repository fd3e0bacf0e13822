"""After a secret vote, read every table and the audit log: nothing links a ballot to
its voter.

What the schema guarantees: the ballot box (`Ballot`) holds the vote and the choice
under a random UUID4 key — no timestamp, no sequence, no foreign key to the register
or to anyone; the register (`BallotRegister`) records who voted and never what; the
audit log records the register entry only. What the close does: it re-writes the box in
shuffled order with fresh ids in one transaction, so on PostgreSQL neither the physical
order of the rows nor their transaction ids (xmin) follow the order of voters.

Residual risk, stated honestly (README "居民议事会"): while the vote is open the box's
rows sit in insertion order and carry their inserting transaction's id, so someone
with direct database access watching during the vote could correlate them with the
register; after the close the old row versions are dead tuples until VACUUM (the close
asks for one) and remain in WAL and in any backup taken during the vote."""

import uuid

import pytest
from django.apps import apps
from django.db import connection, models

from audit.models import AuditEvent
from councils import services
from councils.models import Ballot, BallotRegister
from tests.councils.conftest import check_in

pytestmark = pytest.mark.django_db

CHOICES = ["yes", "no", "yes", "abstain", "yes", "no", "yes", "yes", "abstain", "yes", "yes", "no", "yes", "yes",
           "yes", "no", "yes"]


def _secret_vote(cast, world, open_meeting, accepted):
    check_in(cast, open_meeting, world.members[:17])
    vote = services.vote_prepare(actor=cast["community"], meeting=open_meeting, proposal=accepted)
    services.vote_open(actor=cast["community"], vote=vote)
    for resident, choice in zip(world.members[:17], CHOICES, strict=True):
        services.ballot_cast(actor=resident.user, vote=vote, choice=choice)
    return vote


def test_the_ballot_box_schema_holds_nothing_that_orders_or_links(cast, world):
    fields = {f.name: f for f in Ballot._meta.get_fields()}
    assert set(fields) == {"id", "vote", "choice"}
    assert isinstance(fields["id"], models.UUIDField) and fields["id"].primary_key
    assert not any(isinstance(f, models.DateTimeField | models.DateField | models.AutoField) for f in fields.values())
    assert fields["vote"].related_model.__name__ == "Vote"
    # No model anywhere points at a ballot.
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete:
                assert field.related_model is not Ballot, f"{model.__name__}.{field.name} links to a ballot"
    register_fields = {f.name for f in BallotRegister._meta.get_fields()}
    assert register_fields == {"id", "vote", "seat", "named_choice"}


def test_after_a_secret_vote_nothing_links_a_ballot_to_its_voter(cast, world, open_meeting, accepted):
    vote = _secret_vote(cast, world, open_meeting, accepted)
    ids_while_open = set(Ballot.objects.filter(vote=vote).values_list("id", flat=True))
    services.vote_close(actor=cast["community"], vote=vote)
    ballots = list(Ballot.objects.filter(vote=vote).values("id", "choice"))
    assert sorted(b["choice"] for b in ballots) == sorted(CHOICES)
    ids = {b["id"] for b in ballots}
    assert all(i.version == 4 for i in ids)
    # The close re-wrote the box: none of the ids that existed while voting survives.
    assert not ids & ids_while_open
    # The register says who voted, never how.
    assert BallotRegister.objects.filter(vote=vote).count() == 17
    assert set(BallotRegister.objects.filter(vote=vote).values_list("named_choice", flat=True)) == {""}

    # Read every table: no row anywhere stores a ballot's id (old or new), in any column.
    needles = {str(i) for i in ids | ids_while_open} | {i.hex for i in ids | ids_while_open}
    for model in apps.get_models():
        if model is Ballot:
            continue
        for row in model.objects.all().values_list(flat=False).iterator():
            for value in row:
                text = str(value.hex if isinstance(value, uuid.UUID) else value)
                assert not any(needle in text for needle in needles), f"{model.__name__} holds a ballot id"

    # The audit log: ballot casting is recorded on the register entry, without the choice.
    cast_events = AuditEvent.objects.filter(action="vote.ballot_cast")
    assert cast_events.count() == 17
    assert {e.object_id for e in cast_events} == {str(pk) for pk in BallotRegister.objects.values_list("pk",
                                                                                                      flat=True)}
    for event in cast_events:
        assert not event.data, event.data
        assert event.object_type == BallotRegister._meta.label_lower
    assert not AuditEvent.objects.filter(object_type=Ballot._meta.label_lower).exists()


def test_on_postgresql_ballots_share_one_transaction_id_after_the_close(cast, world, open_meeting, accepted):
    if connection.vendor != "postgresql":
        pytest.skip("xmin is PostgreSQL's")
    vote = _secret_vote(cast, world, open_meeting, accepted)
    services.vote_close(actor=cast["community"], vote=vote)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT xmin::text FROM {Ballot._meta.db_table} WHERE vote_id = %s", [vote.pk])
        ballot_xmins = {row[0] for row in cursor.fetchall()}
    # Inside the test's transaction every row shares one xid anyway; what matters is
    # that the box is one batch, with nothing per-voter to compare against.
    assert len(ballot_xmins) == 1
