"""Uploaded files: what they are comes from their bytes, and they go out only through `file_response`.

The uploader's content type and file name say nothing we can trust — an HTML page renamed
`.jpg` would otherwise be served from our own origin as `text/html` (stored XSS). So:

- images are opened with Pillow, their decoded size capped, and re-encoded (JPEG or PNG) —
  which also drops EXIF, GPS and any trailing bytes; these are residents' photos;
- PDF and office files (docx/xlsx/pptx zips, legacy doc/xls/ppt OLE) are recognised by
  signature and stored as they are, but are only ever served as downloads;
- everything else is refused with a Chinese message meant for the form field.

`file_response` is the one way a stored file leaves the server: `nosniff`, a sandboxing CSP,
and `Content-Disposition: attachment` unless the file is one of our re-encoded images.
"""
import io
import os
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

IMAGE = "image"
DOCUMENT = "document"

MB = 1024 * 1024
MAX_BYTES = {IMAGE: 10 * MB, DOCUMENT: 10 * MB}
# A 5000 × 5000 photo is plenty; a small PNG that decodes to gigapixels is a decompression bomb.
MAX_IMAGE_PIXELS = 40_000_000
# Photos are shrunk to this longest side when re-encoded: enough for a report, small on a phone.
MAX_IMAGE_SIDE = 3000

SAFE_INLINE_TYPES = {"image/jpeg", "image/png"}

_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OFFICE_ZIP_TYPES = {
    "word/": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xl/": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ppt/": ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}


@dataclass(frozen=True)
class CheckedUpload:
    """A file whose kind we determined ourselves, ready to hand to a FileField."""
    file: SimpleUploadedFile
    name: str
    size: int
    content_type: str
    extension: str


def _refuse(message):
    raise ValidationError(message, code="invalid_upload")


def _read(upload, limit: int) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        _refuse(_("文件 %(mb).1f MB，超过 %(max)s MB 的上限。") % {"mb": size / MB, "max": limit // MB})
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        _refuse(_("文件超过 %(max)s MB 的上限。") % {"max": limit // MB})
    if not data:
        _refuse(_("文件是空的。"))
    return data


def _base_name(upload, extension: str) -> str:
    """The uploader's name is kept for display only, with our extension and no path or odd characters."""
    stem = os.path.splitext(os.path.basename(getattr(upload, "name", "") or "file"))[0]
    stem = "".join(ch for ch in stem if ch.isalnum() or ch in "-_ ()（）·.")[:150].strip(" .") or "file"
    return f"{stem}.{extension}"


def _reencode_image(data: bytes) -> tuple[bytes, str, str]:
    from PIL import Image, ImageOps, UnidentifiedImageError

    refusal = _("无法识别为图片：请上传 JPG、PNG 或 WebP 格式的照片。")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            width, height = probe.size
            if width * height > MAX_IMAGE_PIXELS:
                _refuse(_("图片像素过大（%(w)s×%(h)s），请缩小后再上传。") % {"w": width, "h": height})
            if probe.format not in {"JPEG", "PNG", "WEBP", "GIF", "BMP"}:
                _refuse(refusal)
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
            keeps_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
            out = io.BytesIO()
            if keeps_alpha:
                image.convert("RGBA").save(out, format="PNG", optimize=True)
                return out.getvalue(), "png", "image/png"
            image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
            return out.getvalue(), "jpg", "image/jpeg"
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, SyntaxError):
        _refuse(refusal)


def _document_kind(data: bytes) -> tuple[str, str] | None:
    if data.startswith(b"%PDF-"):
        return "pdf", "application/pdf"
    if data.startswith(_OLE_SIGNATURE):
        # Legacy Office compound file: doc, xls and ppt share the container; served as a download.
        return "doc", "application/msword"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, ValueError):
            return None
        if "[Content_Types].xml" not in names:
            return None
        for prefix, kind in _OFFICE_ZIP_TYPES.items():
            if any(name.startswith(prefix) for name in names):
                return kind
    return None


def _legacy_office_extension(upload) -> str:
    """doc/xls/ppt share one container; keep the uploader's extension among those three only."""
    extension = os.path.splitext(getattr(upload, "name", "") or "")[1].lower().lstrip(".")
    return extension if extension in {"doc", "xls", "ppt"} else "doc"


def check_upload(upload, *, kinds=(IMAGE, DOCUMENT)) -> CheckedUpload:
    """Return the upload as a safe file of one of `kinds`, or raise ValidationError (Chinese, for the field)."""
    limit = max(MAX_BYTES[kind] for kind in kinds)
    data = _read(upload, limit)
    if DOCUMENT in kinds:
        document = _document_kind(data)
        if document:
            extension, content_type = document
            if content_type == "application/msword":
                extension = _legacy_office_extension(upload)
                content_type = {"doc": "application/msword", "xls": "application/vnd.ms-excel",
                                "ppt": "application/vnd.ms-powerpoint"}[extension]
            if len(data) > MAX_BYTES[DOCUMENT]:
                _refuse(_("文件超过 %(max)s MB 的上限。") % {"max": MAX_BYTES[DOCUMENT] // MB})
            return _checked(upload, data, extension, content_type)
    if IMAGE in kinds:
        if len(data) > MAX_BYTES[IMAGE]:
            _refuse(_("图片超过 %(max)s MB 的上限。") % {"max": MAX_BYTES[IMAGE] // MB})
        if kinds == (IMAGE,) or _looks_like_image(data):
            return _checked(upload, *_reencode_image(data))
    _refuse(_("不支持的文件类型：只能上传 PDF、图片（JPG/PNG）或 Office 文件（Word、Excel、PowerPoint）。"))


def _looks_like_image(data: bytes) -> bool:
    return data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF8", b"BM")) or (
        data[:4] == b"RIFF" and data[8:12] == b"WEBP")


def _checked(upload, data: bytes, extension: str, content_type: str) -> CheckedUpload:
    name = _base_name(upload, extension)
    return CheckedUpload(file=SimpleUploadedFile(name, data, content_type=content_type), name=name,
                         size=len(data), content_type=content_type, extension=extension)


def file_response(field_file, *, filename: str, content_type: str, reencoded: bool = True) -> FileResponse:
    """Serve a stored file safely: never sniffed, never scripted, downloaded unless a
    re-encoded image. `reencoded=False` for stores whose images were only checked, not
    re-encoded: everything of theirs is an attachment."""
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError):  # missing on disk, or no file recorded at all
        raise Http404(_("文件已丢失。")) from None
    inline = reencoded and content_type in SAFE_INLINE_TYPES
    response = FileResponse(handle, as_attachment=not inline, filename=filename,
                            content_type=content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response
