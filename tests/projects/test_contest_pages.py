"""Contest pages and API: a resident applies with the short form, the community staff
screen and decide, the committee reviews on the ordinary sheet, anyone reads the
results — winners and amounts, never the reviewers or their scores."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from projects.models import Application, CommitteeMember, ContestGrant
from projects.services import contests

from .contest_fixtures import reviewed, world  # noqa: F401

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_resident_applies_for_their_courtyard_on_the_page(world):
    resident = world.residents["乙"]
    client = login(resident.user)
    url = reverse("projects:contest_apply", args=[world.contest.pk])
    page = client.get(url)
    assert "院落：碧水苑" in page.content.decode()
    response = client.post(url, {"applicant": f"courtyard:{resident.courtyard_id}", "title": "碧水苑墙绘",
                                 "summary": "墙绘", "requested_amount": "20000"})
    assert response.status_code == 400 and "单项目上限" in response.content.decode()
    response = client.post(url, {"applicant": f"courtyard:{resident.courtyard_id}", "title": "碧水苑墙绘",
                                 "summary": "墙绘", "requested_amount": "8000"})
    application = Application.objects.get(title="碧水苑墙绘")
    assert response.status_code == 302 and application.status == Application.Status.SUBMITTED
    assert client.get(reverse("projects:contest_application", args=[application.pk])).status_code == 200


def test_staff_screen_and_decide_on_the_pages_and_the_ledger_follows(world):
    application = contests.contest_apply(actor=world.residents["乙"].user, contest=world.contest, title="墙绘",
                                         summary="墙绘", requested_amount=Decimal("9000"),
                                         courtyard=world.courtyards["碧水苑"])
    staff = login(world.staff)
    staff.post(reverse("projects:contest_screen", args=[application.pk]), {"passed": "1"})
    application.refresh_from_db()
    assert application.status == Application.Status.IN_REVIEW
    # A committee member reviews on the ordinary review sheet.
    sheet = application.review_sheets.get(reviewer=world.residents["丙"].user)
    member = login(world.residents["丙"].user)
    data = {f"score_{s.criterion_id}": "8" for s in sheet.scores.all()} | {"recommendation": "approve",
                                                                          "submit": "1"}
    assert member.post(reverse("projects:review_sheet", args=[sheet.pk]), data).status_code == 302
    response = staff.post(reverse("projects:contest_decide", args=[application.pk]),
                          {"decision": "approve", "amount": "7500", "reason": "评审通过"})
    assert response.status_code == 302
    assert ContestGrant.objects.get(application=application).amount == Decimal("7500")


def test_public_results_show_winners_and_amounts_not_reviewers(world):
    application = reviewed(world)
    contests.contest_decide(actor=world.staff, application=application, decision="approve", reason="好",
                            amount=Decimal("8800"))
    page = Client().get(reverse("projects:contest_results", args=[world.contest.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "碧水苑墙绘" in html and "8,800.00" in html
    reviewer = world.residents["丙"].user
    assert reviewer.display_name not in html
    api = Client().get(reverse("api:contest-results", args=[world.contest.pk])).json()
    assert api["winners"] == [{"title": "碧水苑墙绘", "applicant": "碧水苑", "amount": "8800.00"}]


def test_the_api_runs_the_same_services(world):
    resident = login(world.residents["乙"].user)
    response = resident.post(reverse("api:contest-apply", args=[world.contest.pk]), {
        "courtyard": world.courtyards["碧水苑"].pk, "title": "API 墙绘", "summary": "墙绘",
        "requested_amount": "99999"}, content_type="application/json")
    assert response.status_code == 400 and "requested_amount" in response.json()
    response = resident.post(reverse("api:contest-apply", args=[world.contest.pk]), {
        "courtyard": world.courtyards["碧水苑"].pk, "title": "API 墙绘", "summary": "墙绘",
        "requested_amount": "5000"}, content_type="application/json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    staff = login(world.staff)
    response = staff.post(reverse("api:contest-application-screen", args=[pk]), {"passed": True},
                          content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "in_review"
    response = login(world.residents["丙"].user).post(reverse("api:contest-application-screen", args=[pk]),
                                                       {"passed": True}, content_type="application/json")
    assert response.status_code in (403, 404)


def test_committee_pages_enforce_the_rules(world, cast):
    staff = login(world.staff)
    url = reverse("projects:committee_join", args=[world.committee.pk])
    response = staff.post(url, {"phone": cast["outsider"].username, "role": "member", "joined_on": "2026-01-05"})
    assert response.status_code == 400 and "不符合加入条件" in response.content.decode()
    member = CommitteeMember.objects.get(committee=world.committee, user=world.residents["己"].user)
    response = staff.post(reverse("projects:committee_exit", args=[world.committee.pk, member.pk]),
                          {"left_on": member.joined_on.isoformat(), "reason": ""})
    assert response.status_code == 400
    response = staff.post(reverse("projects:committee_exit", args=[world.committee.pk, member.pk]),
                          {"left_on": member.joined_on.isoformat(), "reason": "搬离本社区"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.left_on == member.joined_on and member.exit_reason == "搬离本社区"


def test_staff_create_a_contest_and_a_committee_through_the_api_and_pages(world, cast, review_form):
    staff = login(world.staff)
    body = {"community": world.contest.community_id, "name": "第二届院落美化大赛", "year": 2026,
            "funder_source": "public_service_fund", "committee": world.committee.pk, "review_form": review_form.pk,
            "total_budget": "20000", "per_project_cap": "5000", "opens_at": "2026-03-01T09:00:00+08:00",
            "closes_at": "2026-04-01T18:00:00+08:00"}
    response = staff.post(reverse("api:contest-list"), body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["funder_source"] == "public_service_fund"
    # The community fund is the second source (connected by publicfunds); an unknown one is a 400.
    response = staff.post(reverse("api:contest-list"), body | {"funder_source": "community_fund",
                                                               "name": "社区基金微创投"},
                          content_type="application/json")
    assert response.status_code == 201, response.content
    response = staff.post(reverse("api:contest-list"), body | {"funder_source": "lottery"},
                          content_type="application/json")
    assert response.status_code == 400 and "funder_source" in response.json()
    response = login(cast["other_community"]).post(reverse("api:contest-list"), body,
                                                   content_type="application/json")
    assert response.status_code == 400  # 高桥 is not in their scope
    page = staff.post(reverse("projects:committee_create") + f"?community={world.contest.community_id}", {
        "name": "楼栋评审小组", "formed_on": "2026-01-01", "max_members": "2", "eligibility": "residents"})
    assert page.status_code == 400  # at least three members
