import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from organizations import selforgs
from organizations.models import SelfOrganization
from projects import services
from projects.models import Activity, Application, ProgressReport, Project, Rectification
from projects.services.progress import report_periods
from tests import files

pytestmark = pytest.mark.django_db
R = ProgressReport.Status
D = datetime.date


# --- the schedule ----------------------------------------------------------------


def test_monthly_periods_cut_at_agreement_and_end():
    periods = report_periods(D(2024, 1, 20), D(2024, 4, 10), "monthly")
    assert periods == [(D(2024, 1, 20), D(2024, 1, 31)), (D(2024, 2, 1), D(2024, 2, 29)),
                       (D(2024, 3, 1), D(2024, 3, 31)), (D(2024, 4, 1), D(2024, 4, 10))]


def test_february_in_a_common_year():
    assert report_periods(D(2023, 2, 1), D(2023, 3, 31), "monthly")[0] == (D(2023, 2, 1), D(2023, 2, 28))


def test_quarterly_periods_follow_calendar_quarters():
    periods = report_periods(D(2016, 3, 10), D(2017, 1, 15), "quarterly")
    assert periods == [(D(2016, 3, 10), D(2016, 3, 31)), (D(2016, 4, 1), D(2016, 6, 30)),
                       (D(2016, 7, 1), D(2016, 9, 30)), (D(2016, 10, 1), D(2016, 12, 31)),
                       (D(2017, 1, 1), D(2017, 1, 15))]


def test_single_day_project():
    assert report_periods(D(2024, 2, 29), D(2024, 2, 29), "monthly") == [(D(2024, 2, 29), D(2024, 2, 29))]


@pytest.fixture
def project(build, cast):
    application = build(Application.Status.APPROVED)
    project = Project.objects.get(application=application)
    return services.agreement_sign(project=project, actor=cast["city_bureau"], signed_on=D(2016, 3, 10))


def test_agreement_generates_the_due_reports(project, funding_round):
    reports = list(project.progress_reports.order_by("number"))
    assert [(r.period_start, r.period_end) for r in reports] == report_periods(D(2016, 3, 10), D(2016, 12, 31),
                                                                               "quarterly")
    assert reports[0].due_on == D(2016, 3, 31) + datetime.timedelta(days=funding_round.report_due_days)
    # Generating again changes nothing.
    assert len(services.progress_schedule(project=project)) == len(reports)
    assert project.progress_reports.count() == len(reports)


def test_overdue_after_the_due_date_only_while_not_filed(project, cast):
    report = project.progress_reports.get(number=2)  # Q2 2016, due 10 July
    assert not report.is_overdue(D(2016, 7, 10))
    assert report.is_overdue(D(2016, 7, 11))
    filed = fill_and_submit(report, cast)
    assert not filed.is_overdue(D(2016, 7, 11))


def test_overdue_filter_on_the_list(project, client_for):
    with time_machine.travel(datetime.datetime(2016, 7, 15, 12, 0)):
        page = client_for("city_bureau").get(reverse("projects:progress_list"), {"overdue": "1"}).context["page"]
    assert [r.number for r in page] == [1, 2]


# --- filing, accepting, returning ------------------------------------------------


def add_activity(report, cast, direct=100, indirect=400, volunteers=5, title="坝坝会"):
    return services.activity_add(report=report, actor=cast["agency"], held_on=report.period_start, title=title,
                                 kind=Activity.Kind.COURTYARD_MEETING, direct_participations=direct,
                                 indirect_beneficiaries=indirect, volunteers=volunteers)


def fill_and_submit(report, cast, **activity):
    services.progress_save(report=report, actor=cast["agency"], data={"progress": "按计划推进"})
    add_activity(report, cast, **activity)
    return services.progress_submit(report=report, actor=cast["agency"])


