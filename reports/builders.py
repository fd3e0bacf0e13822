"""Write a ReportData as xlsx (reports.xlsx streams rows into the zip: memory stays flat), CSV (UTF-8 with
BOM so Excel reads Chinese) or PDF (WeasyPrint, A4, CJK font, SVG charts)."""

import csv
import io
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from places.reporting import COUNT, PERCENT, TEXT, YUAN, ReportData

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER_FORMATS = {YUAN: "#,##0.00", COUNT: "#,##0", PERCENT: "0.0#"}


def safe_text(value) -> str:
    """Neutralise spreadsheet formula injection: text that a spreadsheet would run as a
    formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cell_value(value, kind):
    if value is None:
        return None
    if kind == TEXT or not isinstance(value, (int, float, Decimal)):
        return safe_text(value)
    return value


def build_xlsx(data: ReportData, handle) -> int:
    """The site's xlsx: reports.xlsx writes the rows straight into the zip (see there)."""
    from .xlsx import Workbook

    rows_written = 0
    with Workbook(handle) as book:
        summary = book.add_sheet(str(_("汇总")), widths=(28, 20))
        summary.row([data.title], [TEXT], strong=True, safe=safe_text)
        summary.row([data.subtitle], [TEXT], safe=safe_text)
        for note in data.missing:
            summary.row([note], [TEXT], safe=safe_text)
        summary.row([], [])
        for label, value, kind in data.summary:
            summary.row([label, value], [TEXT, kind], safe=safe_text)
        for table in data.tables:
            kinds = [kind for _label, kind in table.columns]
            sheet = book.add_sheet(table.name[:31], widths=[14 if kind != TEXT else 22 for kind in kinds],
                                   freeze=True)
            sheet.row([label for label, _kind in table.columns], [TEXT] * len(kinds), strong=True, safe=safe_text)
            for values in table.rows:
                sheet.row(values, kinds, safe=safe_text)
            rows_written += len(table.rows)
            if table.total:
                sheet.row(table.total, kinds, strong=True, safe=safe_text)
            if table.note:
                sheet.row([table.note], [TEXT], safe=safe_text)
    return rows_written


def build_xlsx_xlsxwriter(data: ReportData, handle, *, constant_memory: bool = True) -> int:
    """The previous builder (XlsxWriter, constant-memory by default: each row goes to a
    temporary file as it is written), kept so the bench can measure it beside build_xlsx."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(handle, {"constant_memory": constant_memory, "in_memory": False,
                                            "strings_to_formulas": False, "strings_to_urls": False})
    bold = workbook.add_format({"bold": True})
    number_formats = {kind: workbook.add_format({"num_format": code}) for kind, code in NUMBER_FORMATS.items()}
    bold_numbers = {kind: workbook.add_format({"num_format": code, "bold": True})
                    for kind, code in NUMBER_FORMATS.items()}
    rows_written = 0

    def write(sheet, row, values, kinds, strong=False):
        for column, (value, kind) in enumerate(zip(values, kinds, strict=False)):
            if value is None:
                continue
            if kind != TEXT and isinstance(value, (int, float, Decimal)):
                formats = bold_numbers if strong else number_formats
                sheet.write_number(row, column, float(value), formats.get(kind))
            else:
                sheet.write_string(row, column, safe_text(value), bold if strong else None)

    summary = workbook.add_worksheet(str(_("汇总")))
    summary.set_column(0, 0, 28)
    summary.set_column(1, 1, 20)
    write(summary, 0, [data.title], [TEXT], strong=True)
    write(summary, 1, [data.subtitle], [TEXT])
    row = 2
    for note in data.missing:
        write(summary, row, [note], [TEXT])
        row += 1
    row += 1
    for label, value, kind in data.summary:
        write(summary, row, [label, value], [TEXT, kind])
        row += 1
    for table in data.tables:
        sheet = workbook.add_worksheet(table.name[:31])
        sheet.freeze_panes(1, 0)
        kinds = [kind for _label, kind in table.columns]
        for index, kind in enumerate(kinds):
            sheet.set_column(index, index, 14 if kind != TEXT else 22)
        write(sheet, 0, [label for label, _kind in table.columns], [TEXT] * len(kinds), strong=True)
        row = 1
        for values in table.rows:
            write(sheet, row, values, kinds)
            row += 1
            rows_written += 1
        if table.total:
            write(sheet, row, table.total, kinds, strong=True)
            row += 1
        if table.note:
            write(sheet, row, [table.note], [TEXT])
    workbook.close()
    return rows_written


def build_xlsx_openpyxl(data: ReportData, handle) -> int:
    """The previous builder (openpyxl write-only), kept so the bench can measure both."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    rows_written = 0

    def cells(sheet, values, kinds, font=None):
        row = []
        for value, kind in zip(values, kinds, strict=False):
            cell = WriteOnlyCell(sheet, value=_cell_value(value, kind))
            if kind in NUMBER_FORMATS and isinstance(value, (int, float, Decimal)):
                cell.number_format = NUMBER_FORMATS[kind]
            if font:
                cell.font = font
            row.append(cell)
        return row

    summary = workbook.create_sheet(str(_("汇总")))
    summary.column_dimensions["A"].width = 28
    summary.column_dimensions["B"].width = 20
    summary.append(cells(summary, [data.title], [TEXT], bold))
    summary.append(cells(summary, [data.subtitle], [TEXT]))
    for note in data.missing:
        summary.append(cells(summary, [note], [TEXT]))
    summary.append([])
    for label, value, kind in data.summary:
        summary.append(cells(summary, [label, value], [TEXT, kind]))
    for table in data.tables:
        sheet = workbook.create_sheet(table.name[:31])
        sheet.freeze_panes = "A2"
        kinds = [kind for _label, kind in table.columns]
        for index, (_label, kind) in enumerate(table.columns):
            sheet.column_dimensions[chr(ord("A") + index)].width = 14 if kind != TEXT else 22
        sheet.append(cells(sheet, [label for label, _kind in table.columns], [TEXT] * len(kinds), bold))
        for row in table.rows:
            sheet.append(cells(sheet, row, kinds))
            rows_written += 1
        if table.total:
            sheet.append(cells(sheet, table.total, kinds, bold))
        if table.note:
            sheet.append(cells(sheet, [table.note], [TEXT]))
    workbook.save(handle)
    return rows_written


