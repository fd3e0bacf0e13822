"""Writes for the commons. Keyword-only, one transaction, the keeper checked, an audit
row each. Money moves only here: the balance row is locked (`select_for_update`) before
it is read, so parallel entries queue, and the database's non-negative check is the last
guard."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from organizations.models import Organization, SelfOrganization
from places.models import Community, Courtyard
from web import uploads

from .access import require_keeper
from .models import (
    CommunityFund,
    CompactVersion,
    CourtyardAccount,
    CourtyardActivity,
    CourtyardBody,
    CourtyardEntry,
    CourtyardMember,
    FundEntry,
)

MAX_AMOUNT = Decimal("9999999999")


def _plausible(day, field: str) -> None:
    if day is None:
        raise ValidationError({field: _("请填写日期。")})
    today = timezone.localdate()
    if not datetime.date(2000, 1, 1) <= day <= today + datetime.timedelta(days=366):
        raise ValidationError({field: _("请填写 2000 年以后、一年以内的日期。")})


def _money(amount, field: str = "amount") -> Decimal:
    try:
        amount = Decimal(amount)
    except (ArithmeticError, TypeError, ValueError):
        raise ValidationError({field: _("请填写金额。")}) from None
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
        raise ValidationError({field: _("金额须大于 0 且合理。")})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({field: _("金额最多两位小数。")})
    return amount


def _text(value, field: str, limit: int, *, required=True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("请填写此项。")})
    if len(value) > limit:
        raise ValidationError({field: _("不超过 %(n)s 字。") % {"n": limit}})
    return value


# --- 院落自治组织 ---------------------------------------------------------------------------


@transaction.atomic
def body_save(*, actor, courtyard: Courtyard, name: str, founded_on=None, rules: str = "") -> CourtyardBody:
    """Register (or correct) the courtyard's autonomy organisation."""
    require_keeper(actor, courtyard.community_id)
    name = _text(name, "name", 100)
    if founded_on is not None:
        _plausible(founded_on, "founded_on")
    body, created = CourtyardBody.objects.select_for_update().get_or_create(
        courtyard=courtyard, defaults={"name": name, "founded_on": founded_on, "rules": _text(rules, "rules", 5000,
                                                                                          required=False)})
    if not created:
        body.name, body.founded_on, body.rules = name, founded_on, _text(rules, "rules", 5000, required=False)
        body.save(update_fields=["name", "founded_on", "rules"])
    audit.record(actor=actor, obj=body, action="courtyard.body_save", data={"created": created})
    return body


@transaction.atomic
def member_add(*, actor, courtyard: Courtyard, name: str, role: str, joined_on, resident=None) -> CourtyardMember:
    require_keeper(actor, courtyard.community_id)
    body = CourtyardBody.objects.select_for_update().filter(courtyard=courtyard).first()
    if body is None:
        raise ValidationError(_("请先登记院落自治组织。"))
    name = _text(name, "name", 50)
    if role not in CourtyardMember.Role.values:
        raise ValidationError({"role": _("请选择职务。")})
    _plausible(joined_on, "joined_on")
    if resident is not None and resident.community_id != courtyard.community_id:
        raise ValidationError({"resident": _("请选择本社区登记的居民。")})
    active = body.members.filter(left_on__isnull=True)
    if active.filter(name=name).exists():
        raise ValidationError({"name": _("%(n)s 已是本院落自治组织的成员。") % {"n": name}})
    if role == CourtyardMember.Role.HEAD and active.filter(role=role).exists():
        raise ValidationError({"role": _("已有院落长；请先登记现任院落长退出。")})
    member = CourtyardMember.objects.create(body=body, name=name, role=role, joined_on=joined_on, resident=resident)
    audit.record(actor=actor, obj=member, action="courtyard.member_add", data={"role": role})
    return member


@transaction.atomic
def member_leave(*, actor, member: CourtyardMember, left_on=None) -> CourtyardMember:
    """A member leaves; the row stays, so the organisation's history is kept."""
    member = CourtyardMember.objects.select_for_update().select_related("body__courtyard").get(pk=member.pk)
    require_keeper(actor, member.body.courtyard.community_id)
    left_on = left_on or timezone.localdate()
    if member.left_on is not None:
        raise ValidationError(_("该成员已经退出。"))
    if left_on < member.joined_on:
        raise ValidationError({"left_on": _("退出日期不能早于加入日期。")})
    CourtyardMember.objects.filter(pk=member.pk).update(left_on=left_on)
    member.refresh_from_db()
    audit.record(actor=actor, obj=member, action="courtyard.member_leave")
    return member


