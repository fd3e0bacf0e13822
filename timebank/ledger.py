"""The points ledger: the only code that moves points.

`post` is the one write: it locks both accounts (`select_for_update`, lowest pk first,
so two movements touching the same pair never deadlock), checks the holder has the
points (the friendly message), updates both balances with F() expressions and writes
the entry and its audit row. The database is the real guard: a balance below zero
violates `account_balance_not_negative` and the whole transaction rolls back.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from places.models import Community

from .models import Account, Entry, PointsRule

MAX_AMOUNT = 1_000_000


def rule_for(community: Community) -> PointsRule:
    rule, _created = PointsRule.objects.get_or_create(community=community)
    return rule


def pool_account(community: Community) -> Account:
    account, _created = Account.objects.get_or_create(community=community, kind=Account.Kind.POOL)
    return account


def resident_account(resident, community: Community | None = None) -> Account:
    community = community or resident.community
    account, _created = Account.objects.get_or_create(community=community, kind=Account.Kind.RESIDENT,
                                                      resident=resident)
    return account


def merchant_account(organization, community: Community) -> Account:
    account, _created = Account.objects.get_or_create(community=community, kind=Account.Kind.MERCHANT,
                                                      organization=organization)
    return account


def _delta(account: Account, side: str, amount: int) -> int:
    """How `side` ("debit"/"credit") moves this account's balance."""
    sign = 1 if (side == "debit") == account.debit_normal else -1
    return sign * amount


@transaction.atomic
def post(*, debit: Account, credit: Account, amount: int, kind: str, actor, memo: str = "",
         reverses: Entry | None = None, checkin=None, redemption=None) -> Entry:
    if not isinstance(amount, int) or isinstance(amount, bool) or not 0 < amount <= MAX_AMOUNT:
        raise ValidationError({"amount": _("积分须为 1 至 %(m)s 之间的整数。") % {"m": MAX_AMOUNT}})
    if debit.pk == credit.pk:
        raise ValidationError(_("借贷双方不能是同一个账户。"))
    if debit.community_id != credit.community_id:
        raise ValidationError(_("积分只能在同一社区的账户之间流转。"))
    # Both rows locked in a fixed order; the balances read here are the current ones.
    locked = {a.pk: a for a in Account.objects.select_for_update().filter(pk__in=[debit.pk, credit.pk]).order_by("pk")}
    debit, credit = locked[debit.pk], locked[credit.pk]
    for account, side in ((debit, "debit"), (credit, "credit")):
        if account.balance + _delta(account, side, amount) < 0:
            if account.kind == Account.Kind.POOL:
                raise ValidationError(_("社区积分池的流通积分不足，无法收回 %(n)s 积分。") % {"n": amount})
            raise ValidationError(_("积分余额不足：当前 %(b)s 分，需要 %(n)s 分。")
                                  % {"b": account.balance, "n": amount})
    try:
        with transaction.atomic():
            for account, side in ((debit, "debit"), (credit, "credit")):
                Account.objects.filter(pk=account.pk).update(balance=F("balance") + _delta(account, side, amount))
            entry = Entry.objects.create(community_id=debit.community_id, kind=kind, debit=debit, credit=credit,
                                         amount=amount, memo=memo[:200], reverses=reverses, checkin=checkin,
                                         redemption=redemption, actor=actor if getattr(actor, "pk", None) else None)
    except IntegrityError as exc:
        raise ValidationError(_("积分余额不足，或该笔积分已经入账/冲正过。")) from exc
    audit.record(actor=actor, obj=entry, action=f"points.{kind}",
                 data={"amount": amount, "debit": debit.pk, "credit": credit.pk, "memo": memo[:200],
                       "reverses": reverses.pk if reverses else None})
    return entry


def issue(*, resident, amount: int, actor, memo: str, kind: str = Entry.Kind.ISSUE, checkin=None) -> Entry:
    """New points for a resident: the pool's circulation grows by the same amount."""
    return post(debit=pool_account(resident.community), credit=resident_account(resident), amount=amount,
                kind=kind, actor=actor, memo=memo, checkin=checkin)


@transaction.atomic
def reverse(*, entry: Entry, actor, reason: str) -> Entry:
    """Undo a movement with a new entry the other way round, pointing at the original.
    Refused when the holder has already spent the points (the balance would go negative)."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写冲正理由。")})
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.kind == Entry.Kind.REVERSAL:
        raise ValidationError(_("冲正分录不能再冲正；如有错误请重新入账。"))
    if Entry.objects.filter(reverses=entry).exists():
        raise ValidationError(_("该笔积分已经冲正过。"))
    return post(debit=entry.credit, credit=entry.debit, amount=entry.amount, kind=Entry.Kind.REVERSAL, actor=actor,
                memo=_("冲正：%(r)s") % {"r": reason.strip()[:180]}, reverses=entry)


def expirable(account: Account, *, today: datetime.date, days: int) -> int:
    """Points held longer than `days`, spending the oldest first: whatever the balance
    holds beyond what arrived within the window."""
    since = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=days), datetime.time.min))
    recent = Entry.objects.filter(credit=account, created_at__gte=since).aggregate(s=Sum("amount"))["s"] or 0
    return max(0, account.balance - recent)


def expire_by_rule(*, today: datetime.date | None = None) -> int:
    """The beat task's work: for every community with an expiry rule, retire each
    resident's points older than the rule allows, as entries. Idempotent — run twice, the
    second finds nothing left to expire. Returns the number of entries written."""
    today = today or timezone.localdate()
    written = 0
    for rule in PointsRule.objects.filter(expire_after_days__isnull=False).select_related("community"):
        pool = pool_account(rule.community)
        accounts = Account.objects.filter(community=rule.community, kind=Account.Kind.RESIDENT, balance__gt=0)
        for account in accounts:
            with transaction.atomic():
                # Both rows, in the same pk order as `post`, before reading the balance.
                locked = {a.pk: a for a in Account.objects.select_for_update()
                          .filter(pk__in=[account.pk, pool.pk]).order_by("pk")}[account.pk]
                amount = expirable(locked, today=today, days=rule.expire_after_days)
                if amount:
                    post(debit=locked, credit=pool, amount=amount, kind=Entry.Kind.EXPIRE, actor=None,
                         memo=_("超过 %(d)s 天未使用的积分") % {"d": rule.expire_after_days})
                    written += 1
    return written


def totals(community_ids) -> dict[str, int]:
    """Sums per entry kind for the communities; the dashboard and the invariant test read it."""
    rows = Entry.objects.filter(community_id__in=community_ids).values("kind").annotate(s=Sum("amount"))
    return {row["kind"]: row["s"] for row in rows}
