import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from organizations import services as org_services
from projects import access, selectors, services
from projects.models import Application, Disbursement, Project, ReviewSheet
from tests.projects.fixtures import score_sheet

pytestmark = pytest.mark.django_db
S = Application.Status


# --- caps ------------------------------------------------------------------------


def test_fourth_application_of_90000_in_a_community_with_270000_is_refused(build, cast):
    for n in range(3):
        build(S.APPROVED, title=f"第{n + 1}个")
    fourth = build(S.IN_REVIEW, title="第4个")
    with pytest.raises(ValidationError) as exc:
        services.application_decide(application=fourth, actor=cast["city_bureau"], decision="approve", reason="x",
                                    approved_amount=Decimal("90000"))
    message = exc.value.message_dict["approved_amount"][0]
    assert "单社区上限" in message
    for figure in ("270,000.00", "90,000.00", "360,000.00", "300,000.00"):
        assert figure in message
    assert Application.objects.get(pk=fourth.pk).status == S.IN_REVIEW
    assert Project.objects.count() == 3


def test_a_smaller_amount_that_fits_the_cap_is_approved(build, cast):
    for n in range(3):
        build(S.APPROVED, title=f"第{n + 1}个")
    fourth = build(S.IN_REVIEW, title="第4个")
    services.application_decide(application=fourth, actor=cast["city_bureau"], decision="approve", reason="x",
                                approved_amount=Decimal("30000"))
    assert Project.objects.get(application=fourth).approved_amount == Decimal("30000")


def test_round_budget_cap(build, cast, funding_round, places):
    services.round_update(funding_round=funding_round, actor=cast["city_bureau"],
                          data={"total_budget": Decimal("150000")})
    build(S.APPROVED)
    second = build(S.IN_REVIEW, community=places.nanqiao, title="第二")
    with pytest.raises(ValidationError, match="超出本轮总预算"):
        services.application_decide(application=second, actor=cast["city_bureau"], decision="approve", reason="x")


def test_approved_amount_cannot_exceed_the_request(build, cast):
    application = build(S.IN_REVIEW, amount=Decimal("50000"))
    with pytest.raises(ValidationError, match="不能超过申请金额"):
        services.application_decide(application=application, actor=cast["city_bureau"], decision="approve",
                                    reason="x", approved_amount=Decimal("50000.01"))


def test_approval_creates_the_project_and_an_exact_tranche_schedule(build, cast):
    application = build(S.IN_REVIEW, amount=Decimal("99999.99"))
    services.application_decide(application=application, actor=cast["city_bureau"], decision="approve", reason="好",
                                agreement_signed_on=datetime.date(2016, 5, 1))
    project = Project.objects.get(application=application)
    amounts = [t.amount for t in project.tranches.order_by("order")]
    assert amounts == [Decimal("50000.00"), Decimal("30000.00"), Decimal("19999.99")]
    assert sum(amounts) == project.approved_amount == Decimal("99999.99")
    assert project.agreement_signed_on == datetime.date(2016, 5, 1)
    assert (project.community, project.organization) == (application.community, application.organization)


# --- review ----------------------------------------------------------------------


def test_reviewer_from_the_applying_organisation_is_refused(build, cast, organizations, second_reviewer):
    application = build(S.IN_REVIEW)
    org_services.membership_add(organization=organizations["rongxiang"], user=cast["reviewer"], actor=cast["admin"])
    with pytest.raises(ValidationError) as exc:
        services.review_assign(applications=[application], reviewers=[cast["reviewer"], second_reviewer],
                               actor=cast["city_bureau"])
    assert "利益回避" in exc.value.message_dict["reviewers"][0]
    assert not ReviewSheet.objects.filter(application=application).exists()


def test_only_reviewers_can_be_assigned(build, cast):
    with pytest.raises(ValidationError, match="不是评审专家"):
        services.review_assign(applications=[build(S.IN_REVIEW)], reviewers=[cast["outsider"]],
                               actor=cast["city_bureau"])


def test_assignment_is_idempotent_and_notifies(build, cast):
    application = build(S.IN_REVIEW)
    services.review_assign(applications=[application], reviewers=[cast["reviewer"]], actor=cast["city_bureau"])
    again = services.review_assign(applications=[application], reviewers=[cast["reviewer"]], actor=cast["city_bureau"])
    assert again == []
    assert ReviewSheet.objects.filter(application=application).count() == 1
    assert cast["reviewer"].notifications.filter(kind="review_assigned").count() == 1


