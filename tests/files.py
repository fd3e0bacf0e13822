"""Real little files for upload tests: web.uploads reads the bytes, so fakes won't pass."""
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def jpeg_bytes(size=(40, 30), *, exif=None) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 80, 40))
    if exif is not None:
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def jpeg(name="现场.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


def pdf(name="计划书.pdf") -> SimpleUploadedFile:
    data = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def xlsx_bytes() -> bytes:
    out = io.BytesIO()
    # A fixed timestamp: two calls a second apart must give the same bytes.
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in (("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<workbook/>")):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), text)
    return out.getvalue()


def xlsx(name="预算.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, xlsx_bytes(), content_type="application/vnd.ms-excel")
