import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.models import Application, ApplicationAttachment, Project, ReviewSheet
from tests import files
from tests.projects.fixtures import score_sheet

pytestmark = pytest.mark.django_db
S = Application.Status


def test_agency_starts_fills_and_submits_through_the_pages(client_for, funding_round, places, organizations, cast):
    client = client_for("agency")
    start = reverse("projects:application_start", args=[funding_round.pk])
    # A city round asks for the district first; htmx then fills the community list.
    options = client.get(start, {"district": places.dujiangyan.pk}, HTTP_HX_REQUEST="true").content.decode()
    assert "高桥社区" in options and "佳宏路社区" not in options
    response = client.post(start, {"organization": organizations["rongxiang"].pk, "district": places.dujiangyan.pk,
                                   "community": places.gaoqiao.pk, "title": "活力夜经济 治理新动能"})
    application = Application.objects.get(title="活力夜经济 治理新动能")
    assert response.status_code == 302 and application.status == S.DRAFT
    edit = reverse("projects:application_edit", args=[application.pk])
    form = {
        "title": "活力夜经济 治理新动能", "summary": "夜市治理", "dimensions": ["people", "livelihood"],
        "leverage_point": "industry", "needs_methods": ["home_visits"], "needs_findings": "走访", "goals": "目标",
        "strategy": "策略", "activity_plan": "计划", "starts_on": "2016-03-01", "ends_on": "2016-02-01",
        "planned_activities": "20", "planned_participations": "3000",
        "project_lead": "周", "social_workers": "吴", "university_expert": "刘", "senior_supervisor": "黄",
        "budget-TOTAL_FORMS": "2", "budget-INITIAL_FORMS": "0", "budget-MIN_NUM_FORMS": "0",
        "budget-MAX_NUM_FORMS": "1000",
        "budget-0-category": "activities", "budget-0-description": "夜市活动", "budget-0-amount": "60000",
        "budget-0-cofunding_amount": "0", "budget-0-cofunding_source": "",
        "budget-1-category": "personnel", "budget-1-description": "劳务", "budget-1-amount": "30000",
        "budget-1-cofunding_amount": "8000", "budget-1-cofunding_source": "",
    }
    response = client.post(edit, form)
    assert response.status_code == 200  # two errors: dates reversed, co-funding without a source
    assert "ends_on" in response.context["form"].errors
    assert "cofunding_source" in response.context["lines"].forms[1].errors
    assert "夜市活动" in response.content.decode()  # what was typed stays
    assert Application.objects.get(pk=application.pk).requested_amount == 0
    form.update({"ends_on": "2016-12-31", "budget-1-cofunding_source": "self_raised"})
    assert client.post(edit, form).status_code == 302
    application.refresh_from_db()
    assert application.requested_amount == Decimal("90000") and application.dimensions == ["people", "livelihood"]
    upload = files.pdf()
    client.post(reverse("projects:attachment_upload", args=[application.pk]), {"file": upload})
    assert application.attachments.count() == 1
    client.post(reverse("projects:application_submit", args=[application.pk]))
    assert Application.objects.get(pk=application.pk).status == S.SUBMITTED


def test_attachment_type_and_size_limits(build, client_for, settings):
    application = build(S.DRAFT)
    client = client_for("agency")
    url = reverse("projects:attachment_upload", args=[application.pk])
    response = client.post(url, {"file": SimpleUploadedFile("x.exe", b"MZ")}, follow=True)
    assert "不支持的文件类型" in response.content.decode()
    big = SimpleUploadedFile("big.pdf", b"0" * (10 * 1024 * 1024 + 1), content_type="application/pdf")
    response = client.post(url, {"file": big}, follow=True)
    assert "超过 10 MB" in response.content.decode()
    assert not ApplicationAttachment.objects.exists()


def test_attachments_are_served_only_in_scope(build, client_for):
    application = build(S.DRAFT)
    client_for("agency").post(reverse("projects:attachment_upload", args=[application.pk]), {"file": files.xlsx()})
    attachment = application.attachments.get()
    url = reverse("projects:attachment_download", args=[application.pk, attachment.pk])
    response = client_for("agency").get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == files.xlsx_bytes()
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    # A draft is the agency's alone.
    for role in ("city_bureau", "community", "other_agency", "outsider"):
        assert client_for(role).get(url).status_code == 404, role


