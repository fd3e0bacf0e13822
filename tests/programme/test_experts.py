"""The expert pool: workload in SQL, suggestions without conflicts of interest, and
the 1+1+1+1 team check."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services as place_services
from accounts.models import Role, User
from assessments import services as evaluation_services
from assessments.demo import load_default_rubric
from audit.models import AuditEvent
from organizations import services as org_services
from programme import experts, services
from programme.demo import seed_experts
from programme.models import Expert, ExpertGroup
from projects import services as project_services
from projects.models import Application, Project, SupervisorAssignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool(db, places):
    seed_experts()
    return {e.user.username: e for e in Expert.objects.select_related("user")}


@pytest.fixture
def project(build):
    return Project.objects.get(application=build(Application.Status.APPROVED, title="夜市", amount=Decimal("50000")))


def test_demo_pool_is_fifteen_experts_in_five_complete_groups(pool):
    assert len(pool) == 15
    groups = ExpertGroup.objects.prefetch_related("members")
    assert groups.count() == 5
    for group in groups:
        assert sorted(m.kind for m in group.members.all()) == ["senior_supervisor", "social_worker", "university"]
        assert group.region.level == "district" and group.category
    seed_experts()  # idempotent
    assert Expert.objects.count() == 15 and ExpertGroup.objects.count() == 5


def test_workload_counts_open_assignments(pool, project, build, cast, places):
    uni, senior = pool["expert01"], pool["expert02"]
    application = build(Application.Status.IN_REVIEW, title="待评审", reviewers=[uni.user])
    project_services.supervisor_assign(project=project, supervisor=uni.user, position="university_expert",
                                       actor=cast["city_bureau"])
    project_services.supervisor_assign(project=project, supervisor=senior.user, position="senior_supervisor",
                                       actor=cast["city_bureau"])
    load_default_rubric()
    evaluation_services.evaluation_create(project=project, actor=cast["city_bureau"], stage="midterm",
                                          scheduled_on=datetime.date(2016, 9, 1), evaluators=[senior.user],
                                          lead_evaluator=senior.user)
    rows = {e.user.username: e for e in experts.experts_for_user(cast["city_bureau"])}
    assert (rows["expert01"].reviews, rows["expert01"].supervisions, rows["expert01"].evaluations) == (1, 1, 0)
    assert (rows["expert02"].reviews, rows["expert02"].supervisions, rows["expert02"].evaluations) == (0, 1, 1)
    assert rows["expert02"].workload == 2 and rows["expert03"].workload == 0
    # A submitted review and a closed project leave the desk.
    assert application.review_sheets.count() == 1
    Project.objects.filter(pk=project.pk).update(status=Project.Status.CLOSED)
    rows = {e.user.username: e for e in experts.experts_for_user(cast["city_bureau"])}
    assert rows["expert01"].supervisions == 0


def test_suggestions_never_propose_a_conflicted_expert(pool, project, organizations, cast):
    social_workers = [e for e in pool.values() if e.kind == "social_worker"]
    conflicted = social_workers[0]
    org_services.membership_add(organization=project.organization, user=conflicted.user, actor=cast["admin"])
    found = experts.suggest_experts(role="social_worker", project=project, limit=50)
    assert conflicted not in found
    assert {e.pk for e in found} == {e.pk for e in social_workers[1:]}
    assert all(e.kind == "social_worker" for e in found)
    # And the API says the same.
    client = Client()
    client.force_login(cast["city_bureau"])
    data = client.get("/api/experts/suggest/", {"role": "social_worker", "project": project.pk}).json()
    assert conflicted.pk not in [row["id"] for row in data]


def test_suggestions_least_busy_first_and_not_twice(pool, project, build, cast):
    busy, idle = pool["expert01"], pool["expert04"]  # both university experts
    other = Project.objects.get(application=build(Application.Status.APPROVED, title="另一个", amount=Decimal("30000"),
                                                  community=project.community))
    project_services.supervisor_assign(project=other, supervisor=busy.user, position="university_expert",
                                       actor=cast["city_bureau"])
    found = experts.suggest_experts(role="university_expert", project=project, limit=50)
    assert found.index(idle) < found.index(busy)
    assert busy not in experts.suggest_experts(role="university_expert", project=other, limit=50)
    # Without the platform role the assignment needs, an expert is not proposed.
    stranger = User.objects.create_user(username="norole", real_name="无角色")
    services.expert_save(actor=cast["city_bureau"], user=stranger, kind="university")
    assert stranger.expert_profile not in experts.suggest_experts(role="university_expert", project=project, limit=50)


def test_reviewer_suggestions_skip_those_already_reviewing(pool, build, cast):
    application = build(Application.Status.IN_REVIEW, title="待评审", reviewers=[pool["expert01"].user])
    found = experts.suggest_experts(role="reviewer", application=application, limit=50)
    assert pool["expert01"] not in found
    assert {e.kind for e in found} == {"university"}  # only university experts hold the reviewer role in the demo


def test_team_check(pool, project, cast):
    assert [p.pk for p in experts.incomplete_teams(cast["city_bureau"])] == [project.pk]
    team = experts.teams_for_user(cast["city_bureau"]).get(pk=project.pk)
    assert [p.value for p in experts.missing_positions(team)] == [p.value for p in SupervisorAssignment.Position]
    for position in SupervisorAssignment.Position:
        expert = experts.suggest_experts(role=position.value, project=project)[0]
        project_services.supervisor_assign(project=project, supervisor=expert.user, position=position.value,
                                           actor=cast["city_bureau"])
    assert not experts.incomplete_teams(cast["city_bureau"]).exists()
    assert experts.teams_for_user(cast["city_bureau"]).get(pk=project.pk).team_complete


def test_services_check_actor_and_input(pool, cast, places):
    user = pool["expert01"].user
    with pytest.raises(PermissionDenied):
        services.expert_save(actor=cast["district_bureau"], user=user, kind="university")
    with pytest.raises(ValidationError):
        services.expert_save(actor=cast["city_bureau"], user=user, kind="wizard")
    with pytest.raises(ValidationError):
        services.expert_save(actor=cast["city_bureau"], user=user, kind="university", categories=["magic"])
    with pytest.raises(ValidationError):
        services.expert_save(actor=cast["city_bureau"], user=user, kind="university", regions=[places.yinxing])
    with pytest.raises(ValidationError):
        services.expert_group_save(actor=cast["city_bureau"], name="", members=[])
    services.expert_save(actor=cast["city_bureau"], user=user, kind="university", active=False)
    assert AuditEvent.objects.filter(action="expert.save", actor=cast["city_bureau"]).exists()
    with pytest.raises(ValidationError):
        services.expert_group_save(actor=cast["city_bureau"], name="新组", members=[Expert.objects.get(user=user)])


def test_pages(pool, project, client_for, organizations, cast):
    client = client_for("city_bureau")
    body = client.get(reverse("programme:expert_list"), {"kind": "university"}).content.decode()
    table = body.split('id="expert-table"')[1]
    assert "高校专家 杨教授" in table and "专业社工 邓社工" not in table
    assert "第一督导互助小组" in body
    assert client_for("community").get(reverse("programme:expert_list")).status_code == 403
    body = client.get(reverse("programme:team_list")).content.decode()
    assert project.title in body and "资深督导" in body
    conflicted = pool["expert03"]
    org_services.membership_add(organization=project.organization, user=conflicted.user, actor=cast["admin"])
    body = client.get(reverse("programme:team_detail", args=[project.pk])).content.decode()
    assert conflicted.user.real_name not in body
    assert "专业社工 韩社工" in body
    assert reverse("projects:supervisor_assign", args=[project.pk]) in body
    assert client_for("district_bureau").get(reverse("programme:team_detail", args=[project.pk])).status_code == 403


def test_api(pool, project, client_for):
    client = client_for("city_bureau")
    data = client.get("/api/experts/", {"kind": "senior_supervisor"}).json()
    assert data["count"] == 5 and {row["kind"] for row in data["results"]} == {"senior_supervisor"}
    bad = client.get("/api/experts/suggest/", {"role": "reviewer", "project": project.pk})
    assert bad.status_code == 400 and "application" in bad.json()
    teams = client.get("/api/teams/incomplete/").json()
    assert teams["results"][0]["missing"] == [p.value for p in SupervisorAssignment.Position]
    assert client_for("supervisor").get("/api/experts/").status_code == 403


def test_expert_list_query_count(pool, client_for):
    client = client_for("city_bureau")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("programme:expert_list")).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for i in range(30):
        user = User.objects.create_user(username=f"x{i}", real_name=f"专家{i}")
        place_services.role_assign(user=user, role=Role.SUPERVISOR, actor=None)
        services.expert_save(actor=None, user=user, kind="social_worker")
    # session, user, scope, nav, count, page of experts with workload, regions, groups, group list + members
    assert count() == small


def test_expert_pages_add_and_change(pool, client_for, cast, places):
    client = client_for("city_bureau")
    response = client.post(reverse("programme:expert_create"), {
        "user": cast["evaluator"].pk, "kind": "social_worker", "specialties": "参与式评估" * 50,
        "regions": [places.dujiangyan.pk]})
    assert response.status_code == 200 and "参与式评估" in response.content.decode()  # too long: kept, refused
    assert not Expert.objects.filter(user=cast["evaluator"]).exists()
    response = client.post(reverse("programme:expert_create"), {
        "user": cast["evaluator"].pk, "kind": "social_worker", "specialties": "参与式评估",
        "regions": [places.dujiangyan.pk], "categories": ["services"], "active": "on"})
    assert response.status_code == 302
    expert = Expert.objects.get(user=cast["evaluator"])
    assert expert.categories == ["services"] and list(expert.regions.all()) == [places.dujiangyan]
    response = client.post(reverse("programme:expert_edit", args=[expert.pk]), {
        "user": cast["outsider"].pk, "kind": "university", "specialties": "评估"})
    assert response.status_code == 302
    expert.refresh_from_db()
    assert (expert.user, expert.kind, expert.active) == (cast["evaluator"], "university", False)
    assert client_for("district_bureau").get(reverse("programme:expert_create")).status_code == 403


def test_assigning_from_a_suggestion_fills_the_team(pool, project, client_for):
    client = client_for("city_bureau")
    for position in SupervisorAssignment.Position:
        expert = experts.suggest_experts(role=position.value, project=project)[0]
        response = client.post(reverse("projects:supervisor_assign", args=[project.pk]),
                               {"supervisor": expert.user_id, "position": position.value})
        assert response.status_code == 302
    assert "1+1+1+1 已配齐" in client.get(reverse("programme:team_detail", args=[project.pk])).content.decode()
    assert project.title not in client.get(reverse("programme:team_list")).content.decode()
