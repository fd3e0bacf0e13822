"""Writes and workflow steps for places. Each runs in one transaction and
leaves an audit row."""

import codecs
import datetime
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from audit import services as audit

from .access import can_edit_community
from .models import Community, Region

COMMUNITY_PROFILE_FIELDS = (
    "name",
    "official_name",
    "kind",
    "population",
    "floating_population",
    "households",
    "grids",
    "micro_grids",
    "party_members",
)


@transaction.atomic
def community_update_profile(*, community: Community, actor: User, data: dict) -> Community:
    community = Community.objects.select_for_update().get(pk=community.pk)
    if not community.is_active:
        raise ValidationError(_("该社区已并入%(target)s，档案不能再修改。") % {"target": community.merged_into})
    if not can_edit_community(actor, community):
        raise PermissionDenied(_("只有管辖该社区的民政局工作人员和社区工作人员可以修改社区档案。"))
    changes = {}
    for name in COMMUNITY_PROFILE_FIELDS:
        if name in data and getattr(community, name) != data[name]:
            changes[name] = [getattr(community, name), data[name]]
            setattr(community, name, data[name])
    if changes:
        community.full_clean()
        community.save()
        audit.record(actor=actor, obj=community, action="community.update", data={"changes": changes})
    return community


@transaction.atomic
def community_merge(
    *, community: Community, into: Community, merged_on: datetime.date, actor: User, reason: str
) -> Community:
    """Merge `community` into `into` on a date. The merged community stays, read-only,
    pointing at its successor; nothing that hangs on it is moved or lost."""
    if not reason.strip():
        raise ValidationError({"reason": _("请填写合并依据（如区划调整文件文号）。")})
    if community.pk == into.pk:
        raise ValidationError({"into": _("不能把社区并入它自己。")})
    # Lock both rows in a fixed order so that two merges cannot cross.
    locked = {c.pk: c for c in Community.objects.select_for_update().filter(pk__in=[community.pk, into.pk])
              .order_by("pk")}
    community, into = locked[community.pk], locked[into.pk]
    if not community.is_active:
        raise ValidationError(_("%(name)s已于%(date)s并入%(target)s，不能重复合并。") % {
            "name": community, "date": community.merged_on, "target": community.merged_into})
    if not into.is_active:
        raise ValidationError({"into": _("%(name)s本身已被合并，请选择现存社区。") % {"name": into}})
    updated = Community.objects.filter(pk=community.pk, merged_into__isnull=True).update(
        merged_into=into, merged_on=merged_on
    )
    if updated != 1:
        raise ValidationError(_("该社区刚刚已被他人办理合并，请刷新页面。"))
    community.refresh_from_db()
    audit.record(
        actor=actor,
        obj=community,
        action="community.merge",
        from_state="active",
        to_state="merged",
        reason=reason,
        data={"into": into.pk, "into_name": into.name, "merged_on": merged_on.isoformat()},
    )
    audit.record(
        actor=actor,
        obj=into,
        action="community.absorb",
        reason=reason,
        data={"absorbed": community.pk, "absorbed_name": community.name, "merged_on": merged_on.isoformat()},
    )
    return community


# --- Importing administrative divisions -------------------------------------------

LEVEL_ORDER = {"city": 0, "district": 1, "street": 2, "community": 3}
COMMUNITY_SUFFIXES = ("居民委员会", "村民委员会", "居委会", "村委会")


