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