def test_totals_count_accepted_reports_only_and_exactly(project, cast):
    first, second, third = project.progress_reports.order_by("number")[:3]
    fill_and_submit(first, cast, direct=1264, indirect=5000, volunteers=20)
    add_activity(first.__class__.objects.get(pk=second.pk), cast, direct=7)  # draft: does not count
    services.progress_accept(report=first, actor=cast["city_bureau"])
    fill_and_submit(third, cast, direct=999)  # submitted: does not count yet
    project.refresh_from_db()
    assert (project.activities_count, project.direct_participations, project.indirect_beneficiaries,
            project.volunteers) == (1, 1264, 5000, 20)
    services.progress_accept(report=third, actor=cast["city_bureau"])
    project.refresh_from_db()
    assert (project.activities_count, project.direct_participations) == (2, 2263)


def test_return_keeps_history_and_figures_out(project, cast):
    report = fill_and_submit(project.progress_reports.get(number=1), cast)
    services.progress_return(report=report, actor=cast["city_bureau"], reason="请补充照片")
    report.refresh_from_db()
    assert (report.status, report.return_reason) == (R.RETURNED, "请补充照片")
    assert Project.objects.get(pk=project.pk).activities_count == 0
    services.progress_submit(report=report, actor=cast["agency"])
    services.progress_accept(report=report, actor=cast["city_bureau"])
    from audit.models import AuditEvent

    actions = list(AuditEvent.objects.filter(object_type="projects.progressreport", object_id=str(report.pk))
                   .order_by("created_at", "id").values_list("action", flat=True))
    assert actions == ["progress.submit", "progress.return", "progress.submit", "progress.accept"]
    assert Project.objects.get(pk=project.pk).activities_count == 1


@pytest.mark.parametrize("role,allowed", [("city_bureau", True), ("admin", True), ("district_bureau", False),
                                          ("street", False), ("community", False), ("agency", False),
                                          ("supervisor", False)])
def test_only_the_funder_accepts_or_returns(project, cast, role, allowed):
    report = fill_and_submit(project.progress_reports.get(number=1), cast)
    if allowed:
        assert services.progress_accept(report=report, actor=cast[role]).status == R.ACCEPTED
    else:
        with pytest.raises(PermissionDenied):
            services.progress_accept(report=report, actor=cast[role])
        with pytest.raises(PermissionDenied):
            services.progress_return(report=report, actor=cast[role], reason="x")


def test_accepting_twice_counts_once(project, cast):
    report = fill_and_submit(project.progress_reports.get(number=1), cast, direct=50)
    services.progress_accept(report=report, actor=cast["city_bureau"])
    with pytest.raises(ValidationError):
        services.progress_accept(report=report, actor=cast["city_bureau"])
    assert Project.objects.get(pk=project.pk).direct_participations == 50


def test_only_the_agency_files_and_only_while_open(project, cast):
    report = project.progress_reports.get(number=1)
    with pytest.raises(PermissionDenied):
        services.progress_save(report=report, actor=cast["other_agency"], data={"progress": "x"})
    fill_and_submit(report, cast)
    with pytest.raises(ValidationError, match="不能修改"):
        add_activity(report, cast)


def test_activity_date_must_be_in_the_period(project, cast):
    report = project.progress_reports.get(number=1)
    with pytest.raises(ValidationError, match="本期"):
        services.activity_add(report=report, actor=cast["agency"], held_on=D(2016, 5, 1), title="x",
                              kind="other")


def test_a_future_period_cannot_be_submitted(project, cast):
    report = project.progress_reports.get(number=4)
    services.progress_save(report=report, actor=cast["agency"], data={"progress": "x"})
    with time_machine.travel(datetime.datetime(2016, 8, 1, 12, 0)), pytest.raises(ValidationError, match="尚未开始"):
        services.progress_submit(report=report, actor=cast["agency"])


# --- money -----------------------------------------------------------------------