class DivisionImportError(Exception):
    """Raised with every bad row; nothing has been written."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class DivisionImportResult:
    created: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEVEL_ORDER, 0))
    updated: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEVEL_ORDER, 0))
    unchanged: int = 0

    @property
    def changed(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())


def community_short_name(official_name: str) -> str:
    """佳宏路社区居委会 → 佳宏路社区, 五星村村民委员会 → 五星村."""
    for suffix in COMMUNITY_SUFFIXES:
        if official_name.endswith(suffix) and len(official_name) > len(suffix):
            return official_name[: -len(suffix)]
    return official_name


def community_kind_from_code(code: str) -> str:
    # NBS urban-rural codes: the last three digits 001–199 are residents' committees,
    # 200–399 villagers' committees.
    return Community.Kind.URBAN if int(code[-3:]) < 200 else Community.Kind.RURAL


DIVISION_COLUMNS = ("code", "name", "level", "parent_code")
NAME_MAX_LENGTH = 100  # Region.name, Community.name and official_name


def _printable(text: str) -> bool:
    # Control and unassigned characters (category C*) have no place in a name.
    return all(not unicodedata.category(ch).startswith("C") for ch in text)


def _validate_division_rows(rows: list[tuple[int, dict]]) -> list[str]:
    errors = []
    seen = {}
    for line, row in rows:
        code, name, level = row.get("code", ""), row.get("name", ""), row.get("level", "")
        # isascii: "²" and full-width digits pass str.isdigit() but are not code digits.
        if not (code.isascii() and code.isdigit()) or len(code) not in (6, 9, 12):
            errors.append(_("第 %(line)s 行：区划代码“%(code)s”应为 6、9 或 12 位数字。") % {
                "line": line, "code": code[:20]})
        parent_code = row.get("parent_code", "")
        if parent_code and not (parent_code.isascii() and parent_code.isdigit()):
            errors.append(_("第 %(line)s 行：上级代码“%(code)s”应为数字。") % {"line": line, "code": parent_code[:20]})
        if not name:
            errors.append(_("第 %(line)s 行：名称不能为空。") % {"line": line})
        elif len(name) > NAME_MAX_LENGTH:
            errors.append(_("第 %(line)s 行：名称有 %(n)s 个字，最多 %(max)s 个。") % {
                "line": line, "n": len(name), "max": NAME_MAX_LENGTH})
        elif not _printable(name):
            errors.append(_("第 %(line)s 行：名称含有无法显示的控制字符。") % {"line": line})
        if level not in LEVEL_ORDER:
            errors.append(_("第 %(line)s 行：层级“%(level)s”无效，应为 city、district、street 或 community。") % {
                "line": line, "level": level[:20]})
        if code in seen:
            errors.append(_("第 %(line)s 行：区划代码 %(code)s 与第 %(first)s 行重复。") % {
                "line": line, "code": code, "first": seen[code]})
        seen[code] = line
    return errors


@transaction.atomic
def divisions_import(*, rows: list[tuple[int, dict]], actor: User | None = None) -> DivisionImportResult:
    """Load divisions (code, name, level, parent_code) idempotently.

    All rows are checked first and every bad row is reported by line number; then the
    whole file is written in one transaction, so nothing is ever half-imported.
    Re-importing only fills in what changed in the file; profile fields that people
    edit (type, population, …) are never overwritten.
    """
    rows = [(line, {k: (v or "").strip() for k, v in row.items()}) for line, row in rows]
    errors = _validate_division_rows(rows)
    if errors:
        raise DivisionImportError(errors)
    rows.sort(key=lambda item: (LEVEL_ORDER[item[1]["level"]], item[1]["code"]))
    regions = {r.code: r for r in Region.objects.select_for_update()}
    communities = {c.code: c for c in Community.objects.select_for_update()}
    result = DivisionImportResult()
    errors = []
    new_communities, changed_communities = [], []
    expected_parent = {"district": Region.Level.CITY, "street": Region.Level.DISTRICT, "community": Region.Level.STREET}

    for line, row in rows:
        code, name, level, parent_code = row["code"], row["name"], row["level"], row.get("parent_code", "")
        parent = regions.get(parent_code)
        if level != "city":
            if parent is None:
                errors.append(_("第 %(line)s 行：找不到上级区划 %(parent)s。") % {"line": line, "parent": parent_code})
                continue
            if parent.level != expected_parent[level]:
                errors.append(_("第 %(line)s 行：上级 %(parent)s 是%(plevel)s，不能作为%(level)s的上级。") % {
                    "line": line, "parent": parent_code, "plevel": parent.get_level_display(), "level": level})
                continue
        if level == "community":
            existing = communities.get(code)
            if existing is None:
                new_communities.append(Community(
                    code=code, official_name=name, name=community_short_name(name), street=parent,
                    kind=community_kind_from_code(code),
                ))
                result.created[level] += 1
            elif existing.official_name != name or existing.street_id != parent.pk:
                existing.official_name, existing.street = name, parent
                changed_communities.append(existing)
                result.updated[level] += 1
            else:
                result.unchanged += 1
        else:
            existing = regions.get(code)
            parent_id = parent.pk if parent and level != "city" else None
            if existing is None:
                regions[code] = Region.objects.create(code=code, name=name, level=level, parent_id=parent_id)
                result.created[level] += 1
            elif (existing.name, existing.level, existing.parent_id) != (name, level, parent_id):
                existing.name, existing.level, existing.parent_id = name, level, parent_id
                existing.save()
                result.updated[level] += 1
            else:
                result.unchanged += 1
    if errors:
        raise DivisionImportError(errors)
    Community.objects.bulk_create(new_communities, batch_size=500)
    Community.objects.bulk_update(changed_communities, ["official_name", "street"], batch_size=500)
    if result.changed:
        city = next((r for r in regions.values() if r.level == Region.Level.CITY), None)
        if city is not None:
            audit.record(actor=actor, obj=city, action="divisions.import",
                         data={"created": result.created, "updated": result.updated})
    return result


def _decode(raw: bytes) -> str:
    """UTF-8 with or without BOM, else GB18030 (which covers GBK and GB2312): the
    encodings a spreadsheet on a bureau's computer saves CSV in."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8):].decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        raise DivisionImportError([_("无法识别文件编码：请另存为 UTF-8 或 GB18030（GBK）编码的 CSV。")]) from None


