"""Writes for the community public-service fund. Each checks the actor's role and scope
and the fund's step, locks what it changes, and leaves an audit row; the database
constraints (one vote per household, a balance never below zero) are the real guard."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from places.access import communities_for_user
from places.models import Household
from residents.access import resident_profile

from . import access, selectors
from .models import Collection, FundItem, HouseholdVote, Option, Spending, YearFund
from .workflows import ORDER, STEPS, fund_machine

S = YearFund.Status

# The evidence each step records while it is the current one.
EVIDENCE = {
    S.MOBILISING: ("notice", "notice_from", "notice_until"),
    S.DISCUSSING: ("discussion_meeting", "discussion_minutes", "decision", "publicity_days"),
    S.HEARING: ("hearing_on", "hearing_record"),
    S.SUPERVISING: ("supervision_record",),
    S.EVALUATING: ("evaluation",),
    S.ARCHIVING: ("archive_note",),
}


def _require_keeper(actor, community_id: int) -> None:
    if not access.can_keep(actor, community_id):
        raise PermissionDenied(_("只有本社区工作人员可以办理社区公共服务资金。"))


def _lock(fund: YearFund) -> YearFund:
    return YearFund.objects.select_for_update().select_related("community__street").get(pk=fund.pk)


def _plausible(day: datetime.date, field: str) -> None:
    if day is not None and not datetime.date(2000, 1, 1) <= day <= datetime.date(2100, 12, 31):
        raise ValidationError({field: _("请填写 2000 至 2100 年之间的日期。")})


# --- allocation -------------------------------------------------------------------------


@transaction.atomic
def fund_open(*, actor, community, year: int) -> YearFund:
    """Open the year's fund, its amount computed from the community's profile and the rule of the year."""
    if not (access.can_keep(actor, community.pk)
            or (access.can_override(actor, community)
                and communities_for_user(actor).filter(pk=community.pk).exists())):
        raise PermissionDenied(_("只有本社区工作人员或区（市）民政部门可以设立年度公共服务资金。"))
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": _("请填写 2000 至 2100 之间的年度。")})
    if community.merged_into_id:
        raise ValidationError({"community": _("该社区已合并，不能再设立资金。")})
    allocation = selectors.allocation_for(community, int(year))
    if allocation.rule is None:
        raise ValidationError({"year": allocation.calculation})
    try:
        with transaction.atomic():
            fund = YearFund.objects.create(community=community, year=year, rule=allocation.rule,
                                           allocated=allocation.amount, calculation=allocation.calculation,
                                           balance=allocation.amount)
    except IntegrityError:
        raise ValidationError({"year": _("%(c)s %(y)s 年的公共服务资金已经设立。") % {
            "c": community.name, "y": year}}) from None
    audit.record(actor=actor, obj=fund, action="public_fund.open", to_state=fund.status,
                 data={"allocated": str(fund.allocated), "calculation": fund.calculation})
    return fund


@transaction.atomic
def fund_override(*, actor, fund: YearFund, amount: Decimal, reason: str) -> YearFund:
    """Bureau staff set the year's amount by hand; the reason is recorded. The balance follows."""
    fund = _lock(fund)
    if not access.can_override(actor, fund.community):
        raise PermissionDenied(_("只有区（市）民政部门可以核定公共服务资金金额。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写核定理由。")})
    if len(reason) > 500:
        raise ValidationError({"reason": _("理由不超过 500 字。")})
    amount = Decimal(amount)
    if not amount.is_finite() or amount < 0 or amount > Decimal("9999999999"):
        raise ValidationError({"amount": _("请填写合理的金额。")})
    if amount < fund.spent:
        raise ValidationError({"amount": _("核定金额不能少于已支出的 %(s)s 元。") % {"s": fund.spent}})
    before = fund.amount
    YearFund.objects.filter(pk=fund.pk).update(override=amount, override_reason=reason,
                                                balance=amount - F("spent"))
    fund.refresh_from_db()
    audit.record(actor=actor, obj=fund, action="public_fund.override", reason=reason,
                 data={"from": str(before), "to": str(amount), "allocated": str(fund.allocated)})
    return fund


# --- the nine steps -----------------------------------------------------------------------


@transaction.atomic
def evidence_save(*, actor, fund: YearFund, **fields) -> YearFund:
    """Record the evidence of the current step (only that step's fields)."""
    fund = _lock(fund)
    _require_keeper(actor, fund.community_id)
    allowed = EVIDENCE.get(fund.status, ())
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError(_("当前环节“%(s)s”不能填写这些内容。") % {"s": fund.get_status_display()})
    meeting = fields.get("discussion_meeting")
    if meeting is not None and meeting.council.community_id != fund.community_id:
        raise ValidationError({"discussion_meeting": _("请选择本社区议事会的会议。")})
    for name in ("notice_from", "notice_until", "hearing_on"):
        _plausible(fields.get(name), name)
    if fields.get("notice_from") and fields.get("notice_until") and fields["notice_until"] < fields["notice_from"]:
        raise ValidationError({"notice_until": _("截止日期不能早于开始日期。")})
    for name, value in fields.items():
        setattr(fund, name, value)
    fund.full_clean(exclude=["community", "rule", "discussion_meeting"], validate_unique=False,
                    validate_constraints=False)
    fund.save(update_fields=list(fields))
    audit.record(actor=actor, obj=fund, action="public_fund.evidence",
                 data={"step": fund.status, "fields": sorted(fields)})
    return fund


