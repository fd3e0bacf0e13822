"""Issue #16 "What was found": the problems that had no test of their own yet. Each test
here fails on the code as it was found (see the docstrings)."""

import pathlib
import re

import pytest
from django.conf import settings
from django.urls import reverse

from organizations.models import SelfOrganization
from organizations.selforg_forms import SelfOrganizationForm
from projects import selectors
from projects.forms import AttachmentForm
from projects.models import Application
from tests.projects.fixtures import score_sheet

pytestmark = pytest.mark.django_db


def test_status_counts_count_applications_not_joined_rows(build, cast, second_reviewer, client_for):
    """The workbench's counts came from the scored queryset (one row per review sheet):
    an application with two reviewers counted twice."""
    reviewers = [cast["reviewer"], second_reviewer]
    in_review = build(Application.Status.IN_REVIEW, reviewers=reviewers)
    for sheet in in_review.review_sheets.all():
        score_sheet(sheet, 8)
    build(Application.Status.SUBMITTED, title="第二份")
    base = selectors.review_queue(user=cast["city_bureau"], funding_round=in_review.round)
    # Counted over the scored queryset too (one row per sheet before grouping).
    assert selectors.status_counts(selectors.with_scores(base)) == selectors.status_counts(base)
    counts = selectors.status_counts(base)
    assert counts["in_review"] == 1 and counts["submitted"] == 1
    page = client_for("city_bureau").get(reverse("projects:review_queue", args=[in_review.round_id]))
    assert page.context["counts"]["in_review"] == 1


ENGLISH_ATTRIBUTE = re.compile(r'(aria-label|title|placeholder|alt)="([A-Za-z][A-Za-z ().,-]*)"')


def test_no_template_names_a_landmark_or_control_in_english():
    """aria-label="breadcrumb" (and its kind) is what a screen reader says on a Chinese
    page; the programme pages still carried it after the first fix."""
    found = []
    for path in pathlib.Path(settings.BASE_DIR, "templates").rglob("*.html"):
        for match in ENGLISH_ATTRIBUTE.finditer(path.read_text(encoding="utf-8")):
            found.append(f"{path.name}: {match.group(0)}")
    assert found == []


def test_form_help_texts_have_no_english_words_to_type():
    """"Office" in the attachment help, and "chair / vice_chair / core" as the roles a
    community worker had to type for a self-organisation's leaders."""
    assert "Office" not in str(AttachmentForm.base_fields["file"].help_text)
    help_text = str(SelfOrganizationForm.base_fields["leaders"].help_text)
    assert not re.search(r"[A-Za-z]", help_text)


def test_self_organisation_leaders_take_chinese_role_names(client_for, places):
    response = client_for("community").post(reverse("organizations:selforg_create"), {
        "community": places.gaoqiao.pk, "name": "院坝互助队", "category": "mutual_aid", "stage": "formed",
        "members": "8", "leaders": "刘阿姨,负责人\n王叔，副主任\n陈大爷"})
    assert response.status_code == 302
    group = SelfOrganization.objects.get(name="院坝互助队")
    assert sorted(group.leaders.values_list("name", "role")) == [
        ("刘阿姨", "chair"), ("王叔", "vice_chair"), ("陈大爷", "core")]
    bad = client_for("community").post(reverse("organizations:selforg_create"), {
        "community": places.gaoqiao.pk, "name": "另一队", "category": "mutual_aid", "stage": "formed",
        "members": "8", "leaders": "赵姐,队长"})
    assert "应为负责人、副主任或骨干" in bad.content.decode()


def test_project_list_filters_by_state_and_district_with_counts(build, cast, places, client_for):
    """立项项目 had a search box only: no filters, no counts."""
    from projects import services
    from projects.models import Project

    here = Project.objects.get(application=build(Application.Status.APPROVED, title="高桥夜市"))
    services.agreement_sign(project=here, actor=cast["city_bureau"], signed_on=here.starts_on)
    Project.objects.get(application=build(Application.Status.APPROVED, title="佳宏路微更新",
                                          community=places.jiahonglu))
    client = client_for("city_bureau")
    url = reverse("projects:project_list")

    def titles(response):
        return {project.title for project in response.context["page"]}

    everything = client.get(url)
    assert titles(everything) == {"高桥夜市", "佳宏路微更新"}
    counts = {value: n for value, _label, n in everything.context["counts"]}
    assert (counts["active"], counts["agreement"], counts["closed"]) == (1, 1, 0)
    assert titles(client.get(url, {"status": "active"})) == {"高桥夜市"}
    in_district = client.get(url, {"district": places.dujiangyan.pk})
    assert titles(in_district) == {"高桥夜市"}
    assert {value: n for value, _label, n in in_district.context["counts"]}["agreement"] == 0
    assert 'data-status-count="active">1<' in in_district.content.decode()
    assert titles(client.get(url, {"q": "微更新", "status": "agreement"})) == {"佳宏路微更新"}


def test_charts_draw_single_points_and_whole_number_axes_for_counts():
    """The chart script hid a lone month's point (symbols only on hover) and stepped count
    axes by 0.2; the server marks count charts `integer` (tests/reports/test_presentation.py)
    and the script must honour it."""
    script = pathlib.Path(settings.BASE_DIR, "static", "js", "dashboard-charts.js").read_text(encoding="utf-8")
    assert re.search(r"spec\.integer\s*\?\s*\{[^}]*minInterval:\s*1", script)
    assert "showSymbol: true" in script and "showAllSymbol: true" in script


def test_supervisor_home_lists_their_projects(build, cast, client_for):
    """The supervisor's home was a single link, not a list of work."""
    from projects import services
    from projects.models import Project, SupervisorAssignment

    project = Project.objects.get(application=build(Application.Status.APPROVED, title="高桥夜市"))
    services.supervisor_assign(project=project, supervisor=cast["supervisor"], actor=cast["city_bureau"],
                               position=SupervisorAssignment.Position.values[0])
    page = client_for("supervisor").get("/").content.decode()
    assert 'data-queue="我督导的项目"' in page
    assert reverse("projects:project_detail", args=[project.pk]) in page and "已督导 0 次" in page