def _check_header(header: list[str]) -> None:
    missing = [column for column in DIVISION_COLUMNS if column not in header]
    if missing:
        raise DivisionImportError([_("第 1 行表头应包含列：%(expected)s；缺少 %(missing)s（文件里是：%(found)s）。") % {
            "expected": ", ".join(DIVISION_COLUMNS), "missing": ", ".join(missing),
            "found": ", ".join(h[:20] for h in header[:8]) or _("空")}])


def read_division_file(path) -> list[tuple[int, dict]]:
    """Rows of a CSV (UTF-8 with or without BOM, or GB18030) or xlsx file, numbered as
    the user sees them in a spreadsheet (the header is line 1). A file that is empty,
    undecodable or has the wrong header raises DivisionImportError in Chinese."""
    import csv
    import io
    from pathlib import Path

    path = Path(path)
    empty = DivisionImportError([_("文件为空：第 1 行应为表头 %(columns)s，其后每行一个区划。") % {
        "columns": ", ".join(DIVISION_COLUMNS)}])
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except (OSError, ValueError, KeyError, zipfile.BadZipFile):
            raise DivisionImportError([_("无法打开 Excel 文件：请确认是 .xlsx 格式且未损坏。")]) from None
        try:
            lines = workbook.active.iter_rows(values_only=True)
            first = next(lines, None)
            if first is None:
                raise empty
            header = [str(h or "").strip().lower() for h in first]
            _check_header(header)
            rows = [
                (number, {h: ("" if v is None else str(v)) for h, v in zip(header, values, strict=False)})
                for number, values in enumerate(lines, start=2)
                if any(v not in (None, "") for v in values)
            ]
        finally:
            workbook.close()
    else:
        text = _decode(path.read_bytes())
        if not text.strip():
            raise empty
        try:
            reader = csv.reader(io.StringIO(text, newline=""))
            header = [h.strip().lower() for h in next(reader)]
            _check_header(header)
            rows = [(number, dict(zip(header, values, strict=False)))
                    for number, values in enumerate(reader, start=2) if any(v.strip() for v in values)]
        except csv.Error as exc:
            raise DivisionImportError([_("CSV 格式有误（第 %(line)s 行附近），请检查引号与分隔符。") % {
                "line": reader.line_num}]) from exc
    if not rows:
        raise DivisionImportError([_("文件只有表头，没有区划数据。")])
    return rows