def test_spending_over_a_line_needs_an_explanation(project, cast):
    report = project.progress_reports.get(number=1)
    line = project.application.budget_lines.get(category="personnel")  # 10,000
    services.expense_add(report=report, actor=cast["agency"], budget_line=line, amount=Decimal("9000"),
                         spent_on=D(2016, 3, 20), voucher="A1")
    with pytest.raises(ValidationError) as exc:
        services.expense_add(report=report, actor=cast["agency"], budget_line=line, amount=Decimal("2000"),
                             spent_on=D(2016, 3, 21), voucher="A2")
    assert "超支说明" in exc.value.message_dict["over_budget_explanation"][0]
    services.expense_add(report=report, actor=cast["agency"], budget_line=line, amount=Decimal("2000"),
                         spent_on=D(2016, 3, 21), voucher="A2", over_budget_explanation="培训场次增加")
    assert line.expenses.count() == 2


def test_spending_over_the_approved_amount_is_refused(project, cast):
    report = project.progress_reports.get(number=1)
    line = project.application.budget_lines.get(category="activities")  # 80,000 of 90,000 approved
    services.expense_add(report=report, actor=cast["agency"], budget_line=line, amount=Decimal("80000"),
                         spent_on=D(2016, 3, 20), voucher="A1")
    other = project.application.budget_lines.get(category="personnel")
    services.expense_add(report=project.progress_reports.get(number=2), actor=cast["agency"], budget_line=other,
                         amount=Decimal("10000"), spent_on=D(2016, 4, 20), voucher="A2")
    with pytest.raises(ValidationError, match="超出项目立项金额"):
        services.expense_add(report=report, actor=cast["agency"], budget_line=other, amount=Decimal("0.01"),
                             spent_on=D(2016, 3, 21), voucher="A3", over_budget_explanation="x")


def test_accepted_spending_joins_the_project_total(project, cast):
    report = project.progress_reports.get(number=1)
    line = project.application.budget_lines.get(category="activities")
    services.expense_add(report=report, actor=cast["agency"], budget_line=line, amount=Decimal("1234.56"),
                         spent_on=D(2016, 3, 20), voucher="A1")
    fill_and_submit(report, cast)
    services.progress_accept(report=report, actor=cast["city_bureau"])
    assert Project.objects.get(pk=project.pk).spent_amount == Decimal("1234.56")


# --- self-organisations ------------------------------------------------------------


def test_stage_history_through_reports_and_by_community_staff(project, cast, places):
    group = selforgs.selforg_create(actor=cast["community"], community=places.gaoqiao, name="夜市自治小组",
                                    category="cooperative", members=5, founded_on=D(2016, 3, 1))
    report = project.progress_reports.get(number=1)
    services.selforg_update_add(report=report, actor=cast["agency"], self_organization=group, stage="formed",
                                members=9)
    group.refresh_from_db()
    assert (group.stage, group.members) == ("found", 5)  # not before acceptance
    fill_and_submit(report, cast)
    services.progress_accept(report=report, actor=cast["city_bureau"])
    selforgs.selforg_progress(selforg=group, actor=cast["community"], stage="public_interest", members=12,
                              on=D(2016, 9, 1), note="转为公益服务")
    group.refresh_from_db()
    assert group.is_public_interest and group.members == 12
    history = list(group.history.values_list("changed_on", "from_stage", "to_stage", "members"))
    assert history == [(D(2016, 3, 1), "", "found", 5), (D(2016, 3, 31), "found", "formed", 9),
                       (D(2016, 9, 1), "formed", "public_interest", 12)]
    assert list(project.incubated.all()) == [group]


def test_selforg_update_must_be_in_the_projects_community(project, cast, places):
    group = selforgs.selforg_create(actor=cast["other_community"], community=places.jiahonglu, name="外社区",
                                    category="other")
    with pytest.raises(ValidationError):
        services.selforg_update_add(report=project.progress_reports.get(number=1), actor=cast["agency"],
                                    self_organization=group, stage="formed", members=3)


