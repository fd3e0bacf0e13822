"""Residents as users: registration, Excel import, invite codes, SMS sign-in, who sees whom."""

import datetime
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from audit.models import AuditEvent
from residents import access, services, sms
from residents.models import InviteCode, Resident
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def workbook(rows, header=("姓名", "手机号", "户号", "住址", "院落/小区", "居民小组", "干部")):
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "名册.xlsx"
    return data


def test_community_staff_register_a_resident_who_has_no_password_yet(cast, places, groups):
    resident = services.resident_register(actor=cast["community"], community=places.gaoqiao, real_name="王大妈",
                                          phone="138 0000 0001", household_number="3-2-101", group_name=groups[0].name)
    assert resident.user.username == "13800000001"
    assert not resident.user.has_usable_password()
    assert resident.group == groups[0] and resident.household.group == groups[0]
    assert AuditEvent.objects.filter(action="resident.register").count() == 1


@pytest.mark.parametrize("role", ["street", "district_bureau", "other_community", "agency"])
def test_only_the_communitys_own_staff_register(cast, places, role):
    with pytest.raises(PermissionDenied):
        services.resident_register(actor=cast[role], community=places.gaoqiao, real_name="王", phone="13800000001",
                                   household_number="1")
    assert not Resident.objects.exists()


def test_a_phone_number_registers_once(cast, places):
    services.resident_register(actor=cast["community"], community=places.gaoqiao, real_name="王",
                               phone="13800000001", household_number="1")
    with pytest.raises(ValidationError, match="已登记"):
        services.resident_register(actor=cast["community"], community=places.gaoqiao, real_name="李",
                                   phone="13800000001", household_number="2")


def test_import_is_all_or_nothing_with_row_errors(cast, places, groups):
    rows = services.residents_parse_workbook(workbook([
        ("张三", "13800000001", "1-101", "", "", groups[0].name, "是"),
        ("李四", "12345", "1-102", "", "", "", ""),
        ("王五", "13800000001", "", "", "", "第九小组", ""),
    ]))
    checked = services.residents_import_preview(actor=cast["community"], community=places.gaoqiao, rows=rows)
    assert checked[0].errors == [] and checked[0].is_cadre
    assert any("11 位" in e for e in checked[1].errors)
    assert {"手机号在表中重复。", "户号必填，最多 32 字。"} <= set(checked[2].errors)
    assert any("第九小组" in e for e in checked[2].errors)
    with pytest.raises(ValidationError, match="未导入任何居民"):
        services.residents_import(actor=cast["community"], community=places.gaoqiao, rows=rows)
    assert not Resident.objects.exists()


def test_import_page_previews_then_imports(client_for, places, groups):
    client = client_for("community")
    url = reverse("residents:resident_import") + f"?community={places.gaoqiao.pk}"
    bad = client.post(url, {"file": workbook([("张三", "138", "1")])})
    assert bad.status_code == 400 and "11 位" in bad.content.decode()
    good = client.post(url, {"file": workbook([("张三", "13800000001", "1"), ("李四", "13800000002", "1")])})
    assert good.status_code == 200 and "确认导入" in good.content.decode()
    assert not Resident.objects.exists()  # a preview changes nothing
    done = client.post(url, {"confirm": "1"})
    assert done.status_code == 302
    assert Resident.objects.filter(household__number="1").count() == 2


def test_invite_code_is_hashed_one_time_and_expires(cast, make_resident):
    resident = make_resident("王大妈")
    (_r, code, _expires), = services.invites_issue(actor=cast["community"], residents=[resident])
    stored = InviteCode.objects.get()
    assert code not in stored.code_hash and len(code) == services.INVITE_LENGTH
    user = services.invite_redeem(code=code.lower(), password="Lao-wang-2026")
    assert user.check_password("Lao-wang-2026")
    with pytest.raises(ValidationError, match="无效"):
        services.invite_redeem(code=code, password="another-pass-2026")
    (_r, late, _e), = services.invites_issue(actor=cast["community"], residents=[resident])
    with time_machine.travel(timezone.now() + datetime.timedelta(days=15)), pytest.raises(ValidationError):
        services.invite_redeem(code=late, password="Lao-wang-2027")


def test_a_new_invite_revokes_the_old_one(cast, make_resident):
    resident = make_resident()
    (_r, first, _e), = services.invites_issue(actor=cast["community"], residents=[resident])
    services.invites_issue(actor=cast["community"], residents=[resident])
    assert services.invite_lookup(first) is None