def fund_step(*, actor, fund: YearFund, name: str, reason: str = "") -> YearFund:
    """Take the step `name`; one taken out of order is refused with the step still to do."""
    steps = {step[0]: step for step in STEPS}
    if name not in steps:
        raise ValidationError(_("没有这个环节。"))
    source = steps[name][1]
    fund.refresh_from_db(fields=["status"])
    if ORDER.index(fund.status) < ORDER.index(source):
        raise ValidationError(_("当前环节为“%(s)s”，须依次完成，不能跳到“%(t)s”。") % {
            "s": fund.get_status_display(), "t": steps[name][2].label})
    updates = {"publicised_on": timezone.localdate()} if name == "publicise" else None
    return fund_machine.fire(fund, name, actor=actor, reason=reason, updates=updates)


# --- one household, one vote -------------------------------------------------------------


@transaction.atomic
def collection_open(*, actor, fund: YearFund, title: str, opens_on, closes_on, options) -> Collection:
    """The opinion collection with its candidate items: `options` = [(title, estimate or None), …]."""
    fund = _lock(fund)
    _require_keeper(actor, fund.community_id)
    if fund.status not in (S.MOBILISING, S.COLLECTING):
        raise ValidationError(_("只有在宣传动员或收集意见环节可以设置意见征集。"))
    _plausible(opens_on, "opens_on")
    _plausible(closes_on, "closes_on")
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("截止日期不能早于开始日期。")})
    cleaned = [(t.strip(), e) for t, e in options if t and t.strip()]
    if len(cleaned) < 2:
        raise ValidationError({"options": _("请至少列出两个候选项目。")})
    if len({t for t, _e in cleaned}) != len(cleaned):
        raise ValidationError({"options": _("候选项目不能重复。")})
    if any(len(t) > 200 for t, _e in cleaned):
        raise ValidationError({"options": _("每个候选项目不超过 200 字。")})
    collection = Collection.objects.create(fund=fund, title=title.strip()[:200], opens_on=opens_on,
                                           closes_on=closes_on, created_by=actor)
    Option.objects.bulk_create([Option(collection=collection, title=t, estimate=e) for t, e in cleaned])
    audit.record(actor=actor, obj=collection, action="public_fund.collection_open",
                 data={"options": [t for t, _e in cleaned]})
    return collection


@transaction.atomic
def collection_close(*, actor, collection: Collection) -> Collection:
    _require_keeper(actor, collection.fund.community_id)
    households = Household.objects.filter(community_id=collection.fund.community_id).count()
    changed = Collection.objects.filter(pk=collection.pk, closed_at__isnull=True).update(
        closed_at=timezone.now(), households_total=households)
    if not changed:
        raise ValidationError(_("该意见征集已经结束。"))
    collection.refresh_from_db()
    turnout = selectors.turnout(collection)
    audit.record(actor=actor, obj=collection, action="public_fund.collection_close",
                 data={"voted": turnout.voted, "households": turnout.households})
    return collection


ALREADY_VOTED = _("您家（户号 %(n)s）已经投过票，每户只能投一票。")


def _check_open(collection: Collection, option: Option) -> None:
    if collection.fund.status != S.COLLECTING:
        raise ValidationError(_("当前不在收集意见环节，不能投票。"))
    if collection.closed_at is not None:
        raise ValidationError(_("该意见征集已经结束。"))
    today = timezone.localdate()
    if not collection.opens_on <= today <= collection.closes_on:
        raise ValidationError(_("意见征集时间为 %(a)s 至 %(b)s。") % {
            "a": collection.opens_on, "b": collection.closes_on})
    if option is None or option.collection_id != collection.pk:
        raise ValidationError({"option": _("请选择一个候选项目。")})


def _record_vote(*, actor, collection, household, option, channel) -> HouseholdVote:
    try:
        with transaction.atomic():
            vote = HouseholdVote.objects.create(collection=collection, household=household, option=option,
                                                channel=channel, cast_by=actor)
    except IntegrityError:
        # Says that the household voted, never how.
        raise ValidationError(ALREADY_VOTED % {"n": household.number}) from None
    # The audit row names the household, not the choice: a vote is not traceable through the log.
    audit.record(actor=actor, obj=collection, action=f"public_fund.vote_{channel}",
                 data={"household": household.number})
    return vote


@transaction.atomic
def vote_cast(*, actor, collection: Collection, option: Option | None) -> HouseholdVote:
    """A registered member of a household votes online for the household."""
    resident = resident_profile(actor)
    collection = Collection.objects.select_related("fund").get(pk=collection.pk)
    if resident is None or resident.community_id != collection.fund.community_id:
        raise PermissionDenied(_("只有本社区登记的居民可以投票。"))
    if resident.household_id is None:
        raise ValidationError(_("您的居民登记没有户号，请联系社区登记后再投票。"))
    _check_open(collection, option)
    return _record_vote(actor=actor, collection=collection, household=resident.household, option=option,
                        channel=HouseholdVote.Channel.ONLINE)