def test_review_queue_filters_counts_and_bulk_assignment(build, client_for, cast, places, second_reviewer):
    in_review = build(S.IN_REVIEW, title="评审中A")
    other = build(S.IN_REVIEW, community=places.jiahonglu, title="评审中B")
    build(S.SUBMITTED, title="待审查")
    build(S.DRAFT, title="草稿不显示")
    client = client_for("city_bureau")
    url = reverse("projects:review_queue", args=[in_review.round_id])
    response = client.get(url)
    assert response.context["counts"]["in_review"] == 2 and response.context["counts"]["submitted"] == 1
    assert "草稿不显示" not in response.content.decode()
    response = client.get(url, {"district": places.dujiangyan.pk, "status": "in_review"})
    assert [a.title for a in response.context["page"]] == ["评审中A"]
    response = client.post(reverse("projects:review_assign", args=[in_review.round_id]),
                           {"applications": [in_review.pk, other.pk], "reviewers": [second_reviewer.pk]})
    assert response.status_code == 302
    assert ReviewSheet.objects.filter(reviewer=second_reviewer).count() == 2


def test_queue_sorts_by_score(build, client_for, cast, places):
    low = build(S.IN_REVIEW, title="低分", reviewers=[cast["reviewer"]])
    high = build(S.IN_REVIEW, title="高分", community=places.nanqiao, reviewers=[cast["reviewer"]])
    score_sheet(low.review_sheets.get(), 5)
    score_sheet(high.review_sheets.get(), 9)
    url = reverse("projects:review_queue", args=[low.round_id])
    titles = [a.title for a in client_for("city_bureau").get(url, {"ordering": "-score"}).context["page"]]
    assert titles == ["高分", "低分"]
    titles = [a.title for a in client_for("city_bureau").get(url, {"score_min": "80"}).context["page"]]
    assert titles == ["高分"]


def test_decision_refused_by_the_cap_shows_the_figures_at_the_field(build, client_for):
    for n in range(3):
        build(S.APPROVED, title=f"第{n}")
    fourth = build(S.IN_REVIEW, title="第4个")
    response = client_for("city_bureau").post(reverse("projects:application_decide", args=[fourth.pk]), {
        "decision": "approve", "approved_amount": "90000", "reason": "很好的项目"})
    assert response.status_code == 400
    assert "360,000.00" in " ".join(response.context["decision_form"].errors["approved_amount"])
    assert "很好的项目" in response.content.decode()
    assert Application.objects.get(pk=fourth.pk).status == S.IN_REVIEW


def test_returned_application_page_shows_the_revision_diff(build, client_for, cast):
    from projects import services

    application = build(S.RETURNED)
    services.application_update(application=application, actor=cast["agency"], data={"goals": "新的目标"})
    services.application_submit(application=application, actor=cast["agency"])
    response = client_for("city_bureau").get(reverse("projects:revision_detail", args=[application.pk, 2]))
    assert [c["label"] for c in response.context["changes"]] == ["项目目标"]
    assert "新的目标" in response.content.decode()


def test_reviewer_scores_through_the_page(build, client_for, cast):
    application = build(S.IN_REVIEW, reviewers=[cast["reviewer"]])
    sheet = application.review_sheets.get()
    url = reverse("projects:review_sheet", args=[sheet.pk])
    form = {f"score_{s.criterion_id}": "8" for s in sheet.scores.all()}
    first = sheet.scores.order_by("criterion__order").first()
    form[f"score_{first.criterion_id}"] = "11"
    form.update({"recommendation": "approve", "comment": "总体良好", "submit": "1"})
    response = client_for("reviewer").post(url, form)
    assert response.status_code == 200 and f"score_{first.criterion_id}" in response.context["form"].errors
    assert 'value="11"' in response.content.decode()
    form[f"score_{first.criterion_id}"] = "8"
    assert client_for("reviewer").post(url, form).status_code == 302
    sheet.refresh_from_db()
    assert (sheet.status, sheet.total) == (ReviewSheet.Status.SUBMITTED, Decimal("80.00"))


