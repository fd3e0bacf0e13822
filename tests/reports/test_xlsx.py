"""The direct xlsx writer (reports.xlsx) produces the same cells, formats and panes as
the XlsxWriter builder it replaced, and survives awkward text."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from places.reporting import COUNT, PERCENT, TEXT, YUAN, ReportData, Table
from reports.builders import build_xlsx, build_xlsx_xlsxwriter
from reports.xlsx import Workbook, column_letter


def _data() -> ReportData:
    data = ReportData(title="成都市资金报告 & <测试>", subtitle="  前后有空格  ")
    data.missing.append("缺\x01数据")
    data.summary = [("立项金额（元）", Decimal("111111.10"), YUAN), ("项目数", 4, COUNT),
                    ("平均分", Decimal("85.5"), PERCENT)]
    rows = [[f"社区{i}", '=HYPERLINK("http://x")' if i == 0 else f"街道{i}", i, Decimal(i) * Decimal("1000.25"),
             None, Decimal("12.5")] for i in range(30)]
    data.tables.append(Table("按社区", [("社区", TEXT), ("街道", TEXT), ("项目数", COUNT), ("立项金额", YUAN),
                                      ("已支出", YUAN), ("使用率%", PERCENT)], rows,
                             ["合计", "", 435, sum(r[3] for r in rows), None, None], note="说明"))
    data.tables.append(Table("空表", [("等级", TEXT), ("评估数", COUNT)], []))
    return data


def _cells(handle_bytes):
    book = load_workbook(io.BytesIO(handle_bytes))
    return {name: ([[(c.value, c.number_format, bool(c.font.b)) for c in row] for row in book[name].iter_rows()],
                   book[name].freeze_panes) for name in book.sheetnames}


def test_same_cells_formats_and_panes_as_xlsxwriter():
    new, old = io.BytesIO(), io.BytesIO()
    assert build_xlsx(_data(), new) == build_xlsx_xlsxwriter(_data(), old) == 30
    ours, theirs = _cells(new.getvalue()), _cells(old.getvalue())
    assert ours == theirs
    sheet, panes = ours["按社区"]
    assert panes == "A2"
    assert sheet[1][1][0] == "'=HYPERLINK(\"http://x\")"  # formula injection neutralised
    assert sheet[-2][3] == (float(sum(Decimal(i) * Decimal("1000.25") for i in range(30))), "#,##0.00", True)
    summary, _panes = ours["汇总"]
    assert summary[0][0][0] == "成都市资金报告 & <测试>" and summary[1][0][0] == "  前后有空格  "


def test_sheet_names_must_be_unique_and_columns_go_past_z():
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
    with Workbook(io.BytesIO()) as book:
        book.add_sheet("汇总")
        with pytest.raises(ValueError):
            book.add_sheet("汇总")
