"""Library uploads: only PDF, Office documents and images, proved by their first bytes
(the extension and the browser's content type are not trusted), within a size limit.
The stored content type comes from this table, never from the client."""

import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 20 * 1024 * 1024

PDF, OLE, OOXML, JPEG, PNG = "pdf", "ole", "ooxml", "jpeg", "png"
SIGNATURES = {
    PDF: b"%PDF-",
    OLE: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # legacy .doc/.xls/.ppt (OLE2 compound file)
    OOXML: b"PK\x03\x04",  # .docx/.xlsx/.pptx are zip packages
    JPEG: b"\xff\xd8\xff",
    PNG: b"\x89PNG\r\n\x1a\n",
}
EXTENSIONS = {
    "pdf": (PDF, "application/pdf"),
    "doc": (OLE, "application/msword"),
    "xls": (OLE, "application/vnd.ms-excel"),
    "ppt": (OLE, "application/vnd.ms-powerpoint"),
    "docx": (OOXML, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": (OOXML, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": (OOXML, "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "jpg": (JPEG, "image/jpeg"),
    "jpeg": (JPEG, "image/jpeg"),
    "png": (PNG, "image/png"),
}
def check_upload(upload, field: str = "file") -> str:
    """The content type of an acceptable upload, or a ValidationError naming the field."""
    name = getattr(upload, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EXTENSIONS:
        raise ValidationError({field: _("不支持的文件类型“%(ext)s”。可上传：%(allowed)s。") % {
            "ext": extension or _("无扩展名"), "allowed": _("、").join(EXTENSIONS)}})
    if not upload.size:
        raise ValidationError({field: _("文件是空的。")})
    if upload.size > MAX_BYTES:
        raise ValidationError({field: _("文件 %(mb).1f MB，超过 %(max)s MB 的上限。") % {
            "mb": upload.size / 1024 / 1024, "max": MAX_BYTES // 1024 // 1024}})
    family, content_type = EXTENSIONS[extension]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(SIGNATURES[family]) or (family == OOXML and not _is_office_package(upload)):
        raise ValidationError({field: _("文件内容与扩展名“%(ext)s”不符，可能已损坏或被改名。") % {"ext": extension}})
    return content_type


def _is_office_package(upload) -> bool:
    try:
        with zipfile.ZipFile(upload) as package:
            return "[Content_Types].xml" in package.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
