"""What the pages say and how: amounts with thousands separators (万元 on the bureau's
home), charts with continuous months and whole-number axes for counts, no English left on
Chinese pages, admin links to private files that work."""

import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from projects import services
from projects.filters import ApplicationFilter
from projects.models import Activity, Application, Project
from reports.dashboards import continuous_months
from tests import files

pytestmark = pytest.mark.django_db
D = datetime.date


def test_continuous_months_fill_the_gaps():
    months = continuous_months([(D(2026, 1, 1), 5), (D(2026, 4, 1), 9)], D(2025, 12, 1), D(2026, 4, 20))
    assert months == [(D(2025, 12, 1), 0), (D(2026, 1, 1), 5), (D(2026, 2, 1), 0), (D(2026, 3, 1), 0),
                      (D(2026, 4, 1), 9)]


def test_amounts_have_thousands_separators(build, client_for):
    project = Project.objects.get(application=build(Application.Status.APPROVED))
    page = client_for("city_bureau").get(reverse("projects:project_detail", args=[project.pk])).content.decode()
    assert "90,000.00" in page


def test_bureau_home_counts_money_in_wan_and_counts_on_integer_axes(build, client_for):
    build(Application.Status.APPROVED)
    response = client_for("city_bureau").get("/")
    cards = {label: value for label, value, _kind in response.context["cards"]}
    assert cards["立项金额（万元）"] == Decimal("9")
    charts = {c["title"]: c for c in json.loads(response.context["charts_json"])}
    assert charts["直接参与人次（按月）"]["integer"] and len(charts["直接参与人次（按月）"]["labels"]) >= 12
    assert not charts["立项金额（按区县，万元）"]["integer"]
    assert "dashboard-charts.js" in response.content.decode()


def test_no_english_leftovers_on_chinese_pages(build, client_for):
    application = build(Application.Status.SUBMITTED)
    page = client_for("city_bureau").get(reverse("projects:application_detail", args=[application.pk]))
    assert 'aria-label="breadcrumb"' not in page.content.decode() and "导航路径" in page.content.decode()
    labels = [str(label) for _value, label in ApplicationFilter().form.fields["ordering"].choices]
    assert "均分（降序）" in labels and not any("descending" in label for label in labels)


def test_admin_links_private_files_through_the_app(build, cast, client_for):
    admin_client = client_for("admin")
    project = Project.objects.get(application=build(Application.Status.APPROVED))
    project = services.agreement_sign(project=project, actor=cast["city_bureau"], signed_on=project.starts_on)
    report = project.progress_reports.get(number=1)
    activity = services.activity_add(report=report, actor=cast["agency"], held_on=report.period_start, title="坝坝会",
                                     kind=Activity.Kind.COURTYARD_MEETING)
    photo = services.photo_add(activity=activity, actor=cast["agency"],
                               upload=files.jpeg("p.jpg"))
    page = admin_client.get(reverse("admin:projects_activityphoto_change", args=[photo.pk])).content.decode()
    link = reverse("projects:activity_photo", args=[report.pk, photo.pk])
    assert link in page and "/media/" not in page and 'href="photos/' not in page
    assert admin_client.get(link).status_code == 200
