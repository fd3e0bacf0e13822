import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from places.demo import load_divisions
from places.models import Community, Region
from places.services import DivisionImportError, divisions_import, read_division_file

pytestmark = pytest.mark.django_db


def test_shipped_chengdu_file_gives_the_published_counts():
    # Loaded once for the test database by conftest, through the same importer.
    assert Region.objects.filter(level="city").count() == 1
    assert Region.objects.filter(level="district").count() == 20
    assert Region.objects.filter(level="street").count() == 261
    assert Community.objects.count() == 3047
    assert Community.objects.filter(street__parent__name="都江堰市").count() == 166


def test_names_and_kinds_come_from_the_official_rows():
    jiahonglu = Community.objects.get(code="510104032009")
    assert (jiahonglu.name, jiahonglu.official_name) == ("佳宏路社区", "佳宏路社区居委会")
    assert jiahonglu.kind == Community.Kind.URBAN
    wuxing = Community.objects.get(code="510184112209")
    assert (wuxing.name, wuxing.kind) == ("五星村", Community.Kind.RURAL)
    assert wuxing.street.parent.name == "崇州市"


def test_second_import_changes_nothing():
    jiahonglu = Community.objects.get(code="510104032009")
    jiahonglu.population = 12375  # a profile edit must survive a re-import
    jiahonglu.kind = Community.Kind.MIXED
    jiahonglu.save()
    result = load_divisions()
    assert result.changed == 0
    assert result.unchanged == 3329
    jiahonglu.refresh_from_db()
    assert (jiahonglu.population, jiahonglu.kind) == (12375, Community.Kind.MIXED)


def test_bad_rows_are_reported_by_line_and_nothing_is_imported(tmp_path):
    path = tmp_path / "divisions.csv"
    path.write_text(
        "code,name,level,parent_code\n"
        "510181005901,新建社区居委会,community,510181005\n"
        "51018100590X,坏代码,community,510181005\n"
        "510181005902,孤儿社区,community,510199999\n",
        encoding="utf-8",
    )
    with pytest.raises(DivisionImportError) as exc:
        divisions_import(rows=read_division_file(path))
    assert any("第 3 行" in e for e in exc.value.errors)
    assert not Community.objects.filter(code="510181005901").exists()


def test_unknown_parent_is_reported_and_nothing_is_imported(tmp_path):
    path = tmp_path / "divisions.csv"
    path.write_text(
        "code,name,level,parent_code\n"
        "510181005901,新建社区居委会,community,510181005\n"
        "510181005902,孤儿社区居委会,community,510199999\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as exc:
        call_command("import_divisions", str(path))
    assert "第 3 行" in str(exc.value) and "510199999" in str(exc.value)
    assert not Community.objects.filter(code="510181005901").exists()


def test_xlsx_is_read_like_csv(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["code", "name", "level", "parent_code"])
    sheet.append(["510181005901", "新建社区居委会", "community", "510181005"])
    path = tmp_path / "divisions.xlsx"
    workbook.save(path)
    result = divisions_import(rows=read_division_file(path))
    assert result.created["community"] == 1
    new = Community.objects.get(code="510181005901")
    assert (new.name, new.street.name) == ("新建社区", "银杏街道")


# --- files as people save them (issue 14) -----------------------------------------

HEADER = "code,name,level,parent_code\n"
GOOD_ROW = "510181005901,新建社区居委会,community,510181005\n"


def _import(tmp_path, content: bytes, name="divisions.csv"):
    path = tmp_path / name
    path.write_bytes(content)
    return divisions_import(rows=read_division_file(path))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_utf8_with_or_without_bom_and_gb18030_files_import(tmp_path, encoding):
    result = _import(tmp_path, (HEADER + GOOD_ROW).encode(encoding))
    assert result.created["community"] == 1
    assert Community.objects.get(code="510181005901").official_name == "新建社区居委会"


@pytest.mark.parametrize(("content", "message"), [
    (b"", "文件为空"),
    (b"  \n\n", "文件为空"),
    (HEADER.encode(), "没有区划数据"),
    ("代码,名称,层级,上级\n".encode() + GOOD_ROW.encode(), "code, name, level, parent_code"),
    (b"code,name\n510181005901,x\n", "缺少 level, parent_code"),
])
def test_empty_files_and_wrong_headers_are_refused_in_chinese(tmp_path, content, message):
    with pytest.raises(DivisionImportError) as exc:
        _import(tmp_path, content)
    assert message in exc.value.errors[0]
    assert not Community.objects.filter(code="510181005901").exists()


def test_long_names_and_odd_characters_are_row_errors_and_nothing_is_imported(tmp_path):
    content = (HEADER + GOOD_ROW + "510181005902," + "长" * 300 + ",community,510181005\n"
               "51018100590²,上标社区,community,510181005\n"
               "510181005904,控制\x07字符,community,510181005\n").encode()
    with pytest.raises(DivisionImportError) as exc:
        _import(tmp_path, content)
    errors = exc.value.errors
    assert any(e.startswith("第 3 行") and "300 个字" in e for e in errors)
    assert any(e.startswith("第 4 行") and "6、9 或 12 位数字" in e for e in errors)
    assert any(e.startswith("第 5 行") and "控制字符" in e for e in errors)
    assert not Community.objects.filter(code="510181005901").exists()  # all or nothing


def test_an_empty_or_broken_xlsx_is_refused_in_chinese(tmp_path):
    from openpyxl import Workbook

    with pytest.raises(DivisionImportError) as exc:
        _import(tmp_path, b"not a zip file", name="divisions.xlsx")
    assert "无法打开 Excel 文件" in exc.value.errors[0]
    empty = tmp_path / "empty.xlsx"
    Workbook().save(empty)
    with pytest.raises(DivisionImportError) as exc:
        divisions_import(rows=read_division_file(empty))
    assert "文件为空" in exc.value.errors[0] or "表头" in exc.value.errors[0]
