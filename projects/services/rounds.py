"""Funding rounds: creating and editing a round, its tranche rules, its area and its review form."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from accounts.models import User
from audit import services as audit
from places.models import Community, Region

from .. import access
from ..models import (
    FundingRound,
    ReviewCriterion,
    ReviewForm,
    TrancheRule,
)
from .common import yuan

# --- Rounds ----------------------------------------------------------------------


ROUND_FIELDS = ("name", "year", "funder", "description", "total_budget", "per_project_cap", "per_community_cap",
                "opens_at", "closes_at", "report_frequency", "review_form", "score_spread_gap")


def _check_tranches(tranches: list[tuple[Decimal, str]]) -> None:
    if not tranches:
        raise ValidationError({"tranches": _("至少需要一个拨付批次。")})
    total = sum((Decimal(p) for p, _t in tranches), Decimal("0"))
    if total != Decimal("100"):
        raise ValidationError({"tranches": _("各拨付批次比例之和应为 100%%，当前为 %(total)s%%。") % {"total": total}})


@transaction.atomic
def round_create(*, actor: User, tranches: list[tuple[Decimal, str]], **data) -> FundingRound:
    funder: Region = data["funder"]
    scope_round = FundingRound(**{k: v for k, v in data.items() if k in ROUND_FIELDS})
    if not access.can_manage_round(actor, scope_round):
        raise PermissionDenied(_("您只能为本级民政局创建资助轮次。"))
    if funder.level not in (Region.Level.CITY, Region.Level.DISTRICT):
        raise ValidationError({"funder": _("资助方须为市或区（市）县民政局。")})
    _check_tranches(tranches)
    scope_round.full_clean()
    scope_round.save()
    TrancheRule.objects.bulk_create(
        TrancheRule(round=scope_round, order=i, percent=Decimal(p), trigger=t) for i, (p, t) in enumerate(tranches, 1)
    )
    audit.record(actor=actor, obj=scope_round, action="round.create",
                 data={"tranches": [[str(p), t] for p, t in tranches]})
    return scope_round


@transaction.atomic
def round_update(*, funding_round: FundingRound, actor: User, data: dict,
                 tranches: list[tuple[Decimal, str]] | None = None) -> FundingRound:
    funding_round = FundingRound.objects.select_for_update().get(pk=funding_round.pk)
    if not access.can_manage_round(actor, funding_round):
        raise PermissionDenied(_("只有本轮资助方的民政局工作人员可以修改本轮。"))
    if "funder" in data and data["funder"] != funding_round.funder:
        # Where the round ends up is checked like round_create: a bureau can't hand it to another.
        if data["funder"].level not in (Region.Level.CITY, Region.Level.DISTRICT):
            raise ValidationError({"funder": _("资助方须为市或区（市）县民政局。")})
        if not access.can_manage_round(actor, FundingRound(funder=data["funder"])):
            raise PermissionDenied(_("您只能把资助轮次交给本级民政局。"))
    has_projects = funding_round.projects.exists()
    changes = {}
    for name in ROUND_FIELDS:
        if name in data and getattr(funding_round, name) != data[name]:
            if has_projects and name in ("funder", "review_form"):
                raise ValidationError({name: _("本轮已有立项项目，不能再修改此项。")})
            changes[name] = [str(getattr(funding_round, name)), str(data[name])]
            setattr(funding_round, name, data[name])
    if has_projects:
        approved = funding_round.projects.aggregate(total=Sum("approved_amount"))["total"] or Decimal("0")
        if funding_round.total_budget < approved:
            raise ValidationError({"total_budget": _("总预算不能低于本轮已立项总额 %(a)s。") % {"a": yuan(approved)}})
    funding_round.full_clean()
    funding_round.save()
    if tranches is not None:
        _check_tranches(tranches)
        funding_round.tranche_rules.all().delete()
        TrancheRule.objects.bulk_create(
            TrancheRule(round=funding_round, order=i, percent=Decimal(p), trigger=t)
            for i, (p, t) in enumerate(tranches, 1))
        changes["tranches"] = [[str(p), t] for p, t in tranches]
    if changes:
        audit.record(actor=actor, obj=funding_round, action="round.update", data={"changes": changes})
    return funding_round


def community_in_round_area(funding_round: FundingRound, community: Community) -> bool:
    if not community.is_active:
        return False
    if funding_round.funder.level == Region.Level.CITY:
        return True
    return community.street.parent_id == funding_round.funder_id


# --- Review forms as data ---------------------------------------------------------


@transaction.atomic
def review_form_load(*, data: dict) -> ReviewForm:
    """Load a review form from a dict (see data/review_form_default.json). An unchanged
    form loads as itself; a changed one becomes the next version."""
    criteria = data["criteria"]
    total_weight = sum(Decimal(str(c["weight"])) for c in criteria)
    if total_weight != 100:
        raise ValidationError(_("评审项权重之和应为 100，当前为 %(w)s。") % {"w": total_weight})
    latest = ReviewForm.objects.filter(name=data["name"]).order_by("-version").first()
    if latest is not None:
        current = [(c.code, c.name, c.weight, c.max_score, c.guidance) for c in latest.criteria.all()]
        wanted = [(c["code"], c["name"], Decimal(str(c["weight"])), c["max_score"], c.get("guidance", ""))
                  for c in criteria]
        if current == wanted:
            return latest
    form = ReviewForm.objects.create(name=data["name"], description=data.get("description", ""),
                                     version=(latest.version + 1) if latest else 1)
    ReviewCriterion.objects.bulk_create(
        ReviewCriterion(form=form, code=c["code"], name=c["name"], weight=Decimal(str(c["weight"])),
                        max_score=c["max_score"], guidance=c.get("guidance", ""), order=i)
        for i, c in enumerate(criteria))
    return form
