"""Bulk import of community profiles and social organisations in the browser (issue #16):
template → upload → preview with per-row errors (nothing written) → all or nothing."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from audit.models import AuditEvent
from organizations.demo import credit_code
from organizations.models import Organization
from places.models import Community
from tests import files

pytestmark = pytest.mark.django_db

NEW_ORG = credit_code("52510181MJ9A9B9C9")
OTHER_DISTRICT_ORG = credit_code("52510104MJ8A8B8C8")


def workbook(header, *rows, name="导入.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/octet-stream")


COMMUNITY_HEADER = ["区划代码", "名称", "所属街道代码", "社区类型", "常住人口", "户数"]


def upload(client, url_name, file):
    return client.post(reverse(url_name), {"file": file})


def test_template_has_the_chinese_headers_and_a_notes_sheet(client_for):
    response = client_for("district_bureau").get(reverse("places:community_import_template"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    header = [cell.value for cell in book.worksheets[0][1]]
    assert header[:4] == ["区划代码", "名称", "组织全称", "所属街道代码"]
    assert book.worksheets[1].title == "填写说明"
    response = client_for("district_bureau").get(reverse("organizations:organization_import_template"))
    header = [cell.value for cell in load_workbook(io.BytesIO(response.content)).worksheets[0][1]]
    assert header[0] == "统一社会信用代码"


def test_good_workbook_previews_then_imports_all_rows_audited(client_for, places):
    client = client_for("district_bureau")
    response = upload(client, "places:community_import", workbook(
        COMMUNITY_HEADER,
        ["510181005009", "", "", "", 9100, 3300],  # 高桥社区: update two figures
        ["510181005901", "桃源社区", "510181005", "村改居社区", 1500, 600],  # new, under 银杏街道
    ))
    assert response.status_code == 302
    preview_url = response["Location"]
    page = client.get(preview_url)
    assert "全部行检查通过：将新建 1 条、更新 1 条。" in page.content.decode()
    # Nothing is written by the upload and the preview.
    places.gaoqiao.refresh_from_db()
    assert places.gaoqiao.population != 9100
    assert not Community.objects.filter(code="510181005901").exists()

    response = client.post(preview_url, {"_once": "a" * 32})
    assert response.status_code == 302 and response["Location"] == reverse("places:community_list")
    places.gaoqiao.refresh_from_db()
    assert (places.gaoqiao.population, places.gaoqiao.households) == (9100, 3300)
    new = Community.objects.get(code="510181005901")
    assert (new.name, new.street, new.kind) == ("桃源社区", places.yinxing, Community.Kind.CONVERTED)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"community.create", "community.update", "communities.import"} <= actions
    # The preview is used up: posting it again imports nothing twice.
    again = client.post(preview_url, {"_once": "b" * 32})
    assert again["Location"] == reverse("places:community_import")
    assert Community.objects.filter(code="510181005901").count() == 1


def test_bad_workbook_lists_every_bad_row_by_line_and_writes_nothing(client_for, places):
    client = client_for("district_bureau")
    response = upload(client, "places:community_import", workbook(
        COMMUNITY_HEADER,
        ["510181005009", "", "", "", 100, 500],  # more households than residents
        ["510104032009", "", "", "", 10, 1],  # 佳宏路社区: another district
        ["51018100590X", "坏代码", "510181005", "", 1, 1],
        [None, None, None, None, None, None],  # an empty row is skipped, numbering kept
        ["510181005902", "新社区", "510181005", "小区", -3, 1],
        ["510181005009", "", "", "", 1, 1],  # duplicate of line 2
    ))
    page = client.get(response["Location"]).content.decode()
    errors = re.findall(r"<li>第 (\d+) 行：", page)
    assert errors == ["2", "3", "4", "6", "7"]
    assert "户数不能多于常住人口" in page
    assert "不在您的管辖范围内" in page
    assert "社区类型“小区”无效" in page
    assert "与第 2 行重复" in page
    assert "确认导入" not in page
    client.post(response["Location"], {"_once": "c" * 32})
    places.gaoqiao.refresh_from_db()
    assert places.gaoqiao.population != 100
    assert not AuditEvent.objects.filter(action="communities.import").exists()


@pytest.mark.parametrize("make_file, message", [
    (lambda: files.pdf("社区.xlsx"), "请上传 Excel 2007 及以上的 .xlsx 文件"),
    (lambda: files.xlsx("空壳.xlsx"), "无法打开 Excel 文件"),
    (lambda: workbook(["名称", "户数"], ["x", 1]), "第 1 行表头缺少必填列：区划代码"),
    (lambda: workbook(COMMUNITY_HEADER), "文件只有表头，没有数据行"),
])
def test_a_file_that_is_not_a_usable_workbook_is_refused_at_the_field(client_for, make_file, message):
    response = upload(client_for("district_bureau"), "places:community_import", make_file())
    assert response.status_code == 200
    assert message in response.content.decode()


def test_a_change_between_preview_and_import_imports_nothing(client_for, places, cast):
    from places import services

    client = client_for("district_bureau")
    response = upload(client, "places:community_import", workbook(
        COMMUNITY_HEADER, ["510181005901", "桃源社区", "510181005", "", 10, 5], ["510181004002", "", "", "", 50, 20]))
    # Meanwhile someone merges 南桥 (line 3) into 高桥.
    import datetime
    services.community_merge(community=places.nanqiao, into=places.gaoqiao, merged_on=datetime.date(2026, 1, 1),
                             actor=cast["district_bureau"], reason="区划调整")
    response = client.post(response["Location"], {"_once": "d" * 32}, follow=True)
    assert "第 3 行有错误，未导入任何数据" in response.content.decode()
    assert not Community.objects.filter(code="510181005901").exists()


def test_organizations_import_respects_the_district(client_for, organizations):
    client = client_for("district_bureau")
    header = ["统一社会信用代码", "组织名称", "组织类型", "登记地代码", "联系电话", "成立日期"]
    rongxiang = organizations["rongxiang"]
    response = upload(client, "organizations:organization_import", workbook(
        header,
        [NEW_ORG, "都江堰市新苗社工中心", "社工机构", "510181", "028-88881111", "2019-03-01"],
        [OTHER_DISTRICT_ORG, "锦江区某中心", "社会组织", "510104", "", ""],
        [rongxiang.credit_code, "", "", "", "028-66669999", ""],
        [organizations["lelin"].credit_code, "", "", "", "028-1", ""],
        ["123", "坏代码", "", "510181", "", "2999-01-01"],
    ))
    page = client.get(response["Location"]).content.decode()
    assert re.findall(r"<li>第 (\d+) 行：", page) == ["3", "5", "6"]
    assert "登记地 锦江区 不在您的管辖范围内" in page
    assert "不在您的管辖范围内" in page and "统一社会信用代码：" in page
    assert not Organization.objects.filter(credit_code=NEW_ORG).exists()

    response = upload(client, "organizations:organization_import", workbook(
        header,
        [NEW_ORG, "都江堰市新苗社工中心", "社工机构", "510181", "028-88881111", "2019-03-01"],
        [rongxiang.credit_code, "", "", "", "028-66669999", ""],
    ))
    client.post(response["Location"], {"_once": "e" * 32})
    new = Organization.objects.get(credit_code=NEW_ORG)
    assert (new.name, new.kind, new.region.code, str(new.established_on)) == (
        "都江堰市新苗社工中心", "social_work_agency", "510181", "2019-03-01")
    rongxiang.refresh_from_db()
    assert rongxiang.contact_phone == "028-66669999"
    assert AuditEvent.objects.filter(action="organizations.import").count() == 1


def test_only_bureau_staff_may_import(client_for):
    for role in ("community", "agency", "street"):
        response = upload(client_for(role), "places:community_import", workbook(COMMUNITY_HEADER, ["1"] * 6))
        assert response.status_code == 403


def test_api_dry_run_then_import_with_row_errors_as_400(cast):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(cast["district_bureau"])
    url = reverse("api:community-bulk-import")
    bad = client.post(url, {"file": workbook(COMMUNITY_HEADER, ["510104032009", "", "", "", 10, 1])},
                      format="multipart")
    assert bad.status_code == 400
    assert bad.json()["rows"][0]["line"] == 2
    good = [["510181005901", "桃源社区", "510181005", "", 10, 5]]
    dry = client.post(url + "?dry_run=1", {"file": workbook(COMMUNITY_HEADER, *good)}, format="multipart")
    assert dry.status_code == 200 and dry.json()["rows"] == [{"line": 2, "action": "create", "label": "桃源社区"}]
    assert not Community.objects.filter(code="510181005901").exists()
    done = client.post(url, {"file": workbook(COMMUNITY_HEADER, *good)}, format="multipart",
                       HTTP_IDEMPOTENCY_KEY="import-0001")
    assert done.status_code == 201
    assert Community.objects.filter(code="510181005901").exists()