@transaction.atomic
def vote_enter_paper(*, actor, collection: Collection, household_number: str, option: Option | None) -> HouseholdVote:
    """Staff enter a paper form by household number."""
    collection = Collection.objects.select_related("fund").get(pk=collection.pk)
    _require_keeper(actor, collection.fund.community_id)
    household = Household.objects.filter(community_id=collection.fund.community_id,
                                         number=(household_number or "").strip()).first()
    if household is None:
        raise ValidationError({"household_number": _("本社区没有这个户号。")})
    _check_open(collection, option)
    return _record_vote(actor=actor, collection=collection, household=household, option=option,
                        channel=HouseholdVote.Channel.PAPER)


# --- the ledger ---------------------------------------------------------------------------

ITEM_STATES = (S.DISCUSSING, S.PUBLICISING, S.HEARING, S.IMPLEMENTING)
SPEND_STATES = (S.IMPLEMENTING, S.SUPERVISING)


@transaction.atomic
def item_add(*, actor, fund: YearFund, title: str, use: str, budget: Decimal, option: Option | None = None,
             project=None, execution=None) -> FundItem:
    fund = _lock(fund)
    _require_keeper(actor, fund.community_id)
    if fund.status not in ITEM_STATES:
        raise ValidationError(_("只有在梳理讨论至组织实施环节可以登记实施项目。"))
    budget = Decimal(budget)
    if not budget.is_finite() or budget <= 0:
        raise ValidationError({"budget": _("预算须大于 0。")})
    planned = fund.items.aggregate(total=Sum("budget"))["total"] or Decimal("0")
    if planned + budget > fund.amount:
        raise ValidationError({"budget": _("各项目预算合计不能超过年度资金 %(a)s 元（已安排 %(p)s 元）。") % {
            "a": fund.amount, "p": planned}})
    if option is not None and option.collection.fund_id != fund.pk:
        raise ValidationError({"option": _("候选项目不属于本年度的意见征集。")})
    if project is not None and project.community_id != fund.community_id:
        raise ValidationError({"project": _("配套项目须在本社区实施。")})
    if execution is not None and execution.proposal.council.community_id != fund.community_id:
        raise ValidationError({"execution": _("执行事项须来自本社区议事会的决议。")})
    item = FundItem(fund=fund, title=(title or "").strip(), use=use, budget=budget, option=option, project=project,
                    execution=execution)
    item.full_clean(exclude=["fund", "option", "project", "execution"])
    item.save()
    audit.record(actor=actor, obj=item, action="public_fund.item_add", data={"budget": str(budget)})
    return item


@transaction.atomic
def spend(*, actor, item: FundItem, amount: Decimal, voucher: str, spent_on: datetime.date,
          purpose: str) -> Spending:
    """Pay from the fund for an item. The fund's row is locked, so parallel spends queue;
    the check constraint on the balance is the last guard."""
    fund = _lock(item.fund)
    _require_keeper(actor, fund.community_id)
    if fund.status not in SPEND_STATES:
        raise ValidationError(_("只有在组织实施和监督环节可以记账。"))
    item = FundItem.objects.select_for_update().get(pk=item.pk)
    amount = Decimal(amount)
    if not amount.is_finite() or amount <= 0 or amount > Decimal("9999999999"):
        raise ValidationError({"amount": _("金额须大于 0。")})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({"amount": _("金额最多两位小数。")})
    _plausible(spent_on, "spent_on")
    if amount > fund.balance:
        raise ValidationError({"amount": _("余额 %(b)s 元，不足以支付 %(a)s 元。") % {"b": fund.balance, "a": amount}})
    if item.spent + amount > item.budget:
        raise ValidationError({"amount": _("超出项目预算：预算 %(b)s 元，已支出 %(s)s 元。") % {
            "b": item.budget, "s": item.spent}})
    voucher = (voucher or "").strip()
    if not voucher or len(voucher) > 40:
        raise ValidationError({"voucher": _("请填写凭证号（不超过 40 字）。")})
    if Spending.objects.filter(fund=fund, voucher=voucher).exists():
        raise ValidationError({"voucher": _("凭证号 %(v)s 已经记过账。") % {"v": voucher}})
    purpose = (purpose or "").strip()[:200] or item.title
    entry = Spending.objects.create(item=item, fund=fund, amount=amount, voucher=voucher, spent_on=spent_on,
                                    purpose=purpose, recorded_by=actor)
    FundItem.objects.filter(pk=item.pk).update(spent=F("spent") + amount)
    YearFund.objects.filter(pk=fund.pk).update(spent=F("spent") + amount, balance=F("balance") - amount)
    audit.record(actor=actor, obj=entry, action="public_fund.spend",
                 data={"amount": str(amount), "voucher": voucher, "item": item.pk})
    return entry
