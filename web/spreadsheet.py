"""Bulk import from Excel, the parts every app shares: the template workbook, reading an
upload into numbered rows, keeping the checked preview on the server, and the pages.

The flow (places and organizations use it): upload → every row is checked by the app,
nothing written → the preview, with each bad row's line number and Chinese reasons, is
kept in the session under a random token (the file is not uploaded again) → "import"
posts the token, and the app's service re-checks and writes all rows in one transaction
or none.

Why not django-import-export: its resources write rows through their own save path
and its permission model is the admin's; our rules (scope per row: a district bureau
only its district; writes through the app's services with their audit rows; Chinese
per-row messages) would have to be rebuilt inside its hooks. openpyxl reads, XlsxWriter
writes the template — both are already used by the reports.
"""

import datetime
import io
import secrets
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import uploads

# A bureau's list of communities or organisations fits easily; a bigger file is a mistake
# (or a whole province) and is refused before it costs memory.
MAX_ROWS = 2000
MAX_CELL_CHARS = 500
SESSION_KEY = "spreadsheet_imports"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    required: bool = False
    example: str = ""
    note: str = ""


class SheetError(Exception):
    """The file as a whole cannot be read; `messages` are Chinese, for the upload field."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("\n".join(messages))


def template_workbook(*, title: str, columns: list[Column], examples: list[dict]) -> bytes:
    """A workbook with the header row (Chinese labels), example rows and a notes sheet."""
    import xlsxwriter

    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    required = workbook.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1})
    text = workbook.add_format({"num_format": "@"})
    sheet = workbook.add_worksheet(title[:31])
    for col, column in enumerate(columns):
        sheet.write_string(0, col, str(column.label), required if column.required else header)
        sheet.set_column(col, col, max(12, len(column.label) * 2 + 2), text)
        for row, example in enumerate(examples, start=1):
            sheet.write_string(row, col, str(example.get(column.key, "")))
    sheet.freeze_panes(1, 0)
    notes = workbook.add_worksheet(_("填写说明"))
    notes.set_column(0, 0, 20)
    notes.set_column(1, 1, 80)
    notes.write_string(0, 0, _("列"), header)
    notes.write_string(0, 1, _("说明"), header)
    for row, column in enumerate(columns, start=1):
        notes.write_string(row, 0, str(column.label))
        notes.write_string(row, 1, (_("必填。") if column.required else "") + str(column.note))
    notes.write_string(len(columns) + 2, 0, _("注意"))
    notes.write_string(len(columns) + 2, 1, _("只导入第一个工作表；第 1 行是表头，示例行请删除后再填写。"))
    workbook.close()
    return out.getvalue()


def template_response(*, filename: str, **kwargs) -> HttpResponse:
    response = HttpResponse(template_workbook(**kwargs), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()[:MAX_CELL_CHARS]


def read_rows(upload, columns: list[Column]) -> list[tuple[int, dict[str, str]]]:
    """The rows of the first sheet as (line as Excel shows it, {column key: text}).

    The file is typed by its bytes (an xlsx zip), not by its name; headers are matched
    by their Chinese label (or the column key); empty rows are skipped."""
    try:
        checked = uploads.check_upload(upload, kinds=(uploads.DOCUMENT,))
    except ValidationError as exc:
        raise SheetError(exc.messages) from None
    if checked.extension != "xlsx":
        raise SheetError([_("请上传 Excel 2007 及以上的 .xlsx 文件（可先下载模板填写）。")])
    from openpyxl import load_workbook

    checked.file.seek(0)
    try:
        workbook = load_workbook(checked.file, read_only=True, data_only=True)
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile):
        raise SheetError([_("无法打开 Excel 文件：请确认是 .xlsx 格式且未损坏。")]) from None
    try:
        lines = workbook.worksheets[0].iter_rows(values_only=True)
        first = next(lines, None)
        if first is None or not any(v not in (None, "") for v in first):
            labels = "、".join(str(c.label) for c in columns)
            raise SheetError([_("第 1 行应为表头：%(labels)s。") % {"labels": labels}])
        by_label = {str(c.label): c.key for c in columns} | {c.key: c.key for c in columns}
        header = [by_label.get(_cell(value).replace("*", "").strip()) for value in first]
        missing = [str(c.label) for c in columns if c.required and c.key not in header]
        if missing:
            raise SheetError([_("第 1 行表头缺少必填列：%(missing)s。") % {"missing": "、".join(missing)}])
        rows = []
        for number, values in enumerate(lines, start=2):
            if not any(v not in (None, "") for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise SheetError([_("一次最多导入 %(max)s 行，请分成几个文件。") % {"max": MAX_ROWS}])
            rows.append((number, {key: _cell(value) for key, value in zip(header, values, strict=False) if key}))
    finally:
        workbook.close()
    if not rows:
        raise SheetError([_("文件只有表头，没有数据行。")])
    return rows


# --- the preview, kept server-side ---------------------------------------------------

def stash(request, kind: str, preview: dict) -> str:
    """Keep a checked preview for this user's session; only the newest per kind is kept."""
    token = secrets.token_urlsafe(16)
    store = request.session.get(SESSION_KEY, {})
    store[kind] = {"token": token, **preview}
    request.session[SESSION_KEY] = store
    return token