def build_csv(data: ReportData, handle) -> int:
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    rows_written = 0
    writer.writerow([safe_text(data.title)])
    writer.writerow([safe_text(data.subtitle)])
    for note in data.missing:
        writer.writerow([safe_text(note)])
    for label, value, _kind in data.summary:
        writer.writerow([safe_text(label), value])
    for table in data.tables:
        writer.writerow([])
        writer.writerow([safe_text(f"【{table.name}】")])
        writer.writerow([safe_text(label) for label, _kind in table.columns])
        for row in table.rows:
            writer.writerow([_cell_value(v, k) for v, (_l, k) in zip(row, table.columns, strict=False)])
            rows_written += 1
        if table.total:
            writer.writerow([_cell_value(v, k) for v, (_l, k) in zip(table.total, table.columns, strict=False)])
    text.flush()
    text.detach()
    return rows_written


def svg_bars(chart: dict, width: int = 640, bar_height: int = 18) -> str:
    """A horizontal bar chart as SVG, drawn here so the PDF needs no JavaScript."""
    bars = [(str(label), float(value or 0)) for label, value in chart["bars"]]
    if not bars:
        return ""
    top = max(v for _l, v in bars) or 1
    label_width, gap = 150, 6
    height = len(bars) * (bar_height + gap) + gap
    rows = []
    for index, (label, value) in enumerate(bars):
        y = gap + index * (bar_height + gap)
        length = (width - label_width - 90) * value / top
        rows.append({"label": label, "label_x": label_width - 6, "x": label_width, "y": y, "text_y": y + 13,
                     "length": f"{length:.1f}", "value_x": f"{label_width + length + 4:.1f}", "value": f"{value:,.0f}"})
    return render_to_string("reports/bar_chart.svg", {"width": width, "height": height, "bar_height": bar_height,
                                                       "bars": rows})


def _display(value, kind) -> tuple[str, bool]:
    """(text, is_number) for a PDF cell."""
    if value is None or value == "":
        return ("—" if value is None else "", False)
    if kind == YUAN and isinstance(value, (int, float, Decimal)):
        return f"{Decimal(value):,.2f}", True
    if kind == COUNT and isinstance(value, (int, float, Decimal)):
        return f"{int(value):,}", True
    if kind == PERCENT and isinstance(value, (int, float, Decimal)):
        return f"{Decimal(value):.2f}".rstrip("0").rstrip("."), True
    return str(value), False


# A printed report carries the overview; a table longer than this (3,047 communities)
# is cut in the PDF with a pointer to the Excel version, whose rows are complete. The
# totals row still covers every row.
PDF_MAX_ROWS = 100


def build_pdf(data: ReportData, handle) -> int:
    from weasyprint import HTML

    charts = [{"title": c["title"], "svg": svg_bars(c)} for c in data.charts]
    tables = []
    for table in data.tables:
        kinds = [kind for _label, kind in table.columns]
        note = table.note
        if len(table.rows) > PDF_MAX_ROWS:
            note = (note + " " if note else "") + _(
                "共 %(n)s 行，此处列出前 %(m)s 行；完整明细见同一报表的 Excel 版本。合计行为全部数据之和。") % {
                "n": len(table.rows), "m": PDF_MAX_ROWS}
        tables.append({
            "name": table.name, "note": note, "columns": [label for label, _kind in table.columns],
            "rows": [[_display(v, k) for v, k in zip(row, kinds, strict=False)] for row in table.rows[:PDF_MAX_ROWS]],
            "total": [_display(v, k) for v, k in zip(table.total, kinds, strict=False)] if table.total else None,
        })
    summary = [(label, _display(value, kind)[0]) for label, value, kind in data.summary]
    html = render_to_string("reports/pdf.html", {"data": data, "charts": charts, "tables": tables,
                                                 "summary": summary})
    HTML(string=html).write_pdf(handle)
    return sum(len(t.rows) for t in data.tables)


BUILDERS = {"xlsx": build_xlsx, "csv": build_csv, "pdf": build_pdf}
