"""Social organisations from Excel (web.spreadsheet does the file and the pages).

A row names an organisation by its 统一社会信用代码: a known code updates that
organisation (an empty cell keeps the current value), a new one registers it. Bureau
staff only, within their scope — a row registered in (or moved to) a district outside
it, or updating an organisation they don't keep, is a row error. A code failing its
check character needs a recorded reason, which is a one-by-one decision: such rows are
refused here and registered through the form.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit import services as audit
from places.access import scope_for
from places.models import Community, Region
from web.spreadsheet import Column, ImportPages

from .access import can_place_organization_in, require_can_create_organization
from .models import Organization
from .services import organization_create, organization_update
from .uscc import normalize, validate_credit_code

COLUMNS = [
    Column("credit_code", gettext_lazy("统一社会信用代码"), required=True, example="52510181MJ0000000X",
           note=gettext_lazy("18 位，GB 32100-2015；已登记的代码按它更新，新代码则登记新组织。")),
    Column("name", gettext_lazy("组织名称"), example="都江堰市融祥社会工作服务中心",
           note=gettext_lazy("新登记时必填。")),
    Column("kind", gettext_lazy("组织类型"), example="社工机构",
           note=gettext_lazy("社会组织、社工机构、枢纽型组织、社区基金会、社会企业、高校、商家 或 社区两委。")),
    Column("region_code", gettext_lazy("登记地代码"), example="510181",
           note=gettext_lazy("登记管理机关所在市或区（市）县的 6 位代码，新登记时必填。")),
    Column("community_code", gettext_lazy("所在社区代码"), example="510181005009",
           note=gettext_lazy("可选，12 位社区代码。")),
    Column("legal_representative", gettext_lazy("法定代表人"), example="张三"),
    Column("contact_name", gettext_lazy("联系人"), example="李四"),
    Column("contact_phone", gettext_lazy("联系电话"), example="028-88880000"),
    Column("address", gettext_lazy("地址"), example="都江堰市银杏街道高桥路 1 号"),
    Column("established_on", gettext_lazy("成立日期"), example="2015-06-01", note=gettext_lazy("格式：2015-06-01。")),
]
TEXT_FIELDS = ("name", "legal_representative", "contact_name", "contact_phone", "address")
EARLIEST = datetime.date(1949, 10, 1)


def require_can_import(user) -> None:
    if not scope_for(user).is_bureau:
        raise PermissionDenied(_("只有民政局工作人员可以批量导入社会组织。"))


def _kind(value: str) -> str | None:
    for key, label in Organization.Kind.choices:
        if value in (key, str(label)):
            return key
    return None


def _date(value: str, errors: list[str]) -> datetime.date | None:
    try:
        day = datetime.date.fromisoformat(value.replace("/", "-"))
    except ValueError:
        errors.append(_("成立日期“%(value)s”应写作 2015-06-01。") % {"value": value[:20]})
        return None
    if not EARLIEST <= day <= timezone.localdate():
        errors.append(_("成立日期 %(day)s 不在 1949-10-01 到今天之间。") % {"day": day.isoformat()})
        return None
    return day


def _fields(data: dict, regions: dict, communities: dict, errors: list[str]) -> dict:
    """The row's non-empty cells as model values; bad cells become errors."""
    values = {key: data[key] for key in TEXT_FIELDS if data.get(key)}
    if data.get("kind"):
        values["kind"] = _kind(data["kind"])
        if values["kind"] is None:
            errors.append(_("组织类型“%(value)s”无效。") % {"value": data["kind"][:20]})
    if data.get("region_code"):
        values["region"] = regions.get(data["region_code"])
        if values["region"] is None:
            errors.append(_("登记地代码 %(code)s 不是市或区（市）县。") % {"code": data["region_code"][:20]})
    if data.get("community_code"):
        values["community"] = communities.get(data["community_code"])
        if values["community"] is None:
            errors.append(_("找不到社区 %(code)s。") % {"code": data["community_code"][:20]})
    if data.get("established_on"):
        values["established_on"] = _date(data["established_on"], errors)
    return values


def _lookups(rows):
    regions = {r.code: r for r in Region.objects.filter(
        level__in=[Region.Level.CITY, Region.Level.DISTRICT],
        code__in=[data.get("region_code", "") for _line, data in rows])}
    communities = {c.code: c for c in Community.objects.filter(
        code__in=[data.get("community_code", "") for _line, data in rows])}
    return regions, communities