def unstash(request, kind: str, token: str) -> dict | None:
    found = request.session.get(SESSION_KEY, {}).get(kind)
    if not found or not secrets.compare_digest(found["token"], token):
        return None
    return found


def discard(request, kind: str) -> None:
    store = request.session.get(SESSION_KEY, {})
    if store.pop(kind, None) is not None:
        request.session[SESSION_KEY] = store


# --- the pages -------------------------------------------------------------------------

@dataclass(frozen=True)
class ImportPages:
    """What an app plugs into the shared upload / preview / import pages."""
    kind: str
    title: str
    columns: list[Column]
    check: Callable  # (actor, rows) -> list[dict(line, data, errors, action, label)]
    run: Callable  # (actor, rows, filename) -> summary str; raises ValidationError
    require: Callable  # (user) -> None or PermissionDenied
    upload_url: str
    preview_url: str  # URL name taking `token`
    template_url: str
    done_url: str


def upload_page(request, pages: ImportPages):
    from .forms import SpreadsheetUploadForm

    pages.require(request.user)
    form = SpreadsheetUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            rows = read_rows(form.cleaned_data["file"], pages.columns)
        except SheetError as exc:
            for message in exc.messages:
                form.add_error("file", message)
        else:
            checked = pages.check(actor=request.user, rows=rows)
            token = stash(request, pages.kind, {
                "filename": getattr(form.cleaned_data["file"], "name", "")[:150], "rows": checked})
            return redirect(pages.preview_url, token=token)
    return render(request, "includes/import_upload.html", {"form": form, "pages": pages})


def preview_page(request, pages: ImportPages, token: str):
    pages.require(request.user)
    preview = unstash(request, pages.kind, token)
    if preview is None:
        messages.warning(request, _("预览已失效（已导入或已重新上传），请重新上传文件。"))
        return redirect(pages.upload_url)
    rows = preview["rows"]
    bad = [row for row in rows if row["errors"]]
    if request.method == "POST" and not bad:
        try:
            summary = pages.run(actor=request.user, rows=[(row["line"], row["data"]) for row in rows],
                                filename=preview["filename"])
        except ValidationError as exc:
            # Something changed since the preview (another clerk, a merge): show it again, re-checked.
            rows = pages.check(actor=request.user, rows=[(row["line"], row["data"]) for row in rows])
            token = stash(request, pages.kind, {"filename": preview["filename"], "rows": rows})
            for message in exc.messages:
                messages.error(request, message)
            return redirect(pages.preview_url, token=token)
        discard(request, pages.kind)
        messages.success(request, summary)
        return redirect(pages.done_url)
    for row in rows:
        row["cells"] = [row["data"].get(column.key, "") for column in pages.columns]
    return render(request, "includes/import_preview.html", {
        "pages": pages, "rows": rows, "bad": bad, "filename": preview["filename"], "token": token,
        "creates": sum(1 for row in rows if row["action"] == "create"),
        "updates": sum(1 for row in rows if row["action"] == "update"),
        "columns": pages.columns,
    })


# --- the API: the same file, the same checks, one call ----------------------------------

def api_import(request, pages: ImportPages):
    """POST a workbook as multipart `file`. With `dry_run=1` the checked rows come back
    and nothing is written (the API's preview); otherwise all rows are imported, or none
    with 400 and the rows' errors. A client has its preview already (it sent the file),
    so nothing is kept server-side here; the `Idempotency-Key` header makes a retry safe."""
    from rest_framework.exceptions import ValidationError as ApiValidationError
    from rest_framework.response import Response

    pages.require(request.user)
    upload = request.FILES.get("file")
    if upload is None:
        raise ApiValidationError({"file": [_("请上传 .xlsx 文件（字段名 file）。")]})
    try:
        rows = read_rows(upload, pages.columns)
    except SheetError as exc:
        raise ApiValidationError({"file": exc.messages}) from None
    checked = pages.check(actor=request.user, rows=rows)
    bad = [{"line": row["line"], "errors": row["errors"]} for row in checked if row["errors"]]
    if bad:
        return Response({"detail": _("有 %(n)s 行需要修改，未导入任何数据。") % {"n": len(bad)}, "rows": bad},
                        status=400)
    if request.query_params.get("dry_run") in ("1", "true") or request.data.get("dry_run") in ("1", "true"):
        return Response({"dry_run": True, "rows": [
            {"line": row["line"], "action": row["action"], "label": row["label"]} for row in checked]})
    try:
        summary = pages.run(actor=request.user, rows=rows, filename=getattr(upload, "name", "")[:150])
    except ValidationError as exc:
        raise ApiValidationError({"non_field_errors": exc.messages}) from None
    return Response({"dry_run": False, "detail": summary, "rows": [
        {"line": row["line"], "action": row["action"], "label": row["label"]} for row in checked]}, status=201)