# --- 院落公约 -------------------------------------------------------------------------------


@transaction.atomic
def compact_adopt(*, actor, courtyard: Courtyard, text: str, adopted_on, adopted_by: str) -> CompactVersion:
    """A newly adopted compact is a new version; the earlier texts stay as they were."""
    require_keeper(actor, courtyard.community_id)
    Courtyard.objects.select_for_update().get(pk=courtyard.pk)  # numbers versions one at a time
    text = _text(text, "text", 10000)
    adopted_by = _text(adopted_by, "adopted_by", 100)
    _plausible(adopted_on, "adopted_on")
    if adopted_on > timezone.localdate():
        raise ValidationError({"adopted_on": _("通过日期不能晚于今天。")})
    latest = courtyard.compact_versions.aggregate(n=Max("number"))["n"] or 0
    version = CompactVersion.objects.create(courtyard=courtyard, number=latest + 1, text=text, adopted_on=adopted_on,
                                            adopted_by=adopted_by, recorded_by=actor)
    audit.record(actor=actor, obj=version, action="courtyard.compact_adopt", data={"number": version.number})
    return version


# --- 院落活动 -------------------------------------------------------------------------------


def activity_add(*, actor, courtyard: Courtyard, held_on, title: str, participants: int, description: str = "",
                 photo=None) -> CourtyardActivity:
    """An activity with an optional photo, re-encoded from its pixels (web.uploads)."""
    checked = None
    if photo is not None:
        try:
            checked = uploads.check_upload(photo, kinds=(uploads.IMAGE,))
        except ValidationError as exc:
            raise ValidationError({"photo": exc.messages}) from None
    with transaction.atomic():
        require_keeper(actor, courtyard.community_id)
        _plausible(held_on, "held_on")
        if held_on > timezone.localdate():
            raise ValidationError({"held_on": _("活动日期不能晚于今天。")})
        if participants is None or not 0 <= int(participants) <= 100000:
            raise ValidationError({"participants": _("请填写 0 至 100000 之间的人次。")})
        activity = CourtyardActivity.objects.create(
            courtyard=courtyard, held_on=held_on, title=_text(title, "title", 200), participants=participants,
            description=_text(description, "description", 5000, required=False),
            photo=checked.file if checked else "", photo_type=checked.content_type if checked else "",
            recorded_by=actor)
        audit.record(actor=actor, obj=activity, action="courtyard.activity_add",
                     data={"participants": int(participants)})
    return activity


# --- 院落公开账目 ---------------------------------------------------------------------------


@transaction.atomic
def courtyard_entry(*, actor, courtyard: Courtyard, direction: str, amount, voucher: str, entry_on,
                    purpose: str) -> CourtyardEntry:
    """Record an income or an expense in the courtyard's public accounts."""
    require_keeper(actor, courtyard.community_id)
    if direction not in CourtyardEntry.Direction.values:
        raise ValidationError({"direction": _("请选择收入或支出。")})
    amount = _money(amount)
    voucher = _text(voucher, "voucher", 40)
    purpose = _text(purpose, "purpose", 200)
    _plausible(entry_on, "entry_on")
    CourtyardAccount.objects.get_or_create(courtyard=courtyard)
    account = CourtyardAccount.objects.select_for_update().get(courtyard=courtyard)
    expense = direction == CourtyardEntry.Direction.EXPENSE
    if expense and amount > account.balance:
        raise ValidationError({"amount": _("余额 %(b)s 元，不足以支出 %(a)s 元。") % {
            "b": account.balance, "a": amount}})
    if account.entries.filter(voucher=voucher).exists():
        raise ValidationError({"voucher": _("凭证号 %(v)s 已经记过账。") % {"v": voucher}})
    entry = CourtyardEntry.objects.create(account=account, direction=direction, amount=amount, voucher=voucher,
                                          entry_on=entry_on, purpose=purpose, recorded_by=actor)
    if expense:
        CourtyardAccount.objects.filter(pk=account.pk).update(expense=F("expense") + amount,
                                                              balance=F("balance") - amount)
    else:
        CourtyardAccount.objects.filter(pk=account.pk).update(income=F("income") + amount,
                                                              balance=F("balance") + amount)
    audit.record(actor=actor, obj=entry, action=f"courtyard.{direction}",
                 data={"amount": str(amount), "voucher": voucher})
    return entry


# --- 社区基金 -------------------------------------------------------------------------------


