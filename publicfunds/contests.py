"""The 社区公共服务资金 ledger as the funder of community micro-grant contests (projects'
contest rounds). Registered with projects.contest_funders from apps.py: projects sits
below this app and asks the registry, never this module.

A grant is paid from the community's fund of the contest's year: an item for the grant
and its spending entry, with the fund row locked so parallel approvals queue, the balance
checked first and the database constraint (balance ≥ 0) as the last guard."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit

from .models import FundItem, Spending, YearFund

SOURCE = "public_service_fund"
CLOSED = (YearFund.Status.ARCHIVING, YearFund.Status.ARCHIVED)


def debit(*, community, year: int, amount: Decimal, application, actor) -> str:
    fund = YearFund.objects.select_for_update().filter(community=community, year=year).first()
    if fund is None:
        raise ValidationError(_("%(c)s %(y)s 年度公共服务资金尚未设立，不能从中资助。") % {
            "c": community.name, "y": year})
    if fund.status in CLOSED:
        raise ValidationError(_("%(y)s 年度公共服务资金已进入档案归集，不能再支出。") % {"y": year})
    if amount > fund.balance:
        raise ValidationError({"amount": _("社区公共服务资金余额 %(b)s 元，不足以资助 %(a)s 元。") % {
            "b": fund.balance, "a": amount}})
    planned = fund.items.aggregate(total=Sum("budget"))["total"] or Decimal("0")
    if planned + amount > fund.amount:
        raise ValidationError({"amount": _("各项目预算合计不能超过年度资金 %(a)s 元（已安排 %(p)s 元）。") % {
            "a": fund.amount, "p": planned}})
    use = "selforg" if application.self_organization_id else "environment"
    item = FundItem.objects.create(fund=fund, title=_("微创投：%(t)s") % {"t": application.title[:180]}, use=use,
                                   budget=amount, spent=amount)
    voucher = f"WCT-{application.pk}"
    Spending.objects.create(item=item, fund=fund, amount=amount, voucher=voucher, spent_on=timezone.localdate(),
                            purpose=(_("%(r)s资助：%(a)s") % {"r": application.round.name,
                                                           "a": application.applicant_name})[:200],
                            recorded_by=actor)
    YearFund.objects.filter(pk=fund.pk).update(spent=F("spent") + amount, balance=F("balance") - amount)
    audit.record(actor=actor, obj=fund, action="public_fund.contest_grant",
                 data={"amount": str(amount), "application": application.pk, "voucher": voucher})
    return voucher


def balance(*, community, year: int) -> Decimal | None:
    fund = YearFund.objects.filter(community=community, year=year).first()
    return fund.balance if fund else None


# --- the community fund (commons) as a contest funder ------------------------------------
# commons sits below projects, so it cannot register itself with projects' registry; this
# app sits above both and connects them, the same way it connects its own ledger.

COMMUNITY_FUND = "community_fund"


def community_fund_debit(*, community, year: int, amount: Decimal, application, actor) -> str:
    from commons.services import debit_community_fund

    entry = debit_community_fund(
        community, amount, actor, reason=(_("微创投：%(t)s") % {"t": application.title})[:200],
        ref=f"WCT-{application.pk}", selforg=application.self_organization)
    return f"CF-{entry.pk}"


def community_fund_balance(*, community, year: int) -> Decimal | None:
    from commons.models import CommunityFund

    fund = CommunityFund.objects.filter(community=community).first()
    return fund.balance if fund else None