def test_community_staff_register_groups_through_the_page(client_for, places):
    response = client_for("community").post(reverse("organizations:selforg_create"), {
        "community": places.gaoqiao.pk, "name": "银发互助队", "category": "elder_care", "stage": "formed",
        "members": "12", "leaders": "刘阿姨,chair\n陈大爷"})
    assert response.status_code == 302
    group = SelfOrganization.objects.get(name="银发互助队")
    assert [(leader.name, leader.role) for leader in group.leaders.order_by("role")] == [
        ("刘阿姨", "chair"),
        ("陈大爷", "core"),
    ]
    assert client_for("street").get(reverse("organizations:selforg_create")).status_code == 403
    community_page = client_for("community").get(reverse("places:community_detail", args=[places.gaoqiao.pk]))
    assert "银发互助队" in community_page.content.decode()


# --- supervision and rectification -------------------------------------------------


@pytest.fixture
def supervisor(cast):
    return cast["supervisor"]


def test_supervisors_see_only_their_projects(project, cast, build, places, client_for):
    other = Project.objects.get(application=build(Application.Status.APPROVED, community=places.nanqiao, title="二"))
    services.supervisor_assign(project=project, supervisor=cast["supervisor"], position="senior_supervisor",
                               actor=cast["city_bureau"])
    client = client_for("supervisor")
    assert client.get(reverse("projects:project_detail", args=[project.pk])).status_code == 200
    assert client.get(reverse("projects:project_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("projects:visit_add", args=[other.pk])).status_code == 404
    assert [p["id"] for p in client.get("/api/projects/").json()["results"]] == [project.pk]
    with pytest.raises(PermissionDenied):
        services.visit_record(project=other, actor=cast["supervisor"], visited_on=D(2016, 4, 1), mode="onsite",
                              findings="x")


def test_supervisor_from_the_agency_is_refused(project, cast, organizations):
    from organizations import services as org_services

    org_services.membership_add(organization=organizations["rongxiang"], user=cast["supervisor"],
                                actor=cast["admin"])
    with pytest.raises(ValidationError, match="利益回避"):
        services.supervisor_assign(project=project, supervisor=cast["supervisor"], position="social_worker",
                                   actor=cast["city_bureau"])


def test_visit_raises_a_rectification_that_the_agency_fixes_and_the_raiser_verifies(project, cast):
    services.supervisor_assign(project=project, supervisor=cast["supervisor"], position="university_expert",
                               actor=cast["city_bureau"])
    visit = services.visit_record(project=project, actor=cast["supervisor"], visited_on=D(2016, 4, 1),
                                  mode="onsite", findings="活动记录不全")
    item = services.rectification_raise(actor=cast["supervisor"], community=project.community, project=project,
                                        visit=visit, source="supervision", owner="project",
                                        description="补齐活动签到表", due_on=D(2016, 5, 1))
    with pytest.raises(PermissionDenied):
        services.rectification_respond(item=item, actor=cast["other_agency"], plan="x", evidence="y")
    services.rectification_respond(item=item, actor=cast["agency"], plan="补录", evidence="已补齐")
    with pytest.raises(PermissionDenied):
        services.rectification_verify(item=item, actor=cast["agency"], fixed=True)
    assert services.rectification_verify(item=item, actor=cast["supervisor"], fixed=True).status == "fixed"
    with pytest.raises(ValidationError):
        services.rectification_verify(item=item, actor=cast["supervisor"], fixed=False)


def raise_items(cast, community, n, fixed):
    for i in range(n):
        item = services.rectification_raise(actor=cast["community"], community=community, source="resident",
                                            owner="community", description=f"问题{i}", due_on=D(2016, 5, 1))
        services.rectification_verify(item=item, actor=cast["community"], fixed=i < fixed)


def test_rectification_rate_arithmetic(cast, places):
    assert services.rectification_rate(Rectification.objects.all()) == {"raised": 0, "fixed": 0, "rate": None}
    raise_items(cast, places.gaoqiao, 23, 19)
    rate = services.rectification_rate(Rectification.objects.all())
    assert rate == {"raised": 23, "fixed": 19, "rate": Decimal("82.6")}
    by_street = services.rectification_rate(Rectification.objects.filter(community__street=places.yinxing))
    by_district = services.rectification_rate(Rectification.objects.filter(community__street__parent=places.jinjiang))
    assert by_street["rate"] == Decimal("82.6") and by_district["rate"] is None


def test_rectification_list_shows_the_rate_in_scope(cast, places, client_for):
    raise_items(cast, places.gaoqiao, 4, 3)
    response = client_for("street").get(reverse("projects:rectification_list"))
    assert response.context["rate"]["rate"] == Decimal("75.0")
    assert client_for("other_community").get(reverse("projects:rectification_list")).context["rate"]["raised"] == 0


def test_outsiders_cannot_raise(cast, places):
    with pytest.raises(PermissionDenied):
        services.rectification_raise(actor=cast["other_community"], community=places.gaoqiao, source="resident",
                                     owner="community", description="x", due_on=D(2016, 5, 1))


# --- pages and API -----------------------------------------------------------------


def test_filing_page_keeps_input_on_error_and_files_photos(project, cast, client_for):
    report = project.progress_reports.get(number=1)
    client = client_for("agency")
    url = reverse("projects:activity_add", args=[report.pk])
    data = {"held_on": "2016-06-01", "title": "夜市坝坝会", "kind": "courtyard_meeting", "place": "广场",
            "direct_participations": "80", "indirect_beneficiaries": "300", "volunteers": "5"}
    response = client.post(url, data)
    assert response.status_code == 400 and "held_on" in response.context["activity_form"].errors
    assert "夜市坝坝会" in response.content.decode()
    data["held_on"] = "2016-03-20"
    data["photo"] = files.jpeg()
    assert client.post(url, data).status_code == 302
    photo = report.activities.get().photos.get()
    photo_url = reverse("projects:activity_photo", args=[report.pk, photo.pk])
    assert client_for("street").get(photo_url).status_code == 200
    assert client_for("other_agency").get(photo_url).status_code == 404


def test_place_staff_comment_but_do_not_file(project, cast, client_for):
    report = project.progress_reports.get(number=1)
    assert client_for("street").post(reverse("projects:progress_comment", args=[report.pk]),
                                     {"body": "街道已看过"}).status_code == 302
    assert report.comments.get().author == cast["street"]
    assert client_for("street").post(reverse("projects:progress_submit", args=[report.pk])).status_code == 403


def test_api_file_and_accept(project, cast, client_for):
    report = project.progress_reports.get(number=1)
    agency = client_for("agency")
    base = f"/api/progress-reports/{report.pk}"
    assert agency.patch(f"{base}/", {"progress": "接口填报"}, content_type="application/json").status_code == 200
    response = agency.post(f"{base}/activities/", {"held_on": "2016-03-15", "title": "接口活动",
                                                   "kind": "training", "direct_participations": 30},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    assert agency.post(f"{base}/submit/").json()["status"] == "submitted"
    assert client_for("street").post(f"{base}/accept/").status_code == 403
    assert client_for("city_bureau").post(f"{base}/accept/").json()["status"] == "accepted"
    assert Project.objects.get(pk=project.pk).direct_participations == 30
    rate = client_for("city_bureau").get("/api/rectifications/rate/").json()
    assert rate == {"raised": 0, "fixed": 0, "rate": None}


def test_api_selforg_progress_scope(cast, places, client_for):
    group = selforgs.selforg_create(actor=cast["community"], community=places.gaoqiao, name="巡逻队",
                                    category="patrol")
    url = f"/api/self-organizations/{group.pk}/progress/"
    payload = {"stage": "formed", "members": 8, "on": "2016-05-01"}
    assert client_for("street").post(url, payload, content_type="application/json").status_code == 403
    assert client_for("other_community").post(url, payload, content_type="application/json").status_code == 404
    assert client_for("community").post(url, payload, content_type="application/json").json()["members"] == 8


def test_query_counts_on_project_page_and_report_lists(project, cast, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(client, url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    urls = [reverse("projects:project_detail", args=[project.pk]), reverse("projects:progress_list"),
            reverse("projects:progress_detail", args=[project.progress_reports.get(number=1).pk]),
            "/api/progress-reports/", reverse("projects:rectification_list")]
    client = client_for("city_bureau")
    services.supervisor_assign(project=project, supervisor=cast["supervisor"], position="social_worker",
                               actor=cast["city_bureau"])
    reports = list(project.progress_reports.order_by("number"))

    def grow(report, activities):
        for n in range(activities):
            activity = add_activity(report, cast, title=f"活动{n}")
            services.photo_add(activity=activity, actor=cast["agency"],
                               upload=files.jpeg(f"{n}.jpg"))
        fill_and_submit(report, cast)
        services.progress_accept(report=report, actor=cast["city_bureau"])
        services.visit_record(project=project, actor=cast["supervisor"], visited_on=report.period_end, mode="online",
                              findings="ok")
        services.rectification_raise(actor=cast["supervisor"], community=project.community, project=project,
                                     source="supervision", owner="project", description="x", due_on=D(2016, 12, 1))

    grow(reports[0], 1)
    small = [count(client, url) for url in urls]
    for report in reports[1:3]:
        grow(report, 4)
    grow_first = reports[0]
    Activity.objects.bulk_create(Activity(report=grow_first, held_on=grow_first.period_start, title=f"补{n}",
                                          kind="other", community=project.community) for n in range(6))
    # project page: session, user, scope, memberships, unread, project, tranches, disbursements, history,
    # reports, budget lines with spending, visits, team, self-organisations, rectifications (+rate)
    assert [count(client, url) for url in urls] == small


def test_progress_reports_follow_project_scope(project, client_for):
    url = reverse("projects:progress_detail", args=[project.progress_reports.get(number=1).pk])
    for role in ("city_bureau", "district_bureau", "street", "community", "agency"):
        assert client_for(role).get(url).status_code == 200, role
    for role in ("other_district_bureau", "other_community", "other_agency", "outsider", "supervisor"):
        assert client_for(role).get(url).status_code == 404, role




def test_agency_registers_a_group_it_incubates(project, cast, client_for, places):
    report = project.progress_reports.get(number=1)
    url = reverse("projects:selforg_register", args=[report.pk])
    response = client_for("agency").post(url, {"name": "", "category": "mutual_aid", "members": "8"})
    assert response.status_code == 400 and "name" in response.context["new_selforg_form"].errors
    assert client_for("agency").post(url, {"name": "夜市互助队", "category": "mutual_aid",
                                           "members": "8"}).status_code == 302
    group = SelfOrganization.objects.get(name="夜市互助队")
    assert group.community == places.gaoqiao and list(project.incubated.all()) == [group]
    assert client_for("other_agency").post(url, {"name": "x", "category": "other"}).status_code == 404


def test_html_photo_is_refused_at_the_field_and_photos_are_served_safely(project, cast, client_for):
    """Finding 1: an HTML "photo" was stored with the uploader's type and served inline as text/html."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    report = project.progress_reports.get(number=1)
    client = client_for("agency")
    url = reverse("projects:activity_add", args=[report.pk])
    data = {"held_on": "2016-03-20", "title": "夜市坝坝会", "kind": "courtyard_meeting", "place": "广场",
            "direct_participations": "80", "indirect_beneficiaries": "300", "volunteers": "5",
            "photo": SimpleUploadedFile("x.jpg", b"<html><script>alert(1)</script>", content_type="text/html")}
    response = client.post(url, data)
    assert response.status_code == 400 and "无法识别为图片" in str(response.context["activity_form"].errors["photo"])
    assert not report.activities.exists()
    data["photo"] = files.jpeg()
    assert client.post(url, data).status_code == 302
    photo = report.activities.get().photos.get()
    assert photo.content_type == "image/jpeg"
    response = client.get(reverse("projects:activity_photo", args=[report.pk, photo.pk]))
    assert response["Content-Type"] == "image/jpeg" and response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
