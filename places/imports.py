"""Community profiles from Excel (web.spreadsheet does the file and the pages).

A row names a community by its 12-digit 区划代码: an existing one gets its profile
figures updated (an empty cell keeps the current value), a new one is created under
the street given by 所属街道代码. Bureau staff only, and only inside their scope: a row
for a community (or a street) outside it is a row error, like any other.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit import services as audit
from web.spreadsheet import Column, ImportPages

from .access import can_edit_community, scope_for
from .models import Community, Region
from .services import community_update_profile

NUMBER_FIELDS = ("population", "floating_population", "households", "grids", "micro_grids", "party_members")
MAX_COUNT = 10_000_000

COLUMNS = [
    Column("code", gettext_lazy("区划代码"), required=True, example="510181005009",
           note=gettext_lazy("12 位统计用区划代码；已有社区按它更新，新代码则新建社区。")),
    Column("name", gettext_lazy("名称"), example="高桥社区", note=gettext_lazy("新建时必填，如：佳宏路社区、五星村。")),
    Column("official_name", gettext_lazy("组织全称"), example="高桥社区居民委员会"),
    Column("street_code", gettext_lazy("所属街道代码"), example="510181005",
           note=gettext_lazy("9 位街道/乡镇代码，新建时必填；已有社区不因导入改变所属街道。")),
    Column("kind", gettext_lazy("社区类型"), example="城市社区",
           note=gettext_lazy("城市社区、农村社区（村）、村改居社区 或 商居混合社区。")),
    Column("population", gettext_lazy("常住人口"), example="8600"),
    Column("floating_population", gettext_lazy("流动人口"), example="1200"),
    Column("households", gettext_lazy("户数"), example="3100", note=gettext_lazy("不能多于常住人口。")),
    Column("grids", gettext_lazy("网格数"), example="6"),
    Column("micro_grids", gettext_lazy("微网格数"), example="24"),
    Column("party_members", gettext_lazy("党员人数"), example="210"),
]
EXAMPLES = [{c.key: c.example for c in COLUMNS}]


def require_can_import(user) -> None:
    if not scope_for(user).is_bureau:
        raise PermissionDenied(_("只有民政局工作人员可以批量导入社区档案。"))


def _kind(value: str) -> str | None:
    for key, label in Community.Kind.choices:
        if value in (key, str(label)):
            return key
    return None


def _count(value: str, label, errors: list[str]) -> int | None:
    if value == "":
        return None
    if not (value.isascii() and value.isdigit()) or int(value) > MAX_COUNT:
        errors.append(_("%(label)s“%(value)s”应为 0 到 %(max)s 的整数。") % {
            "label": label, "value": value[:20], "max": f"{MAX_COUNT:,}"})
        return None
    return int(value)


def check_rows(*, actor: User, rows: list[tuple[int, dict]], lock: bool = False) -> list[dict]:
    """Every row checked against the database, nothing written: a list of
    {line, data, errors, action (create / update / unchanged), label}."""
    scope = scope_for(actor)
    codes = [data.get("code", "") for _line, data in rows]
    existing_qs = Community.objects.filter(code__in=codes).select_related("street")
    if lock:
        existing_qs = existing_qs.select_for_update(of=("self",))  # not the streets joined in
    existing = {c.code: c for c in existing_qs}
    streets = {r.code: r for r in Region.objects.filter(
        code__in=[data.get("street_code", "") for _line, data in rows], level=Region.Level.STREET)}
    labels = {c.key: c.label for c in COLUMNS}
    seen, checked = {}, []
    for line, data in rows:
        errors, code = [], data.get("code", "")
        values = {key: _count(data.get(key, ""), labels[key], errors) for key in NUMBER_FIELDS}
        kind = _kind(data.get("kind", "")) if data.get("kind") else None
        if data.get("kind") and kind is None:
            errors.append(_("社区类型“%(value)s”无效。") % {"value": data["kind"][:20]})
        for key in ("name", "official_name"):
            if len(data.get(key, "")) > 100:
                errors.append(_("%(label)s最多 100 个字。") % {"label": labels[key]})
        community = existing.get(code)
        action = "update"
        if not (code.isascii() and code.isdigit() and len(code) == 12):
            errors.append(_("区划代码“%(code)s”应为 12 位数字。") % {"code": code[:20]})
        elif code in seen:
            errors.append(_("区划代码 %(code)s 与第 %(first)s 行重复。") % {"code": code, "first": seen[code]})
        elif community is not None:
            if not (scope.is_bureau and can_edit_community(actor, community)):
                errors.append(_("社区 %(code)s 不在您的管辖范围内。") % {"code": code})
            elif not community.is_active:
                errors.append(_("%(name)s已并入其他社区，档案只读。") % {"name": community.name})
        else:
            action = "create"
            street = streets.get(data.get("street_code", ""))
            if street is None:
                errors.append(_("新建社区需填写有效的 9 位所属街道代码。"))
            elif not scope.covers_district(street.parent_id):
                errors.append(_("街道 %(street)s 不在您的管辖范围内。") % {"street": street.name})
            elif not code.startswith(street.code):
                errors.append(_("区划代码 %(code)s 不属于街道 %(street)s。") % {"code": code, "street": street.name})
            if not data.get("name"):
                errors.append(_("新建社区需填写名称。"))
            community = Community(code=code, street=street, name="", kind=Community.Kind.URBAN)
        seen.setdefault(code, line)
        if not errors:
            changes = {key: value for key, value in values.items() if value is not None}
            changes.update({key: data[key] for key in ("name", "official_name") if data.get(key)})
            if kind:
                changes["kind"] = kind
            draft = Community(**{f: getattr(community, f) for f in ("code", "name", "official_name", "kind",
                                                                     *NUMBER_FIELDS)}, street=community.street)
            for key, value in changes.items():
                setattr(draft, key, value)
            try:
                draft.full_clean(exclude=["code", "street", "merged_into"], validate_unique=False)
            except ValidationError as exc:
                errors.extend(message for messages in exc.message_dict.values() for message in messages)
            if action == "update" and all(getattr(community, k) == v for k, v in changes.items()):
                action = "unchanged"
        checked.append({"line": line, "data": data, "errors": errors, "action": action,
                        "label": data.get("name") or (community.name if community else "")})
    return checked


@transaction.atomic
def communities_import(*, actor: User, rows: list[tuple[int, dict]], filename: str = "") -> dict:
    """All rows or none: re-checked under row locks, then each community created or
    updated through the profile service (its own audit row), plus one summary row."""
    require_can_import(actor)
    checked = check_rows(actor=actor, rows=rows, lock=True)
    bad = [row for row in checked if row["errors"]]
    if bad:
        raise ValidationError(_("第 %(lines)s 行有错误，未导入任何数据。") % {
            "lines": "、".join(str(row["line"]) for row in bad[:20])})
    streets = {r.code: r for r in Region.objects.filter(level=Region.Level.STREET, code__in=[
        row["data"].get("street_code", "") for row in checked if row["action"] == "create"])}
    counts = {"create": 0, "update": 0, "unchanged": 0}
    for row in checked:
        data = row["data"]
        profile = {key: int(data[key]) for key in NUMBER_FIELDS if data.get(key, "") != ""}
        profile.update({key: data[key] for key in ("name", "official_name") if data.get(key)})
        if data.get("kind"):
            profile["kind"] = _kind(data["kind"])
        if row["action"] == "create":
            community = Community(code=data["code"], street=streets[data["street_code"]], **profile)
            community.full_clean()
            community.save()
            audit.record(actor=actor, obj=community, action="community.create",
                         data={"source": "import", "file": filename, "line": row["line"]})
        elif row["action"] == "update":
            community_update_profile(community=Community.objects.get(code=data["code"]), actor=actor, data=profile)
        counts[row["action"]] += 1
    audit.record(actor=actor, obj=actor, action="communities.import",
                 data={"file": filename, "rows": len(checked), **counts})
    return counts


def run_import(*, actor: User, rows: list[tuple[int, dict]], filename: str) -> str:
    counts = communities_import(actor=actor, rows=rows, filename=filename)
    return _("已导入：新建 %(create)s 个社区，更新 %(update)s 个，%(unchanged)s 个无变化。") % counts


PAGES = ImportPages(
    kind="communities", title=gettext_lazy("批量导入社区档案"), columns=COLUMNS, check=check_rows,
    run=run_import, require=require_can_import, upload_url="places:community_import",
    preview_url="places:community_import_preview", template_url="places:community_import_template",
    done_url="places:community_list",
)