def _locked_fund(community: Community) -> CommunityFund:
    try:
        with transaction.atomic():
            CommunityFund.objects.get_or_create(community=community)
    except IntegrityError:  # opened by a parallel request a moment ago
        pass
    return CommunityFund.objects.select_for_update().get(community=community)


def _debit(*, fund: CommunityFund, kind: str, amount: Decimal, actor, reason: str, ref: str = "",
           selforg=None, entry_on=None) -> FundEntry:
    if amount > fund.balance:
        raise ValidationError({"amount": _("社区基金余额 %(b)s 元，不足以支出 %(a)s 元。") % {
            "b": fund.balance, "a": amount}})
    entry = FundEntry.objects.create(fund=fund, kind=kind, amount=amount, selforg=selforg, reason=reason, ref=ref,
                                     entry_on=entry_on or timezone.localdate(), recorded_by=actor)
    CommunityFund.objects.filter(pk=fund.pk).update(granted=F("granted") + amount, balance=F("balance") - amount)
    audit.record(actor=actor, obj=entry, action=f"community_fund.{kind}",
                 data={"amount": str(amount), "ref": ref, "selforg": selforg.pk if selforg else None})
    return entry


@transaction.atomic
def donation_record(*, actor, community: Community, donor: Organization, amount, entry_on,
                    reason: str = "") -> FundEntry:
    """A social enterprise gives part of its surplus to the community fund."""
    require_keeper(actor, community.pk)
    if donor.kind != Organization.Kind.SOCIAL_ENTERPRISE:
        raise ValidationError({"donor": _("利润捐赠须来自登记为“社会企业”的组织。")})
    amount = _money(amount)
    _plausible(entry_on, "entry_on")
    reason = _text(reason, "reason", 200, required=False) or _("%(d)s 利润捐赠") % {"d": donor.name}
    fund = _locked_fund(community)
    entry = FundEntry.objects.create(fund=fund, kind=FundEntry.Kind.DONATION, amount=amount, donor=donor,
                                     reason=reason, entry_on=entry_on, recorded_by=actor)
    CommunityFund.objects.filter(pk=fund.pk).update(income=F("income") + amount, balance=F("balance") + amount)
    audit.record(actor=actor, obj=entry, action="community_fund.donation",
                 data={"amount": str(amount), "donor": donor.pk})
    return entry


@transaction.atomic
def grant_make(*, actor, fund: CommunityFund, selforg: SelfOrganization, amount, purpose: str,
               entry_on=None) -> FundEntry:
    """The fund pays for a self-organisation's action; refused if the balance is short."""
    require_keeper(actor, fund.community_id)
    if selforg.community_id != fund.community_id:
        raise ValidationError({"selforg": _("只能资助本社区的居民自组织。")})
    amount = _money(amount)
    purpose = _text(purpose, "purpose", 200)
    if entry_on is not None:
        _plausible(entry_on, "entry_on")
    fund = CommunityFund.objects.select_for_update().get(pk=fund.pk)
    return _debit(fund=fund, kind=FundEntry.Kind.GRANT, amount=amount, actor=actor, reason=purpose, selforg=selforg,
                  entry_on=entry_on)


@transaction.atomic
def debit_community_fund(community: Community, amount, actor, reason: str, ref: str = "", *,
                         selforg: SelfOrganization | None = None) -> FundEntry:
    """Pay out of a community's fund for another app (e.g. a micro-grant contest's award):
    locks the fund, refuses with a ValidationError when the balance is short, leaves a
    ledger entry (a grant when `selforg` is given) and an audit row. `ref` names what the
    payment is for (e.g. "contest:12/application:34")."""
    if not community.pk or not (actor.is_authenticated if actor is not None else False):
        raise PermissionDenied(_("缺少付款的社区或经办人。"))
    require_keeper(actor, community.pk)
    amount = _money(amount)
    reason = _text(reason, "reason", 200)
    ref = _text(ref, "ref", 60, required=False)
    fund = CommunityFund.objects.select_for_update().filter(community=community).first()
    if fund is None:
        raise ValidationError({"amount": _("该社区尚未设立社区基金。")})
    if selforg is not None and selforg.community_id != community.pk:
        raise ValidationError({"selforg": _("只能资助本社区的居民自组织。")})
    kind = FundEntry.Kind.GRANT if selforg is not None else FundEntry.Kind.DEBIT
    return _debit(fund=fund, kind=kind, amount=amount, actor=actor, reason=reason, ref=ref, selforg=selforg)