def test_invite_sheet_and_join_page(client_for, places, make_resident, client):
    make_resident("王大妈")
    sheet = client_for("community").post(reverse("residents:invite_sheet"), {"community": places.gaoqiao.pk})
    assert sheet.status_code == 200
    html = sheet.content.decode()
    assert "data:image/svg+xml" in html and "王大妈" in html
    code = sheet.context["cards"][0]["code"]
    page = client.get(reverse("residents:join_code", args=[code]))
    assert page.status_code == 200 and "王大妈" in page.content.decode()
    mismatch = client.post(reverse("residents:join_code", args=[code]), {"password1": "Lao-wang-2026",
                                                                          "password2": "other"})
    assert mismatch.status_code == 400
    done = client.post(reverse("residents:join_code", args=[code]), {"password1": "Lao-wang-2026",
                                                                      "password2": "Lao-wang-2026"})
    assert done.status_code == 302
    assert client.get(reverse("residents:join_code", args=[code])).status_code == 404


def test_sms_sign_in_code(settings, make_resident, client, django_capture_on_commit_callbacks):
    settings.SHEQU_SMS_BACKEND = "residents.sms.LocmemBackend"
    sms.outbox.clear()
    resident = make_resident("王大妈", password=PASSWORD)
    with pytest.raises(ValidationError):
        services.signin_code_request(phone="123")
    services.signin_code_request(phone="13900000099")  # not registered: silently nothing
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("residents:signin_code"), {"phone": resident.user.phone})
    assert page.status_code == 200
    (phone, text), = sms.outbox
    assert phone == resident.user.phone
    code = text.split("验证码是 ")[1][:6]
    wrong = "000000" if code != "000000" else "111111"
    assert client.post(reverse("residents:signin_code"), {"phone": phone, "code": wrong}).status_code == 400
    assert client.post(reverse("residents:signin_code"), {"phone": phone, "code": code}).status_code == 302
    with pytest.raises(ValidationError):  # spent
        services.signin_code_verify(phone=phone, code=code)


def test_sign_in_code_locks_after_five_wrong_guesses(settings, make_resident, django_capture_on_commit_callbacks):
    settings.SHEQU_SMS_BACKEND = "residents.sms.LocmemBackend"
    sms.outbox.clear()
    resident = make_resident(password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        services.signin_code_request(phone=resident.user.phone)
    code = sms.outbox[-1][1].split("验证码是 ")[1][:6]
    wrong = "000000" if code != "000000" else "111111"
    for _i in range(services.SIGNIN_MAX_ATTEMPTS):
        with pytest.raises(ValidationError):
            services.signin_code_verify(phone=resident.user.phone, code=wrong)
    with pytest.raises(ValidationError):
        services.signin_code_verify(phone=resident.user.phone, code=code)


def test_personal_data_only_for_the_communitys_staff(cast, make_resident, client_for):
    resident = make_resident("王大妈")
    assert list(access.residents_for_user(cast["community"])) == [resident]
    for role in ("street", "district_bureau", "other_community", "agency", "outsider"):
        assert not access.residents_for_user(cast[role]).exists(), role
    assert not access.residents_for_user(resident.user).exists()
    assert client_for("street").get(reverse("residents:resident_list")).status_code == 403
    assert client_for("community").get(reverse("residents:resident_list")).status_code == 200
    api = client_for("community").get("/api/residents/")
    assert api.json()["results"][0]["phone"] == resident.user.phone
    assert client_for("street").get("/api/residents/").json()["results"] == []
    assert client_for("street").get(f"/api/residents/{resident.pk}/").status_code == 404


def test_api_registers_and_invites(client_for, places):
    client = client_for("community")
    bad = client.post("/api/residents/", {"community": places.gaoqiao.pk, "real_name": "王", "phone": "1",
                                          "household_number": "1"}, content_type="application/json")
    assert bad.status_code == 400
    made = client.post("/api/residents/", {"community": places.gaoqiao.pk, "real_name": "王",
                                           "phone": "13800000001", "household_number": "1"},
                       content_type="application/json")
    assert made.status_code == 201, made.content
    invite = client.post(f"/api/residents/{made.json()['id']}/invite/")
    assert invite.status_code == 200 and len(invite.json()["code"]) == services.INVITE_LENGTH
    assert client_for("other_community").post(f"/api/residents/{made.json()['id']}/invite/").status_code == 404


def test_a_resident_gets_the_resident_home(make_resident, client):
    resident = make_resident("王大妈", password=PASSWORD)
    client.force_login(resident.user)
    page = client.get(reverse("home"))
    assert page.status_code == 200
    assert "residents/home.html" in [t.name for t in page.templates]
