"""web.uploads: a file's kind comes from its bytes; images are re-encoded; files leave only as safe responses."""
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests import files
from web import uploads

HTML = b"<html><script>alert(document.cookie)</script></html>"


def test_html_named_jpg_is_refused_as_a_photo():
    with pytest.raises(ValidationError, match="无法识别为图片"):
        uploads.check_upload(SimpleUploadedFile("x.jpg", HTML, content_type="image/jpeg"), kinds=(uploads.IMAGE,))


def test_executable_renamed_jpg_is_refused_everywhere():
    exe = SimpleUploadedFile("setup.jpg", b"MZ\x90\x00" + b"\x00" * 200, content_type="image/jpeg")
    with pytest.raises(ValidationError, match="不支持的文件类型"):
        uploads.check_upload(exe)


def test_html_named_pdf_is_refused_as_attachment():
    with pytest.raises(ValidationError, match="不支持的文件类型"):
        uploads.check_upload(SimpleUploadedFile("计划书.pdf", HTML, content_type="application/pdf"))


def test_zip_that_is_not_office_is_refused():
    out = io.BytesIO()
    import zipfile
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("evil.html", HTML)
    with pytest.raises(ValidationError):
        uploads.check_upload(SimpleUploadedFile("a.docx", out.getvalue()))


def test_photo_is_reencoded_without_exif_or_gps():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (30.0, 39.0, 0.0)}  # GPSInfo
    raw = files.jpeg_bytes(exif=exif.tobytes())
    assert b"PhoneMaker" in raw
    checked = uploads.check_upload(SimpleUploadedFile("../../etc/现场.jpeg", raw, content_type="text/html"),
                                   kinds=(uploads.IMAGE,))
    data = checked.file.read()
    assert checked.content_type == "image/jpeg" and checked.name == "现场.jpg"
    assert b"PhoneMaker" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif()


def test_png_with_trailing_html_loses_the_html():
    out = io.BytesIO()
    Image.new("RGBA", (8, 8), (0, 0, 0, 0)).save(out, format="PNG")
    checked = uploads.check_upload(SimpleUploadedFile("a.png", out.getvalue() + HTML), kinds=(uploads.IMAGE,))
    assert checked.content_type == "image/png" and HTML not in checked.file.read()


def test_decompression_bomb_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_IMAGE_PIXELS", 100)
    with pytest.raises(ValidationError, match="像素过大"):
        uploads.check_upload(files.jpeg(size=(20, 20)), kinds=(uploads.IMAGE,))


def test_size_limits_per_kind():
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * uploads.MAX_BYTES[uploads.DOCUMENT])
    with pytest.raises(ValidationError, match="超过 10 MB"):
        uploads.check_upload(big)


def test_documents_by_signature():
    assert uploads.check_upload(files.pdf()).content_type == "application/pdf"
    assert uploads.check_upload(files.xlsx()).extension == "xlsx"
    ole = SimpleUploadedFile("旧表.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500)
    assert uploads.check_upload(ole).content_type == "application/vnd.ms-excel"


def test_empty_file_is_refused():
    with pytest.raises(ValidationError, match="空"):
        uploads.check_upload(SimpleUploadedFile("a.pdf", b""))


@pytest.mark.django_db
def test_file_response_headers(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.storage import default_storage
    name = default_storage.save("t/a.pdf", ContentFile(b"%PDF-1.4"))
    field = default_storage.open(name)
    response = uploads.file_response(field, filename="a.pdf", content_type="application/pdf")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Disposition"].startswith("attachment")
    image = uploads.file_response(default_storage.open(name), filename="a.jpg", content_type="image/jpeg")
    assert image["Content-Disposition"].startswith("inline")
    html = uploads.file_response(default_storage.open(name), filename="a.html", content_type="text/html")
    assert html["Content-Disposition"].startswith("attachment")
