"""Each role's home page is its work queue: what needs the user now, with counts and
due dates, at a number of queries that does not grow with the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects import services
from projects.models import Application
from tests.projects.fixtures import score_sheet
from web import queues

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
    # Full groups from the start: a group shorter than its limit skips its count query.
    _grow(build, cast, places, queues.ITEMS_SHOWN)
    client.get("/")  # the bureau's figure snapshots are computed on the first visit
    small = _count(client)
    _grow(build, cast, places, 6, start=queues.ITEMS_SHOWN)
    # At most two queries per queue group (first rows, count), whatever the number of rows.
    assert _count(client) == small


def test_a_group_counts_only_when_full_and_stops_at_the_cap(build, monkeypatch):
    def item(application):
        return queues.QueueItem(label=application.title, url="/")

    build(S.SUBMITTED, title="一")
    with CaptureQueriesContext(connection) as ctx:
        short = queues.group("待办", Application.objects.order_by("pk"), item, limit=2)
    assert (short.count, short.more, len(ctx.captured_queries)) == (1, False, 1)  # the rows are the count
    for title in ("二", "三", "四", "五"):
        build(S.SUBMITTED, title=title)
    monkeypatch.setattr(queues, "COUNT_CAP", 3)
    full = queues.group("待办", Application.objects.order_by("pk"), item, limit=2)
    assert (full.count, full.more, [i.label for i in full.items]) == (3, True, ["一", "二"])
