"""An agency files a progress update with two activities and a photo; the bureau
returns it; the agency fixes it; the bureau accepts; the project's totals change."""

import datetime
import re

import pytest
from django.urls import reverse

from projects import services
from projects.models import Application, ProgressReport, Project
from tests.projects.fixtures import _eager_celery, build, funding_round, review_form, second_reviewer  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A 1×1 JPEG, small enough to live here.
JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912130f141d1a1f"
    "1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b080001000101011100ffc4001f0000"
    "010501010101010100000000000000000102030405060708090a0bffc400b5100002010303020403050504040000017d010203000411"
    "05122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445"
    "464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9"
    "aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda00080101"
    "00003f00fbd3ffd9")


def add_activity(page, date, title, direct, photo_path=None):
    form = page.locator("#add-activity form")
    form.get_by_label("日期").fill(date)
    form.get_by_label("活动名称").fill(title)
    form.get_by_label("类型").select_option(label="坝坝会")
    form.get_by_label("直接参与人次").fill(str(direct))
    form.get_by_label("间接服务人次").fill("300")
    if photo_path:
        form.get_by_label("照片").set_input_files(photo_path)
    form.get_by_role("button", name="添加活动").click()
    page.wait_for_load_state()


def test_file_return_fix_accept(as_user, live_server, cast, build, tmp_path, screenshots_dir):
    project = Project.objects.get(application=build(Application.Status.APPROVED))
    services.agreement_sign(project=project, actor=cast["city_bureau"], signed_on=datetime.date(2016, 3, 10))
    report = project.progress_reports.get(number=2)  # 2016 Q2
    url = live_server.url + reverse("projects:progress_detail", args=[report.pk])
    photo = tmp_path / "夜市.jpg"
    photo.write_bytes(JPEG)

    page = as_user("agency")
    page.goto(url)
    page.get_by_label("目标进展").fill("夜市议事会开起来了")
    page.get_by_role("button", name="保存正文").click()
    add_activity(page, "2016-04-20", "夜市坝坝会", 120, photo_path=str(photo))
    add_activity(page, "2016-05-18", "摊主议事会", 80)
    assert page.get_by_role("link", name=re.compile("夜市.jpg")).is_visible()
    page.get_by_role("button", name="提交报告").click()
    assert page.locator("#report-status").inner_text() == "待审核"

    page = as_user("city_bureau")
    page.goto(url)
    page.get_by_label("退回原因").fill("请补充议事会的决议内容")
    page.get_by_role("button", name="退回", exact=True).click()
    assert page.locator("#report-status").inner_text() == "退回修改"

    page = as_user("agency")
    page.goto(url)
    assert "请补充议事会的决议内容" in page.content()
    page.get_by_label("目标进展").fill("夜市议事会开起来了；议定了收摊时间和清扫排班")
    page.get_by_role("button", name="保存正文").click()
    page.get_by_role("button", name="提交报告").click()
    assert page.locator("#report-status").inner_text() == "待审核"

    page = as_user("city_bureau")
    page.goto(live_server.url + reverse("projects:project_detail", args=[project.pk]))
    assert page.locator("#total-direct").inner_text() == "0"
    page.goto(url)
    page.get_by_role("link", name="审核通过").click()
    page.get_by_role("button", name="确认审核通过").click()
    assert page.locator("#report-status").inner_text() == "已通过"
    page.goto(live_server.url + reverse("projects:project_detail", args=[project.pk]))
    assert page.locator("#total-activities").inner_text() == "2"
    assert page.locator("#total-direct").inner_text() == "200"
    page.screenshot(path=f"{screenshots_dir}/project_page.png", full_page=True)
    assert ProgressReport.objects.get(pk=report.pk).activities.get(title="夜市坝坝会").photos.count() == 1
