"""Confirm, then allow a correction: irreversible steps show what will happen first;
a payment is reversed by its own audited entry, an accepted report can be reopened."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from projects import services
from projects.models import Application, Disbursement, ProgressReport, Project
from tests.projects.test_progress import fill_and_submit

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def project(build, cast):
    project = Project.objects.get(application=build(Application.Status.APPROVED))
    return services.agreement_sign(project=project, actor=cast["city_bureau"], signed_on=D(2016, 5, 1))


def pay(project, cast, amount="45000", voucher="CDMZ-1"):
    return services.disbursement_record(project=project, tranche=project.tranches.get(order=1),
                                        amount=Decimal(amount), paid_on=D(2016, 5, 2), voucher_number=voucher,
                                        actor=cast["city_bureau"])


# --- confirm first ---------------------------------------------------------------


def test_payment_form_shows_amount_project_and_tranche_before_paying(project, client_for):
    client = client_for("city_bureau")
    url = reverse("projects:project_disburse", args=[project.pk])
    data = {"tranche": project.tranches.get(order=1).pk, "amount": "45000", "paid_on": "2016-05-02",
            "voucher_number": "CDMZ-1"}
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "45,000.00 元" in page and project.title in page and "第 1 批" in page
    assert 'name="confirmed" value="1"' in page
    assert not Disbursement.objects.exists()
    assert not AuditEvent.objects.filter(action="project.disburse").exists()  # the dry run left nothing
    assert client.post(url, {**data, "confirmed": "1"}).status_code == 302
    assert Project.objects.get(pk=project.pk).disbursed_amount == Decimal("45000")


def test_decision_shows_the_approved_amount_before_deciding(build, client_for):
    application = build(Application.Status.IN_REVIEW)
    url = reverse("projects:application_decide", args=[application.pk])
    data = {"decision": "approve", "approved_amount": "80000", "reason": "评审通过"}
    response = client_for("city_bureau").post(url, data)
    page = response.content.decode()
    assert response.status_code == 200 and "80,000.00 元" in page and "90,000.00 元" in page
    assert Application.objects.get(pk=application.pk).status == Application.Status.IN_REVIEW
    assert not Project.objects.filter(application=application).exists()
    assert client_for("city_bureau").post(url, {**data, "confirmed": "1"}).status_code == 302
    assert Project.objects.get(application=application).approved_amount == Decimal("80000")


def test_accepting_a_report_shows_its_figures_first(project, cast, client_for):
    report = fill_and_submit(project.progress_reports.get(number=1), cast, direct=1264)
    url = reverse("projects:progress_accept", args=[report.pk])
    page = client_for("city_bureau").get(url).content.decode()
    assert "1,264" in page and "计入项目累计" in page
    assert ProgressReport.objects.get(pk=report.pk).status == ProgressReport.Status.SUBMITTED
    assert client_for("city_bureau").post(url).status_code == 302
    assert ProgressReport.objects.get(pk=report.pk).status == ProgressReport.Status.ACCEPTED


# --- reverse a payment -----------------------------------------------------------


def test_reversal_is_its_own_entry_and_lowers_the_total(project, cast):
    payment = pay(project, cast)
    reversal = services.disbursement_reverse(disbursement=payment, actor=cast["city_bureau"], reason="金额登记错误")
    assert (reversal.amount, reversal.reverses_id, reversal.reason) == (Decimal("-45000"), payment.pk, "金额登记错误")
    payment.refresh_from_db()
    assert payment.amount == Decimal("45000")  # the money row is never edited
    assert Project.objects.get(pk=project.pk).disbursed_amount == 0
    event = AuditEvent.objects.get(action="project.disbursement_reverse")
    assert event.reason == "金额登记错误" and event.data["amount"] == "45000.00"
    # The tranche is open again: the right payment can be recorded.
    pay(project, cast, amount="45000", voucher="CDMZ-2")
    assert Project.objects.get(pk=project.pk).disbursed_amount == Decimal("45000")


def test_a_payment_is_reversed_once_with_a_reason_by_the_funder(project, cast):
    payment = pay(project, cast)
    with pytest.raises(ValidationError, match="冲销原因"):
        services.disbursement_reverse(disbursement=payment, actor=cast["city_bureau"], reason=" ")
    for role in ("district_bureau", "agency"):
        with pytest.raises(PermissionDenied):
            services.disbursement_reverse(disbursement=payment, actor=cast[role], reason="错")
    reversal = services.disbursement_reverse(disbursement=payment, actor=cast["city_bureau"], reason="错")
    with pytest.raises(ValidationError, match="已经冲销"):
        services.disbursement_reverse(disbursement=payment, actor=cast["city_bureau"], reason="错")
    with pytest.raises(ValidationError, match="不能再冲销"):
        services.disbursement_reverse(disbursement=reversal, actor=cast["city_bureau"], reason="错")
    assert Project.objects.get(pk=project.pk).disbursed_amount == 0


def test_reversal_page_and_api(project, cast, client_for):
    payment = pay(project, cast)
    url = reverse("projects:disbursement_reverse", args=[project.pk, payment.pk])
    client = client_for("city_bureau")
    page = client.get(url).content.decode()
    assert "45,000.00 元" in page and "CDMZ-1" in page
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400 and Project.objects.get(pk=project.pk).disbursed_amount == Decimal("45000")
    assert client.post(url, {"reason": "凭证号填错"}).status_code == 302
    assert Project.objects.get(pk=project.pk).disbursed_amount == 0
    assert "冲销" in client.get(reverse("projects:project_detail", args=[project.pk])).content.decode()
    second = pay(project, cast, voucher="CDMZ-2")
    api = f"/api/projects/{project.pk}/reverse-disbursement/"
    assert client_for("agency").post(api, {"disbursement": second.pk, "reason": "x"}).status_code == 403
    assert client.post(api, {"disbursement": second.pk}).status_code == 400
    response = client.post(api, {"disbursement": second.pk, "reason": "重复登记"})
    assert response.status_code == 200 and Decimal(response.json()["disbursed_amount"]) == 0


# --- reopen an accepted report ---------------------------------------------------


def test_reopening_an_accepted_report_takes_its_figures_out(project, cast, client_for):
    first, second = project.progress_reports.order_by("number")[:2]
    services.progress_accept(report=fill_and_submit(first, cast, direct=100, indirect=400, volunteers=5),
                             actor=cast["city_bureau"])
    services.progress_accept(report=fill_and_submit(second, cast, direct=7, indirect=1, volunteers=1),
                             actor=cast["city_bureau"])
    with pytest.raises(PermissionDenied):
        services.progress_reopen(report=first, actor=cast["agency"], reason="x")
    url = reverse("projects:progress_reopen", args=[first.pk])
    assert "撤销通过" in client_for("city_bureau").get(url).content.decode()
    assert client_for("city_bureau").post(url, {"reason": ""}).status_code == 400
    assert client_for("city_bureau").post(url, {"reason": "人次重复计算"}).status_code == 302
    first.refresh_from_db()
    project.refresh_from_db()
    assert (first.status, first.return_reason) == (ProgressReport.Status.RETURNED, "人次重复计算")
    assert (project.activities_count, project.direct_participations, project.indirect_beneficiaries,
            project.volunteers) == (1, 7, 1, 1)
    assert AuditEvent.objects.filter(action="progress.reopen", reason="人次重复计算").exists()
    # Fixed and accepted again, it counts once.
    services.progress_submit(report=first, actor=cast["agency"])
    services.progress_accept(report=first, actor=cast["city_bureau"])
    assert Project.objects.get(pk=project.pk).direct_participations == 107


def test_reopen_api_needs_a_reason(project, cast, client_for):
    report = project.progress_reports.get(number=1)
    services.progress_accept(report=fill_and_submit(report, cast), actor=cast["city_bureau"])
    api = f"/api/progress-reports/{report.pk}/reopen/"
    assert client_for("city_bureau").post(api, {}).status_code == 400
    response = client_for("city_bureau").post(api, {"reason": "数据有误"})
    assert response.status_code == 200 and response.json()["status"] == "returned"


def test_each_tranche_keeps_what_was_paid_and_the_queue_reads_it(project, cast, client_for):
    """Tranche.paid_amount equals its payments less reversals after every step, and the
    bureau's 待拨付 queue lists a tranche until it is paid in full (#15: a running total
    instead of summing every disbursement at each home page)."""
    from django.db.models import Sum

    from projects.models import Tranche

    def check():
        for tranche in Tranche.objects.filter(project=project):
            total = tranche.disbursements.aggregate(t=Sum("amount"))["t"] or Decimal("0")
            assert tranche.paid_amount == total

    first = project.tranches.get(order=1)
    payment = pay(project, cast, amount="20000")
    check()
    assert f"{project.title} · 第 1 批" in client_for("city_bureau").get("/").content.decode()  # still due
    services.disbursement_reverse(disbursement=payment, actor=cast["city_bureau"], reason="错")
    check()
    pay(project, cast, amount=str(first.amount), voucher="CDMZ-2")
    check()
    page = client_for("city_bureau").get("/").content.decode()
    assert f"{project.title} · 第 1 批" not in page  # paid in full: no longer due