def test_weighted_total_and_lock(build, cast):
    application = build(S.IN_REVIEW, reviewers=[cast["reviewer"]])
    sheet = application.review_sheets.get()
    scores = {
        s.criterion_id: (Decimal(s.criterion.max_score) / 2, "") for s in sheet.scores.select_related("criterion")
    }
    services.review_save(sheet=sheet, actor=cast["reviewer"], scores=scores, recommendation="revise")
    sheet = services.review_submit(sheet=sheet, actor=cast["reviewer"])
    assert sheet.total == Decimal("50.00")
    with pytest.raises(ValidationError, match="已提交"):
        services.review_save(sheet=sheet, actor=cast["reviewer"], scores={}, recommendation="approve")


def test_scores_outside_0_to_max_are_refused(build, cast):
    sheet = build(S.IN_REVIEW, reviewers=[cast["reviewer"]]).review_sheets.get()
    criterion = sheet.scores.first().criterion
    with pytest.raises(ValidationError) as exc:
        services.review_save(sheet=sheet, actor=cast["reviewer"], scores={criterion.pk: (Decimal("10.5"), "")})
    assert f"score_{criterion.pk}" in exc.value.message_dict


def test_incomplete_sheet_cannot_be_submitted(build, cast):
    sheet = build(S.IN_REVIEW, reviewers=[cast["reviewer"]]).review_sheets.get()
    with pytest.raises(ValidationError, match="未打分"):
        services.review_submit(sheet=sheet, actor=cast["reviewer"])


def test_only_the_assigned_reviewer_writes_the_sheet(build, cast, second_reviewer):
    sheet = build(S.IN_REVIEW, reviewers=[cast["reviewer"]]).review_sheets.get()
    with pytest.raises(PermissionDenied):
        services.review_save(sheet=sheet, actor=second_reviewer, scores={})


def test_reviewers_score_independently(build, cast, second_reviewer, client_for):
    application = build(S.IN_REVIEW, reviewers=[cast["reviewer"], second_reviewer])
    mine = application.review_sheets.get(reviewer=cast["reviewer"])
    theirs = score_sheet(application.review_sheets.get(reviewer=second_reviewer), 9)
    client = client_for("reviewer")
    # Before submitting my own: I see only my sheet, in the page and in the API.
    page = client.get(reverse("projects:application_detail", args=[application.pk]))
    assert [s.pk for s in page.context["sheets"]] == [mine.pk]
    assert client.get(f"/api/review-sheets/{theirs.pk}/").status_code == 404
    assert [row["id"] for row in client.get("/api/review-sheets/").json()["results"]] == [mine.pk]
    assert "90.00" not in page.content.decode()
    # After submitting: colleagues' submitted sheets become visible.
    score_sheet(mine, 7)
    page = client.get(reverse("projects:application_detail", args=[application.pk]))
    assert {s.pk for s in page.context["sheets"]} == {mine.pk, theirs.pk}
    assert client.get(f"/api/review-sheets/{theirs.pk}/").status_code == 200
    # The applicant never sees the sheets.
    assert client_for("agency").get(reverse("projects:application_detail", args=[application.pk])).context[
        "sheets"] == []


def test_mean_and_spread_flag(build, cast, second_reviewer, client_for):
    application = build(S.IN_REVIEW, reviewers=[cast["reviewer"], second_reviewer])
    score_sheet(application.review_sheets.get(reviewer=cast["reviewer"]), 9)  # 90
    score_sheet(application.review_sheets.get(reviewer=second_reviewer), 7)  # 70
    context = client_for("city_bureau").get(reverse("projects:application_detail", args=[application.pk])).context
    assert context["mean_total"] == Decimal("80.00")
    assert context["spread"] == Decimal("20.00") and context["spread_flag"]  # gap 15
    row = selectors.with_scores(selectors.review_queue(user=cast["city_bureau"], funding_round=application.round)
                                ).get(pk=application.pk)
    assert row.mean_total == Decimal("80") and selectors.spread_flagged(row, Decimal("15"))
    assert not selectors.spread_flagged(row, Decimal("20"))


def test_submitted_sheet_page_is_locked(build, cast, client_for):
    sheet = score_sheet(build(S.IN_REVIEW, reviewers=[cast["reviewer"]]).review_sheets.get(), 8)
    response = client_for("reviewer").post(reverse("projects:review_sheet", args=[sheet.pk]), {"comment": "改"})
    assert response.status_code == 403
    assert ReviewSheet.objects.get(pk=sheet.pk).comment == ""


# --- money -----------------------------------------------------------------------


@pytest.fixture
def project(build, cast):
    application = build(S.APPROVED)
    project = Project.objects.get(application=application)
    return services.agreement_sign(project=project, actor=cast["city_bureau"], signed_on=datetime.date(2016, 5, 1))


