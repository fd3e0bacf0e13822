"""Each role's home page is its work queue: what needs the user now, with counts and
due dates, at a number of queries that does not grow with the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects import services
from projects.models import Application
from tests.projects.fixtures import score_sheet

pytestmark = pytest.mark.django_db
S = Application.Status


def groups(response) -> dict[str, int]:
    queue = response.context["projects_queue"] + response.context.get("assessments_queue", [])
    return {group.title: group.count for group in queue}


def unendorsed(build, cast, places, title="未征求意见"):
    application = build(S.DRAFT, title=title)
    return services.application_submit(application=application, actor=cast["agency"])


def test_bureau_home_lists_screening_assignment_decision_agreement(build, cast, client_for):
    build(S.SUBMITTED, title="待审")
    build(S.IN_REVIEW, title="待分配")
    decided = build(S.IN_REVIEW, title="待结论", reviewers=[cast["reviewer"]])
    score_sheet(decided.review_sheets.get(), 8)
    build(S.APPROVED, title="待签")
    response = client_for("city_bureau").get("/")
    counts = groups(response)
    assert counts["待形式审查"] == 1
    assert counts["待分配评审"] == 1
    assert counts["待作出结论"] == 1
    assert counts["待签协议"] == 1
    assert "待拨付" in counts and "待审核进度报告" in counts
    page = response.content.decode()
    assert "待审" in page and "社区意见：同意申报" in page


def test_agency_home_lists_drafts_returned_and_open_rounds(build, client_for, funding_round):
    build(S.DRAFT, title="草稿一")
    build(S.RETURNED, title="被退回")
    response = client_for("agency").get("/")
    counts = groups(response)
    assert counts["草稿申报书"] == 1
    assert counts["退回修改的申报书"] == 1
    assert counts["开放申报的资助轮次"] == 1
    assert funding_round.name in response.content.decode()
    # Another agency sees none of it.
    assert groups(client_for("other_agency").get("/"))["草稿申报书"] == 0


def test_community_home_lists_opinions_requested(build, cast, places, client_for):
    unendorsed(build, cast, places)
    build(S.SUBMITTED, title="已有意见")
    counts = groups(client_for("community").get("/"))
    assert counts["待填写社区意见"] == 1
    assert groups(client_for("other_community").get("/"))["待填写社区意见"] == 0


def test_reviewer_home_lists_sheets_with_progress(build, cast, client_for):
    build(S.IN_REVIEW, title="请评审", reviewers=[cast["reviewer"]])
    response = client_for("reviewer").get("/")
    assert groups(response)["待完成的评审表"] == 1
    assert "已评 0 / " in response.content.decode()


def _grow(build, cast, places, n, start=0):
    for i in range(start, start + n):
        build(S.SUBMITTED, title=f"申报{i}")
        build(S.IN_REVIEW, title=f"评审{i}", reviewers=[cast["reviewer"]])
        build(S.DRAFT, title=f"草稿{i}")
        unendorsed(build, cast, places, title=f"待意见{i}")


def _count(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["city_bureau", "agency", "community", "street", "reviewer", "supervisor",
                                  "evaluator"])
def test_home_queries_do_not_grow(build, cast, places, client_for, role):
    client = client_for(role)
    _grow(build, cast, places, 1)
    small = _count(client)
    _grow(build, cast, places, 6, start=1)
    # Two queries per queue group (count, first rows), whatever the number of rows.
    assert _count(client) == small
