"""The learning library: courses with materials and attendance, cases with search,
uploads proved by their first bytes and served only as permission-checked attachments."""

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from programme import library, services
from programme.demo import HANDOUT, seed_library
from programme.models import CaseStudy, CourseAttendee, TrainingCourse

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("evil.html", "<script>alert(1)</script>")
    return buffer.getvalue()


@pytest.fixture
def course(cast):
    return services.course_save(actor=cast["city_bureau"], title="社区营造高级研修班", audience="社区书记",
                                starts_on=datetime.date(2016, 4, 11), ends_on=datetime.date(2016, 4, 13),
                                participants=300)


def test_demo_course_is_three_days_for_300(places, cast):
    seed_library()
    seed_library()  # idempotent
    course = TrainingCourse.objects.get()
    assert course.days == 3 and course.participants >= 300
    assert course.materials.count() == 1 and course.attendees.count() == 6
    assert CaseStudy.objects.count() == 3


@pytest.mark.parametrize("name,content", [
    ("a.pdf", HANDOUT), ("a.png", PNG), ("a.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 16), ("a.docx", docx()),
    ("a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16),
])
def test_accepts_documents_proved_by_their_bytes(course, cast, name, content):
    material = services.course_material_add(actor=cast["city_bureau"], course=course,
                                            upload=SimpleUploadedFile(name, content, content_type="text/html"))
    assert material.content_type != "text/html"  # the type comes from the signature table, not the client
    assert AuditEvent.objects.filter(action="course.material").exists()


@pytest.mark.parametrize("name,content", [
    ("a.pdf", b"<html><script>alert(1)</script>"),  # renamed page
    ("a.png", HANDOUT),  # a PDF called PNG
    ("a.docx", plain_zip()),  # a zip that is no Office package
    ("a.html", b"<html>"), ("a.exe", b"MZ\x90\x00"), ("noext", HANDOUT), ("a.pdf", b""),
])
def test_refuses_anything_else(course, cast, name, content):
    with pytest.raises(ValidationError) as info:
        services.course_material_add(actor=cast["city_bureau"], course=course,
                                     upload=SimpleUploadedFile(name, content, content_type="application/pdf"))
    assert "file" in info.value.message_dict
    assert not course.materials.exists()


def test_refuses_oversized_files(course, cast, monkeypatch):
    from programme import uploads

    monkeypatch.setattr(uploads, "MAX_BYTES", 10)
    with pytest.raises(ValidationError):
        services.course_material_add(actor=cast["city_bureau"], course=course,
                                     upload=SimpleUploadedFile("a.pdf", HANDOUT))


def test_downloads_are_checked_attachments(course, cast, client_for):
    material = services.course_material_add(actor=cast["city_bureau"], course=course,
                                            upload=SimpleUploadedFile("讲义.pdf", HANDOUT))
    url = reverse("programme:material_download", args=[course.pk, material.pk])
    response = client_for("community").get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == HANDOUT
    assert client_for("anonymous").get(url).status_code == 302
    assert client_for("community").get(reverse("programme:material_download",
                                               args=[course.pk, material.pk + 99])).status_code == 404


def test_attendance(course, cast, client_for):
    added = services.course_attendance_add(actor=cast["city_bureau"], course=course,
                                           text="陈书记,高桥社区,书记\n孙主任，南桥社区，主任\n\n陈书记,高桥社区,书记")
    assert added == 2
    assert services.course_attendance_add(actor=cast["city_bureau"], course=course, text="陈书记,高桥社区") == 0
    with pytest.raises(ValidationError):
        services.course_attendance_add(actor=cast["city_bureau"], course=course, text="好,人\n" + "名" * 51)
    assert CourseAttendee.objects.filter(course=course).count() == 2
    with pytest.raises(PermissionDenied):
        services.course_attendance_add(actor=cast["community"], course=course, text="x")
    # Names are for bureau staff only.
    url = reverse("programme:course_detail", args=[course.pk])
    assert "孙主任" in client_for("district_bureau").get(url).content.decode()
    assert "孙主任" not in client_for("community").get(url).content.decode()
    response = client_for("city_bureau").post(reverse("programme:course_attendance_add", args=[course.pk]),
                                              {"lines": "名" * 60})
    assert response.status_code == 400 and ("名" * 60) in response.content.decode()


def test_course_input_is_bounded(cast):
    base = dict(title="班", audience="书记", participants=10)
    with pytest.raises(ValidationError):
        services.course_save(actor=cast["city_bureau"], starts_on=datetime.date(2016, 4, 13),
                             ends_on=datetime.date(2016, 4, 11), **base)
    with pytest.raises(ValidationError):
        services.course_save(actor=cast["city_bureau"], starts_on=datetime.date(1990, 1, 1),
                             ends_on=datetime.date(1990, 1, 2), **base)
    with pytest.raises(ValidationError):
        services.course_save(actor=cast["city_bureau"], starts_on=datetime.date(2016, 1, 1),
                             ends_on=datetime.date(2016, 1, 2), **{**base, "participants": 10**7})
    with pytest.raises(PermissionDenied):
        services.course_save(actor=cast["street"], starts_on=datetime.date(2016, 1, 1),
                             ends_on=datetime.date(2016, 1, 2), **base)


def test_case_search_and_download(places, cast, client_for):
    seed_library()
    queryset = library.cases_for_user(cast["outsider"])
    assert library.search_cases(queryset, q="夜市").get().title.startswith("活力夜经济")
    assert library.search_cases(queryset, q="佳宏路").count() == 1  # by community name
    assert library.search_cases(queryset, tag="院落自治").get().kind == "action_research"
    assert library.search_cases(queryset, kind="case").count() == 2
    body = client_for("outsider").get(reverse("programme:library"), {"q": "时间银行"}).content.decode()
    case_list = body.split('id="case-list"')[1]
    assert "佳宏路社区商居共建" in case_list and "高桥社区商居发展治理" not in case_list
    case = services.case_save(actor=cast["city_bureau"], title="行动研究", summary="摘要", kind="action_research",
                              upload=SimpleUploadedFile("报告.docx", docx()))
    response = client_for("agency").get(reverse("programme:case_download", args=[case.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    data = client_for("agency").get("/api/cases/", {"q": "行动研究"}).json()
    assert data["results"][0]["download_url"] == reverse("programme:case_download", args=[case.pk])


def test_case_page_form_keeps_input_on_bad_file(cast, client_for):
    client = client_for("city_bureau")
    response = client.post(reverse("programme:case_create"), {
        "kind": "case", "title": "我的案例", "summary": "摘要", "tags": "夜市",
        "upload": SimpleUploadedFile("a.pdf", b"<html>")})
    assert response.status_code == 200
    body = response.content.decode()
    assert "我的案例" in body and "文件内容与扩展名" in body
    assert not CaseStudy.objects.exists()
    response = client.post(reverse("programme:case_create"), {
        "kind": "case", "title": "我的案例", "summary": "摘要", "upload": SimpleUploadedFile("a.pdf", HANDOUT)})
    assert response.status_code == 302
    assert client_for("community").get(reverse("programme:case_create")).status_code == 403
