import datetime
import io
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from places.reporting import Filters, report_kind, report_kinds
from projects import services as project_services
from projects.models import Application, Project
from reports import services
from reports.builders import safe_text
from reports.models import Report

pytestmark = pytest.mark.django_db
A = Application.Status


def request(actor, kind="funding", fmt="xlsx", region=None, **kwargs):
    with transaction.atomic():
        return services.report_request(actor=actor, kind=kind, format=fmt, region=region, **kwargs)


def built(report) -> Report:
    report.refresh_from_db()
    assert report.status == Report.Status.DONE, report.error
    return report


def workbook(report):
    with report.file.open("rb") as handle:
        return load_workbook(io.BytesIO(handle.read()), data_only=True)


def sheet_rows(book, name):
    return [list(row) for row in book[name].iter_rows(values_only=True)]


@pytest.fixture
def city_projects(build, places, django_capture_on_commit_callbacks):
    amounts = [(places.gaoqiao, "11111.11"), (places.gaoqiao, "22222.22"), (places.nanqiao, "33333.33"),
               (places.jiahonglu, "44444.44")]
    return [Project.objects.get(application=build(A.APPROVED, community=c, amount=Decimal(a), title=f"项目{i}"))
            for i, (c, a) in enumerate(amounts)]


def test_funding_figures_reconcile(city_projects, cast, places, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = request(cast["city_bureau"], region=places.city)
    book = workbook(built(report))
    expected = sum(p.approved_amount for p in Project.objects.all())
    summary = {row[0]: row[1] for row in sheet_rows(book, "汇总") if row and len(row) > 1}
    assert summary["立项金额（元）"] == float(expected) == 111111.10
    for name, _label_columns in (("按区县", 1), ("按街道", 2), ("按社区", 3), ("按机构", 2)):
        header, *rows, total = sheet_rows(book, name)
        approved_col = header.index("立项金额")
        assert sum(Decimal(str(r[approved_col])) for r in rows) == expected
        assert Decimal(str(total[approved_col])) == expected and total[0] == "合计"
    district_rows = {r[0]: r[2] for r in sheet_rows(book, "按区县")[1:-1]}
    assert district_rows == {"都江堰市": 66666.66, "锦江区": 44444.44}
    assert book["按社区"].freeze_panes == "A2"


def test_district_report_contains_only_its_district(city_projects, cast, places, client_for,
                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = request(cast["other_district_bureau"], region=places.jinjiang)
    rows = sheet_rows(workbook(built(report)), "按社区")[1:-1]
    assert [r[2] for r in rows] == ["佳宏路社区"]
    with pytest.raises(PermissionDenied):
        request(cast["other_district_bureau"], region=places.city)
    url = reverse("reports:report_download", args=[report.pk])
    assert client_for("other_district_bureau").get(url).status_code == 200
    assert client_for("district_bureau").get(url).status_code == 404  # 都江堰 does not cover 锦江
    assert client_for("city_bureau").get(url).status_code == 200
    assert client_for("street").get(url).status_code == 404


def test_demo_gaoqiao_in_the_progress_report(cast, django_capture_on_commit_callbacks):
    from accounts.models import User
    from places.models import Region
    from shequ.demo import seed_demo

    seed_demo()
    city_bureau = User.objects.get(username="city_bureau")
    with django_capture_on_commit_callbacks(execute=True):
        report = request(city_bureau, kind="progress", region=Region.objects.get(code="510100"))
    book = workbook(built(report))
    summary = {row[0]: row[1] for row in sheet_rows(book, "汇总") if row and len(row) > 1}
    assert (summary["活动场次"], summary["直接参与人次"], summary["间接服务人次"]) == (13, 2528, 10000)
    community = [r for r in sheet_rows(book, "按社区")[1:-1] if r[2] == "高桥社区"]
    assert community[0][3:5] == [13, 2528]


def test_formula_injection_is_neutralised(build, cast, places, organizations, django_capture_on_commit_callbacks):
    from organizations import services as org_services

    org_services.organization_update(organization=organizations["rongxiang"], actor=cast["admin"],
                                     data={"name": '=HYPERLINK("http://x","点我")'})
    Project.objects.get(application=build(A.APPROVED))
    with django_capture_on_commit_callbacks(execute=True):
        xlsx = request(cast["city_bureau"], region=places.city)
        csv_report = request(cast["city_bureau"], fmt="csv", region=places.city)
    agency_rows = sheet_rows(workbook(built(xlsx)), "按机构")
    assert agency_rows[1][0] == '\'=HYPERLINK("http://x","点我")'
    with built(csv_report).file.open("rb") as handle:
        text = handle.read().decode("utf-8-sig")
    assert '\'=HYPERLINK(""http://x"",""点我"")' in text
    for dangerous in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx"):
        assert safe_text(dangerous).startswith("'")
    assert safe_text("高桥社区") == "高桥社区"


def test_csv_has_a_bom_and_chinese(city_projects, cast, places, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = request(cast["city_bureau"], fmt="csv", region=places.city)
    with built(report).file.open("rb") as handle:
        raw = handle.read()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert "成都市社区营造项目资金报告" in text and "高桥社区" in text


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")
def test_pdf_text_layer_has_the_chinese_title_and_figures(city_projects, cast, places,
                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = request(cast["city_bureau"], fmt="pdf", region=places.city)
    with built(report).file.open("rb") as handle:
        text = subprocess.run(["pdftotext", "-", "-"], input=handle.read(), capture_output=True, check=True).stdout
    text = text.decode()
    assert "成都市社区营造项目资金报告" in text
    assert "111,111.10" in text
    assert re.search(r"第\s*1\s*页\s*/\s*共\s*\d+\s*页", text)


def test_dossier_pdf(city_projects, cast, client_for, django_capture_on_commit_callbacks):
    project = city_projects[0]
    client = client_for("agency")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:dossier_request", args=[project.pk]))
    report = built(Report.objects.get(kind="dossier"))
    assert response.status_code == 302
    assert client.get(reverse("reports:report_download", args=[report.pk])).status_code == 200
    assert client_for("other_agency").get(reverse("reports:report_detail", args=[report.pk])).status_code == 404


def test_a_failed_build_is_shown_and_a_retry_succeeds(city_projects, cast, places, monkeypatch, client_for,
                                                      django_capture_on_commit_callbacks):
    def broken(report):
        raise RuntimeError("/srv/shequ/var/db.sqlite3: 数据库连接中断")

    monkeypatch.setattr(services, "report_data", broken)
    with django_capture_on_commit_callbacks(execute=True):
        report = request(cast["city_bureau"], region=places.city)
    report.refresh_from_db()
    # The person sees a Chinese reason; the exception (with its path) goes to the log only.
    assert report.status == Report.Status.FAILED and report.error == "生成报表时出错，请重试；如仍失败请联系管理员。"
    page = client_for("city_bureau").get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert "生成报表时出错" in page and "/srv/" not in page and "RuntimeError" not in page
    assert reverse("reports:report_retry", args=[report.pk]) in page  # the retry button
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_retry(report=report, actor=cast["city_bureau"])
    assert built(report).attempts == 2


def test_a_redelivered_task_rebuilds_the_same_job(city_projects, cast, places, django_capture_on_commit_callbacks):
    report = request(cast["city_bureau"], region=places.city)
    silent = timezone.now() - datetime.timedelta(minutes=3)  # its worker died three minutes ago
    Report.objects.filter(pk=report.pk).update(status=Report.Status.RUNNING, started_at=silent, heartbeat_at=silent)
    assert services.report_build(report_id=report.pk).status == Report.Status.DONE  # late ack → run again
    assert services.report_build(report_id=report.pk).status == Report.Status.DONE  # done stays done
    assert Report.objects.get(pk=report.pk).attempts == 1


def test_the_same_request_while_running_returns_the_running_job(cast, places):
    first = request(cast["city_bureau"], region=places.city, params={"year": 2016})
    again = request(cast["city_bureau"], region=places.city, params={"year": 2016})
    other = request(cast["city_bureau"], region=places.city, params={"year": 2017})
    assert first.pk == again.pk != other.pk


def test_beat_schedule():
    from shequ.celery import app

    monthly = app.conf.beat_schedule["monthly-reports"]
    assert monthly["task"] == "reports.tasks.monthly_reports"
    schedule = monthly["schedule"]
    assert schedule.day_of_month == {1} and schedule.hour == {2} and schedule.minute == {0}
    assert app.conf.timezone == "Asia/Shanghai"
    assert app.conf.beat_schedule["progress-reminders"]["task"] == "reports.tasks.progress_reminders"


def test_monthly_reports_and_reminders(city_projects, cast, places, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reports = services.monthly_reports(today=datetime.date(2016, 7, 1))
    scopes = {(r.scope_region.code, r.kind) for r in reports}
    assert ("510100", "progress") in scopes and ("510181", "funding") in scopes and ("510104", "progress") in scopes
    assert all(r.params == {"period_start": "2016-06-01", "period_end": "2016-06-30"} for r in reports)
    project = project_services.agreement_sign(project=city_projects[0], actor=cast["city_bureau"],
                                              signed_on=datetime.date(2016, 3, 10))
    first = project.progress_reports.get(number=1)
    assert services.progress_reminders(today=first.due_on - datetime.timedelta(days=3)) == 1
    assert services.progress_reminders(today=first.due_on) == 1
    assert services.progress_reminders(today=first.due_on - datetime.timedelta(days=1)) == 0
    assert cast["agency"].notifications.filter(kind="progress_due").count() == 2


def test_dashboard_and_report_agree(city_projects, cast, places, client_for, django_capture_on_commit_callbacks):
    context = client_for("city_bureau").get(reverse("home")).context
    cards = {label: value for label, value, _kind in context["cards"]}
    with django_capture_on_commit_callbacks(execute=True):
        report = request(cast["city_bureau"], region=places.city)
    summary = {row[0]: row[1] for row in sheet_rows(workbook(built(report)), "汇总") if row and len(row) > 1}
    assert float(cards["立项金额（万元）"]) * 10000 == summary["立项金额（元）"]  # the home shows 万元
    assert cards["立项项目"] == summary["立项项目数"] == 4


@pytest.mark.parametrize("kind", [k.code for k in report_kinds(per_project=False)])
def test_report_queries_do_not_grow_with_projects(build, places, kind):
    """Every registered region-wide kind, whichever app owns it."""
    filters = Filters(region=places.city)
    Project.objects.get(application=build(A.APPROVED, title="一"))

    def count():
        with CaptureQueriesContext(connection) as ctx:
            report_kind(kind).build(filters)
        return len(ctx.captured_queries)

    small = count()
    for n, community in enumerate([places.nanqiao, places.jiahonglu, places.gaoqiao]):
        Project.objects.get(application=build(A.APPROVED, community=community, title=f"项目{n}",
                                              amount=Decimal("10000")))
    assert count() == small


def test_api_request_poll_download(city_projects, cast, places, client_for, django_capture_on_commit_callbacks):
    client = client_for("city_bureau")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/reports/", {"kind": "progress", "format": "xlsx", "region": places.city.pk},
                               content_type="application/json")
    assert response.status_code == 202
    status = client.get(f"/api/reports/{response.json()['id']}/").json()
    assert status["status"] == "done" and status["download_url"]
    assert client.get(status["download_url"]).status_code == 200
    assert client_for("street").post("/api/reports/", {"kind": "progress", "format": "xlsx",
                                                       "region": places.city.pk},
                                     content_type="application/json").status_code == 403


def test_report_page_form_errors_keep_input(cast, places, client_for):
    response = client_for("city_bureau").post(reverse("reports:report_list"), {
        "kind": "progress", "format": "xlsx", "region": places.city.pk, "period_start": "2016-06-30",
        "period_end": "2016-06-01"})
    assert response.status_code == 400 and "period_end" in response.context["form"].errors
    assert 'value="2016-06-30"' in response.content.decode()
    assert not Report.objects.exists()


def test_report_form_takes_an_agency_by_credit_code_not_a_select_of_every_agency(cast, places, client_for,
                                                                                   organizations):
    client = client_for("city_bureau")
    page = client.get(reverse("reports:report_list")).content.decode()
    assert organizations["lelin"].name not in page  # no <option> per agency
    response = client.post(reverse("reports:report_list"), {
        "kind": "funding", "format": "xlsx", "region": places.city.pk, "agency": "91510100MA0000000X"})
    assert response.status_code == 400 and "agency" in response.context["form"].errors
    assert "没有这个统一社会信用代码的机构" in response.content.decode()
    response = client.post(reverse("reports:report_list"), {
        "kind": "funding", "format": "xlsx", "region": places.city.pk,
        "agency": organizations["lelin"].credit_code})
    assert Report.objects.get().params["agency"] == organizations["lelin"].pk, response.status_code


def test_cleanup_after_retention(city_projects, cast, places, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = request(cast["city_bureau"], region=places.city)
    built(report)
    later = timezone.now() + datetime.timedelta(days=settings.SHEQU_REPORT_RETENTION_DAYS + 1)
    assert services.cleanup_reports(now=later) == 1
    report.refresh_from_db()
    assert report.status == Report.Status.EXPIRED and not report.file


def test_the_progress_report_shows_councils_and_the_time_bank(cast, django_capture_on_commit_callbacks):
    """Residents' part of the programme reaches the bureau's report from the councils'
    and the time bank's own selectors (#17, #19)."""
    from django.utils import timezone

    from accounts.models import User
    from councils.selectors import council_figures
    from places.models import Community, Region
    from shequ.demo import seed_demo
    from timebank.selectors import progress_figures

    seed_demo()
    with django_capture_on_commit_callbacks(execute=True):
        report = request(User.objects.get(username="city_bureau"), kind="progress",
                         region=Region.objects.get(code="510100"))
    rows = {row[0]: row[1] for row in sheet_rows(workbook(built(report)), "居民参与")[1:] if row}
    figures = council_figures()
    assert rows["已组建的议事会"] == figures["councils"] >= 1
    assert rows["议题"] == figures["proposals"] >= 1
    today = timezone.localdate()
    bank = progress_figures(Community.objects.values("pk"), start=datetime.date(today.year, 1, 1), end=today)
    assert rows["时间银行：发放积分"] == bank["points_issued"]
    assert rows["合作商家（在册）"] == bank["active_merchants"] >= 1


@pytest.mark.parametrize("kind", ["funding", "coverage", "public_funds"])
def test_a_report_asked_for_in_english_is_built_in_english(city_projects, cast, places, kind,
                                                           django_capture_on_commit_callbacks):
    """The worker builds in the language of the page the report was asked from (#16),
    and the same request in Chinese is a different report."""
    from django.utils import translation

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        english = request(cast["city_bureau"], kind=kind, region=places.city)
    with django_capture_on_commit_callbacks(execute=True):
        chinese = request(cast["city_bureau"], kind=kind, region=places.city)
    assert (english.language, chinese.language) == ("en", "zh-hans") and english.pk != chinese.pk
    book = workbook(built(english))
    assert "Summary" in book.sheetnames and "汇总" not in book.sheetnames
    # Sheet names and column headings are labels; the cells under them are data (Chinese names).
    headings = [*book.sheetnames, *(str(v) for name in book.sheetnames if name != "Summary"
                                    for v in (sheet_rows(book, name) or [[]])[0] if v)]
    assert not [t for t in headings if re.search(r"[\u4e00-\u9fff]", t)], headings
    assert "汇总" in workbook(built(chinese)).sheetnames