def check_rows(*, actor: User, rows: list[tuple[int, dict]], lock: bool = False) -> list[dict]:
    """Every row checked against the database, nothing written."""
    scope = scope_for(actor)
    regions, communities = _lookups(rows)
    # Lookup by the normalised form of every code; a bad code simply finds nothing.
    codes = [normalize(data.get("credit_code", "")) for _line, data in rows]
    existing_qs = Organization.objects.filter(credit_code__in=codes)
    if lock:
        existing_qs = existing_qs.select_for_update()
    existing = {o.credit_code: o for o in existing_qs}
    seen, checked = {}, []
    for line, data in rows:
        errors = []
        try:
            code = validate_credit_code(data.get("credit_code", ""))
        except ValidationError as exc:
            code = None
            errors.extend(_("统一社会信用代码：%(reason)s") % {"reason": m} for m in exc.messages)
        values = _fields(data, regions, communities, errors)
        organization = existing.get(code)
        action = "create" if organization is None else "update"
        if code and code in seen:
            errors.append(_("统一社会信用代码 %(code)s 与第 %(first)s 行重复。") % {"code": code, "first": seen[code]})
        elif organization is not None and not (
                scope.city_wide or organization.region_id in scope.bureau_district_ids):
            errors.append(_("“%(name)s”不在您的管辖范围内。") % {"name": organization.name})
        elif organization is None and code and not values.get("name"):
            errors.append(_("新登记组织需填写组织名称。"))
        elif organization is None and code and "region" not in values and not errors:
            errors.append(_("新登记组织需填写登记地代码。"))
        region = values.get("region")
        if region is not None and not can_place_organization_in(actor, region) and (
                organization is None or region.pk != organization.region_id):
            errors.append(_("登记地 %(region)s 不在您的管辖范围内。") % {"region": region.name})
        if code:
            seen.setdefault(code, line)
        if not errors:
            draft = Organization(credit_code=code) if organization is None else Organization(
                **{f.attname: getattr(organization, f.attname) for f in Organization._meta.concrete_fields})
            for key, value in values.items():
                setattr(draft, key, value)
            try:
                draft.full_clean(exclude=["credit_code"], validate_unique=False)
            except ValidationError as exc:
                errors.extend(message for messages in exc.message_dict.values() for message in messages)
            if organization is not None and all(getattr(organization, k) == v for k, v in values.items()):
                action = "unchanged"
        checked.append({"line": line, "data": data, "errors": errors, "action": action,
                        "label": data.get("name") or (organization.name if organization else "")})
    return checked


@transaction.atomic
def organizations_import(*, actor: User, rows: list[tuple[int, dict]], filename: str = "") -> dict:
    """All rows or none, each written by the organisation services (their own checks and
    audit rows), plus one summary audit row."""
    require_can_create_organization(actor)
    require_can_import(actor)
    checked = check_rows(actor=actor, rows=rows, lock=True)
    bad = [row for row in checked if row["errors"]]
    if bad:
        raise ValidationError(_("第 %(lines)s 行有错误，未导入任何数据。") % {
            "lines": "、".join(str(row["line"]) for row in bad[:20])})
    regions, communities = _lookups(rows)
    counts = {"create": 0, "update": 0, "unchanged": 0}
    for row in checked:
        values = _fields(row["data"], regions, communities, [])
        code = validate_credit_code(row["data"]["credit_code"])
        if row["action"] == "create":
            organization_create(actor=actor, credit_code=code, **values)
        elif row["action"] == "update":
            organization_update(organization=Organization.objects.get(credit_code=code), actor=actor, data=values)
        counts[row["action"]] += 1
    audit.record(actor=actor, obj=actor, action="organizations.import",
                 data={"file": filename, "rows": len(checked), **counts})
    return counts


def run_import(*, actor: User, rows: list[tuple[int, dict]], filename: str) -> str:
    counts = organizations_import(actor=actor, rows=rows, filename=filename)
    return _("已导入：登记 %(create)s 个组织，更新 %(update)s 个，%(unchanged)s 个无变化。") % counts


PAGES = ImportPages(
    kind="organizations", title=gettext_lazy("批量导入社会组织"), columns=COLUMNS,
    check=check_rows, run=run_import, require=require_can_import,
    upload_url="organizations:organization_import", preview_url="organizations:organization_import_preview",
    template_url="organizations:organization_import_template", done_url="organizations:organization_list",
)
