"""Council pages and API: who sees what, forms that keep what was typed, lists whose
query count does not grow with their rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from councils import services
from councils.models import Proposal
from residents import services as resident_services

pytestmark = pytest.mark.django_db


def test_residents_see_their_own_communitys_council_and_no_phone_numbers(cast, world, places, client):
    client.force_login(world.others[0].user)
    page = client.get(reverse("councils:council_detail", args=[world.council.pk]))
    assert page.status_code == 200
    assert world.members[0].user.real_name in page.content.decode()
    api = client.get(f"/api/councils/{world.council.pk}/").json()
    assert len(api["seats"]) == 21
    assert world.members[0].user.phone not in str(api)
    outsider = resident_services.resident_register(actor=cast["other_community"], community=places.jiahonglu,
                                                   real_name="外社区", phone="13500000001", household_number="1")
    client.force_login(outsider.user)
    assert client.get(reverse("councils:council_detail", args=[world.council.pk])).status_code == 404
    assert client.get("/api/councils/").json()["results"] == []
    assert client.get("/councils/abc/").status_code == 404


def test_a_resident_raises_a_proposal_and_bad_input_keeps_what_was_typed(world, client):
    client.force_login(world.others[0].user)
    url = reverse("councils:proposal_create", args=[world.council.pk])
    form = client.get(url)
    assert [value for value, _label in form.context["form"].fields["route"].choices] == ["residents"]
    bad = client.post(url, {"route": "residents", "title": "", "body": "路灯不亮"})
    assert bad.status_code == 400 and "路灯不亮" in bad.content.decode()
    assert client.post(url, {"route": "party", "title": "x", "body": "y"}).status_code == 400
    done = client.post(url, {"route": "residents", "title": "修路灯", "body": "路灯不亮"})
    assert done.status_code == 302
    proposal = Proposal.objects.get(title="修路灯")
    assert proposal.status == "collecting" and proposal.cosignatures.count() == 1


def test_cosigning_through_the_api(world, client):
    proposal = services.proposal_raise(actor=world.others[0].user, council=world.council, route="residents",
                                       title="座椅", body="内容")
    client.force_login(world.others[1].user)
    first = client.post(f"/api/council-proposals/{proposal.pk}/cosign/")
    assert first.status_code == 200 and first.json()["cosigners"] == 2
    again = client.post(f"/api/council-proposals/{proposal.pk}/cosign/")
    assert again.status_code == 400 and "已联名" in str(again.json())


def test_party_review_through_the_api(cast, world, client_for):
    proposal = services.proposal_raise(actor=world.members[0].user, council=world.council, route="member",
                                       title="甲", body="内容")
    client = client_for("community")
    refused = client.post(f"/api/council-proposals/{proposal.pk}/review/reject/", {}, content_type="application/json")
    assert refused.status_code == 400
    done = client.post(f"/api/council-proposals/{proposal.pk}/review/accept/", {}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "accepted"
    assert client_for("street").post(f"/api/council-proposals/{proposal.pk}/review/accept/").status_code == 403


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", [reverse("councils:proposal_list"), "/api/council-proposals/",
                                 reverse("councils:council_list"), "/api/councils/"])
def test_lists_cost_the_same_at_two_sizes(world, client_for, url):
    client = client_for("community")
    services.proposal_raise(actor=world.others[0].user, council=world.council, route="residents", title="首个",
                            body="内容")
    small = queries(client, url)
    for n in range(30):
        services.proposal_raise(actor=world.others[n % 12].user, council=world.council, route="residents",
                                title=f"议题{n}", body="内容")
    # session, user, role scope, governance roles, count, page (with council, community, signatures counted)
    assert queries(client, url) == small


def test_the_resident_home_shows_collecting_proposals_with_the_count(world, client):
    proposal = services.proposal_raise(actor=world.others[0].user, council=world.council, route="residents",
                                       title="座椅", body="内容")
    services.proposal_cosign(actor=world.others[1].user, proposal=proposal)
    client.force_login(world.others[2].user)
    html = client.get(reverse("home")).content.decode()
    assert "座椅" in html and "2 / 10 人联名" in html
