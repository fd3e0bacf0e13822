"""Writes for residents: registration (one by one and from Excel), invite codes and
SMS sign-in codes. A resident signs in with their mobile number as user name."""

import datetime
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from places.models import Community, Courtyard, Household, ResidentGroup

from . import access, sms
from .models import InviteCode, Resident, SignInCode

User = get_user_model()

MOBILE = re.compile(r"^1[3-9]\d{9}$")
# No 0/O, 1/I/L: the code is typed from paper when the QR code cannot be scanned.
INVITE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
INVITE_LENGTH = 10
SIGNIN_TTL = datetime.timedelta(minutes=10)
SIGNIN_RESEND = datetime.timedelta(seconds=60)
SIGNIN_MAX_ATTEMPTS = 5
IMPORT_MAX_ROWS = 2000
IMPORT_COLUMNS = ["姓名", "手机号", "户号", "住址", "院落/小区", "居民小组", "干部"]


def _invite_days() -> int:
    return int(getattr(settings, "RESIDENT_INVITE_DAYS", 14))


def normalise_invite(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").upper()


def invite_hash(code: str) -> str:
    return hashlib.sha256(normalise_invite(code).encode()).hexdigest()


def _signin_hash(user_id: int, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{user_id}:{code}".encode(), hashlib.sha256).hexdigest()


# --- registration ---------------------------------------------------------------------


@dataclass
class ResidentRow:
    """One resident to register, as typed on the page or read from a spreadsheet row."""

    real_name: str
    phone: str
    household_number: str
    address: str = ""
    courtyard_name: str = ""
    group_name: str = ""
    is_cadre: bool = False
    line: int = 0
    errors: list[str] = field(default_factory=list)


def _check_row(row: ResidentRow, community: Community, seen_phones: set[str]) -> None:
    row.real_name, row.phone = row.real_name.strip(), re.sub(r"[\s-]", "", row.phone)
    row.household_number = row.household_number.strip()
    if not row.real_name or len(row.real_name) > 50:
        row.errors.append(_("姓名必填，最多 50 字。"))
    if not MOBILE.match(row.phone):
        row.errors.append(_("手机号应为 11 位大陆手机号码。"))
    elif row.phone in seen_phones:
        row.errors.append(_("手机号在表中重复。"))
    elif User.objects.filter(username=row.phone).exists():
        row.errors.append(_("该手机号已登记为平台账号。"))
    seen_phones.add(row.phone)
    if not row.household_number or len(row.household_number) > 32:
        row.errors.append(_("户号必填，最多 32 字。"))
    if len(row.address) > 200:
        row.errors.append(_("住址最多 200 字。"))
    if row.courtyard_name and not Courtyard.objects.filter(community=community, name=row.courtyard_name).exists():
        row.errors.append(_("本社区没有名为“%(n)s”的院落/小区。") % {"n": row.courtyard_name})
    if row.group_name and not ResidentGroup.objects.filter(community=community, name=row.group_name).exists():
        row.errors.append(_("本社区没有名为“%(n)s”的居民小组。") % {"n": row.group_name})


def _require_keeper(actor, community: Community) -> None:
    if not access.can_keep_residents(actor, community):
        raise PermissionDenied(_("只有本社区工作人员可以登记本社区居民。"))


def _create(row: ResidentRow, *, community: Community, actor) -> Resident:
    courtyard = Courtyard.objects.filter(community=community, name=row.courtyard_name).first() \
        if row.courtyard_name else None
    group = ResidentGroup.objects.filter(community=community, name=row.group_name).first() if row.group_name else None
    household, _created = Household.objects.get_or_create(
        community=community, number=row.household_number,
        defaults={"address": row.address, "courtyard": courtyard, "group": group})
    user = User(username=row.phone, phone=row.phone, real_name=row.real_name)
    user.set_unusable_password()  # the resident sets one with their invite code
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # someone registered the number a moment ago: the unique user name guards it
        raise ValidationError({"phone": _("该手机号已登记为平台账号。")}) from None
    resident = Resident.objects.create(
        user=user, community=community, household=household, courtyard=courtyard or household.courtyard,
        group=group or household.group, is_cadre=row.is_cadre, registered_by=actor)
    audit.record(actor=actor, obj=resident, action="resident.register")
    return resident


@transaction.atomic
def resident_register(*, actor, community: Community, real_name: str, phone: str, household_number: str,
                      address: str = "", courtyard_name: str = "", group_name: str = "",
                      is_cadre: bool = False) -> Resident:
    _require_keeper(actor, community)
    row = ResidentRow(real_name=real_name, phone=phone, household_number=household_number, address=address,
                      courtyard_name=courtyard_name, group_name=group_name, is_cadre=is_cadre)
    _check_row(row, community, set())
    if row.errors:
        raise ValidationError(row.errors)
    return _create(row, community=community, actor=actor)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def residents_parse_workbook(upload) -> list[ResidentRow]:
    """Read the first sheet: a header row with IMPORT_COLUMNS (in any order), then one
    resident per row. Blank rows are skipped."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError({"file": _("无法读取该文件，请上传 .xlsx 格式的 Excel 表格。")}) from None
    rows = workbook.worksheets[0].iter_rows(values_only=True)
    header = [_cell(v) for v in next(rows, ())]
    missing = [c for c in IMPORT_COLUMNS[:3] if c not in header]
    if missing:
        raise ValidationError({"file": _("表头缺少：%(c)s（第一行应为：%(all)s）。") % {
            "c": _("、").join(missing), "all": _("、").join(IMPORT_COLUMNS)}})
    index = {name: header.index(name) for name in IMPORT_COLUMNS if name in header}
    parsed = []
    for line, values in enumerate(rows, start=2):
        cells = {name: _cell(values[i]) if i < len(values) else "" for name, i in index.items()}
        if not any(cells.values()):
            continue
        if len(parsed) >= IMPORT_MAX_ROWS:
            raise ValidationError({"file": _("一次最多导入 %(n)s 行。") % {"n": IMPORT_MAX_ROWS}})
        parsed.append(ResidentRow(
            real_name=cells.get("姓名", ""), phone=cells.get("手机号", ""), household_number=cells.get("户号", ""),
            address=cells.get("住址", ""), courtyard_name=cells.get("院落/小区", ""),
            group_name=cells.get("居民小组", ""), is_cadre=cells.get("干部", "") in ("是", "1", "Y", "y", "干部"),
            line=line))
    workbook.close()
    if not parsed:
        raise ValidationError({"file": _("表格中没有居民数据。")})
    return parsed


def residents_import_preview(*, actor, community: Community, rows: list[ResidentRow]) -> list[ResidentRow]:
    """Check every row; the rows come back with their errors for the preview table."""
    _require_keeper(actor, community)
    seen: set[str] = set()
    for row in rows:
        row.errors = []
        _check_row(row, community, seen)
    return rows


@transaction.atomic
def residents_import(*, actor, community: Community, rows: list[ResidentRow]) -> list[Resident]:
    """All or nothing: any row with an error and nobody is registered."""
    rows = residents_import_preview(actor=actor, community=community, rows=rows)
    bad = [row for row in rows if row.errors]
    if bad:
        raise ValidationError(_("有 %(n)s 行有错误，未导入任何居民。请修改后重新上传。") % {"n": len(bad)})
    return [_create(row, community=community, actor=actor) for row in rows]


# --- invite codes ---------------------------------------------------------------------


@transaction.atomic
def invites_issue(*, actor, residents: list[Resident]) -> list[tuple[Resident, str, datetime.datetime]]:
    """New one-time codes for the residents (earlier unused ones are revoked). Returns
    (resident, code, expires_at): the plain code exists only in this return value."""
    now = timezone.now()
    expires = now + datetime.timedelta(days=_invite_days())
    issued = []
    for resident in residents:
        _require_keeper(actor, resident.community)
        InviteCode.objects.filter(resident=resident, used_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=now)
        code = "".join(secrets.choice(INVITE_ALPHABET) for _i in range(INVITE_LENGTH))
        InviteCode.objects.create(resident=resident, code_hash=invite_hash(code), expires_at=expires, created_by=actor)
        audit.record(actor=actor, obj=resident, action="resident.invite")
        issued.append((resident, code, expires))
    return issued


def invite_lookup(code: str) -> InviteCode | None:
    """The valid (unused, unrevoked, unexpired) invite for the code, or None."""
    if not code or len(code) > 40:
        return None
    return (InviteCode.objects.select_related("resident__user", "resident__community")
            .filter(code_hash=invite_hash(code), used_at__isnull=True, revoked_at__isnull=True,
                    expires_at__gt=timezone.now()).first())


@transaction.atomic
def invite_redeem(*, code: str, password: str):
    """The resident sets their password; the code is spent. Returns the user."""
    invite = invite_lookup(code)
    if invite is None:
        raise ValidationError({"code": _("邀请码无效、已使用或已过期，请向社区工作人员重新领取。")})
    # The conditional update spends the code once, even for two phones at the same moment.
    if InviteCode.objects.filter(pk=invite.pk, used_at__isnull=True).update(used_at=timezone.now()) != 1:
        raise ValidationError({"code": _("邀请码已使用。")})
    user = invite.resident.user
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from None
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(actor=user, obj=invite.resident, action="resident.activate")
    return user


# --- SMS sign-in ------------------------------------------------------------------------


def _resident_user_by_phone(phone: str):
    phone = re.sub(r"[\s-]", "", phone or "")
    if not MOBILE.match(phone):
        return None
    return User.objects.filter(username=phone, is_active=True, resident__isnull=False).first()


@transaction.atomic
def signin_code_request(*, phone: str) -> None:
    """Send a sign-in code to a registered resident's phone. Says nothing about whether
    the number is registered (the page answers the same either way)."""
    if not MOBILE.match(re.sub(r"[\s-]", "", phone or "")):
        raise ValidationError({"phone": _("请输入 11 位手机号码。")})
    user = _resident_user_by_phone(phone)
    if user is None:
        return
    user = User.objects.select_for_update().get(pk=user.pk)  # one code at a time per user
    now = timezone.now()
    if SignInCode.objects.filter(user=user, created_at__gt=now - SIGNIN_RESEND).exists():
        raise ValidationError({"phone": _("验证码已发送，请 60 秒后再试。")})
    SignInCode.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    code = f"{secrets.randbelow(10 ** 6):06d}"
    SignInCode.objects.create(user=user, code_hash=_signin_hash(user.pk, code), expires_at=now + SIGNIN_TTL)
    text = _("【社区营造】您的登录验证码是 %(c)s，10 分钟内有效。如非本人操作请忽略。") % {"c": code}
    transaction.on_commit(lambda: sms.send(user.phone, text))


def signin_code_verify(*, phone: str, code: str):
    """The user the code signs in, or ValidationError. Wrong guesses count against the
    code, and each is committed even though the call fails."""
    refusal = ValidationError({"code": _("验证码错误或已过期。")})
    user = _resident_user_by_phone(phone)
    if user is None or not re.fullmatch(r"\d{6}", code or ""):
        raise refusal
    with transaction.atomic():
        current = (SignInCode.objects.select_for_update()
                   .filter(user=user, used_at__isnull=True, expires_at__gt=timezone.now()).first())
        if current is None or current.attempts >= SIGNIN_MAX_ATTEMPTS:
            raise refusal
        if not hmac.compare_digest(current.code_hash, _signin_hash(user.pk, code)):
            SignInCode.objects.filter(pk=current.pk).update(attempts=current.attempts + 1)
            ok = False
        else:
            SignInCode.objects.filter(pk=current.pk).update(used_at=timezone.now())
            audit.record(actor=user, obj=user.resident, action="resident.signin_code")
            ok = True
    if not ok:
        raise refusal
    return user
