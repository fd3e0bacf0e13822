"""Who pays a community contest's grants: one debit per funder source, registered by
the app that keeps that ledger (publicfunds registers the 社区公共服务资金 YearFund
ledger from its AppConfig.ready(); the community fund plugs in the same way). This app
sits below publicfunds and never imports it: `contest_decide` asks this registry, in
its own transaction, so the grant and the ledger entry commit or fail together.

A debit gets keyword arguments (community, year, amount, application, actor), locks its
ledger row, refuses with a ValidationError when the balance is short (never negative),
writes its entry and returns the entry's reference (a voucher number)."""

from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

Debit = Callable[..., str]

_debits: dict[str, Debit] = {}
_balances: dict[str, Callable[..., Decimal | None]] = {}


def register(source: str, debit: Debit, balance: Callable[..., Decimal | None] | None = None) -> None:
    """`balance(community=…, year=…)` (optional) tells pages what is left to grant."""
    _debits[source] = debit
    if balance is not None:
        _balances[source] = balance


def is_available(source: str) -> bool:
    return source in _debits


def available_sources() -> list[str]:
    return list(_debits)


def debit(*, source: str, **kwargs) -> str:
    handler = _debits.get(source)
    if handler is None:
        raise ValidationError(_("资金来源“%(s)s”尚未接入账本，不能立项。") % {"s": source})
    return handler(**kwargs)


def balance(*, source: str, community, year: int) -> Decimal | None:
    reader = _balances.get(source)
    return reader(community=community, year=year) if reader else None