def test_double_submit_of_a_disbursement_pays_once(project, cast):
    first_tranche = project.tranches.get(order=1)
    kwargs = dict(project=project, tranche=first_tranche, amount=Decimal("45000"), paid_on=datetime.date(2016, 5, 2),
                  voucher_number="CDMZ-001", actor=cast["city_bureau"])
    one = services.disbursement_record(**kwargs)
    two = services.disbursement_record(**kwargs)
    assert one.pk == two.pk
    assert Disbursement.objects.count() == 1
    assert Project.objects.get(pk=project.pk).disbursed_amount == Decimal("45000")


def test_same_voucher_with_other_figures_is_refused(project, cast):
    tranche = project.tranches.get(order=1)
    services.disbursement_record(project=project, tranche=tranche, amount=Decimal("20000"),
                                 paid_on=datetime.date(2016, 5, 2), voucher_number="V1", actor=cast["city_bureau"])
    with pytest.raises(ValidationError, match="已登记过"):
        services.disbursement_record(project=project, tranche=tranche, amount=Decimal("25000"),
                                     paid_on=datetime.date(2016, 5, 2), voucher_number="V1", actor=cast["city_bureau"])


def test_disbursements_never_exceed_the_tranche_or_the_approved_amount(project, cast, monkeypatch):
    from projects import gates

    # The amounts alone: the tranches' conditions are tested in tests/assessments/test_tranche_gates.py.
    monkeypatch.setattr(gates, "refusal", lambda project, tranche: None)
    first, second, third = project.tranches.order_by("order")
    with pytest.raises(ValidationError, match="超出本批次金额"):
        services.disbursement_record(project=project, tranche=first, amount=Decimal("45000.01"),
                                     paid_on=datetime.date(2016, 5, 2), voucher_number="V1", actor=cast["city_bureau"])
    for n, tranche in enumerate((first, second, third)):
        services.disbursement_record(project=project, tranche=tranche, amount=tranche.amount,
                                     paid_on=datetime.date(2016, 5, 2), voucher_number=f"V{n}",
                                     actor=cast["city_bureau"])
    project.refresh_from_db()
    assert project.disbursed_amount == project.approved_amount == Decimal("90000")
    with pytest.raises(ValidationError):
        services.disbursement_record(project=project, tranche=third, amount=Decimal("0.01"),
                                     paid_on=datetime.date(2016, 5, 2), voucher_number="V9", actor=cast["city_bureau"])


def test_no_payment_before_the_agreement(build, cast):
    project = Project.objects.get(application=build(S.APPROVED))
    with pytest.raises(ValidationError, match="协议"):
        services.disbursement_record(project=project, tranche=project.tranches.get(order=1), amount=Decimal("1"),
                                     paid_on=datetime.date(2016, 5, 2), voucher_number="V1", actor=cast["city_bureau"])


def test_only_the_funder_pays(project, cast):
    with pytest.raises(PermissionDenied):
        services.disbursement_record(project=project, tranche=project.tranches.get(order=1), amount=Decimal("1"),
                                     paid_on=datetime.date(2016, 5, 2), voucher_number="V1",
                                     actor=cast["district_bureau"])


def test_project_scope(project, client_for):
    url = reverse("projects:project_detail", args=[project.pk])
    for role in ("city_bureau", "district_bureau", "street", "community", "agency"):
        assert client_for(role).get(url).status_code == 200, role
    for role in ("other_district_bureau", "other_community", "other_agency", "outsider", "supervisor"):
        assert client_for(role).get(url).status_code == 404, role
    assert access.projects_for_user(project.approved_by).filter(pk=project.pk).exists()


def test_bulk_assignment_checks_roles_and_conflicts_in_fixed_queries(build, cast, places, second_reviewer):
    """Assigning reviewers to many applications must not query per pair."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def assign(n):
        apps = [build(S.IN_REVIEW, title=f"批量{n}-{i}", community=c)
                for i, c in enumerate([places.gaoqiao, places.nanqiao, places.jiahonglu][:n])]
        with CaptureQueriesContext(connection) as ctx:
            services.review_assign(applications=apps, reviewers=[cast["reviewer"], second_reviewer],
                                   actor=cast["city_bureau"])
        checks = [q for q in ctx.captured_queries
                  if "accounts_roleassignment" in q["sql"] or "organizations_membership" in q["sql"]]
        return len(checks)

    # role check + conflict check (+ the funder's scope and memberships, read once)
    assert assign(1) == assign(3)