def test_disbursement_page_double_post(build, client_for, cast):
    from projects import services

    project = Project.objects.get(application=build(S.APPROVED))
    services.agreement_sign(project=project, actor=cast["city_bureau"], signed_on=datetime.date(2016, 5, 1))
    tranche = project.tranches.get(order=1)
    data = {"tranche": tranche.pk, "amount": "45000", "paid_on": "2016-05-02", "voucher_number": "CDMZ-1"}
    client = client_for("city_bureau")
    url = reverse("projects:project_disburse", args=[project.pk])
    assert client.post(url, {**data, "confirmed": "1"}).status_code == 302
    assert client.post(url, {**data, "confirmed": "1"}).status_code == 302
    assert Project.objects.get(pk=project.pk).disbursed_amount == Decimal("45000")
    response = client.post(url, {**data, "voucher_number": "CDMZ-2", "amount": "1"})
    assert response.status_code == 400 and "超出本批次金额" in response.content.decode()


# --- API -------------------------------------------------------------------------


def test_api_agency_creates_edits_and_submits(client_for, funding_round, organizations, places, cast):
    client = client_for("agency")
    response = client.post("/api/applications/", {"round": funding_round.pk, "organization": organizations[
        "rongxiang"].pk, "community": places.gaoqiao.pk, "title": "接口申报"}, content_type="application/json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    payload = {
        "summary": "概述", "dimensions": ["people"], "leverage_point": "services", "needs_methods": ["survey"],
        "needs_findings": "发现", "goals": "目标", "strategy": "策略", "activity_plan": "计划",
        "starts_on": "2016-03-01", "ends_on": "2016-12-31", "project_lead": "周", "social_workers": "吴",
        "university_expert": "刘", "senior_supervisor": "黄",
        "budget_lines": [{"category": "activities", "description": "活动", "amount": "50000.00"}],
    }
    response = client.patch(f"/api/applications/{pk}/", payload, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["requested_amount"] == "50000.00"
    assert client.post(f"/api/applications/{pk}/submit/").json()["status"] == "submitted"
    again = client.post(f"/api/applications/{pk}/submit/")
    assert again.status_code == 400 and "不能提交申报" in again.content.decode()


def test_api_bureau_screens_assigns_and_decides(build, client_for, cast, second_reviewer):
    application = build(S.SUBMITTED)
    client = client_for("city_bureau")
    base = f"/api/applications/{application.pk}"
    assert client.post(f"{base}/screen/", {"result": "pass"}, content_type="application/json").json()[
        "status"] == "in_review"
    assert client.post(f"{base}/assign/", {"reviewers": [cast["reviewer"].pk]},
                       content_type="application/json").status_code == 200
    sheet = ReviewSheet.objects.get(application=application)
    reviewer = client_for("reviewer")
    scores = [{"criterion": s.criterion_id, "score": "9"} for s in sheet.scores.all()]
    response = reviewer.patch(f"/api/review-sheets/{sheet.pk}/", {"scores": scores, "recommendation": "approve"},
                              content_type="application/json")
    assert response.status_code == 200, response.content
    assert reviewer.post(f"/api/review-sheets/{sheet.pk}/submit/").json()["total"] == "90.00"
    response = client.post(f"{base}/decide/", {"decision": "approve", "reason": "好", "approved_amount": "80000"},
                           content_type="application/json")
    assert response.json()["status"] == "approved"
    project = Project.objects.get(application=application)
    assert client.get(f"/api/projects/{project.pk}/").json()["approved_amount"] == "80000.00"


def test_api_refusals(build, client_for):
    application = build(S.SUBMITTED)
    base = f"/api/applications/{application.pk}"
    # visible but not the funder: 403; outside scope: 404
    assert client_for("street").post(f"{base}/screen/", {"result": "pass"},
                                     content_type="application/json").status_code == 403
    assert client_for("district_bureau").post(f"{base}/decide/", {"decision": "reject", "reason": "x"},
                                              content_type="application/json").status_code == 403
    assert client_for("other_community").get(f"{base}/").status_code == 404
    assert client_for("other_agency").patch(f"{base}/", {"title": "x"},
                                            content_type="application/json").status_code == 404
    assert client_for("community").patch(f"{base}/", {"title": "x"},
                                         content_type="application/json").status_code == 403


def test_api_revisions_show_the_diff(build, client_for, cast):
    from projects import services

    application = build(S.RETURNED)
    services.application_update(application=application, actor=cast["agency"], data={"summary": "更新后的概述"})
    services.application_submit(application=application, actor=cast["agency"])
    revisions = client_for("city_bureau").get(f"/api/applications/{application.pk}/revisions/").json()
    assert [r["number"] for r in revisions] == [1, 2]
    assert [c["label"] for c in revisions[1]["changes"]] == ["项目概述"]
