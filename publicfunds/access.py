"""Who may see and act on a community's public-service fund.

- Staff whose place covers the community (bureau, street, community) read its funds;
  the community's own staff (and admins) move the nine steps, run the collection,
  enter paper votes and keep the ledger. Bureau staff covering the district override
  the allocation with a reason.
- A resident reads the funds of their own community (三有一公开: the accounts and the
  publicised decision are public to them) and votes for their household.
- How a household voted is never shown to anyone; tallies are shown per option.
Outside the scope: 404; visible but not allowed: 403.
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from places.access import scope_for
from residents.access import community_life_q

from .models import Collection, FundItem, YearFund


def _community_q(user, prefix: str) -> Q | None:
    return community_life_q(user, prefix)


def funds_for_user(user) -> QuerySet[YearFund]:
    q = _community_q(user, "")
    return YearFund.objects.filter(q) if q is not None else YearFund.objects.none()


def collections_for_user(user) -> QuerySet[Collection]:
    q = _community_q(user, "fund__")
    return Collection.objects.filter(q) if q is not None else Collection.objects.none()


def items_for_user(user) -> QuerySet[FundItem]:
    q = _community_q(user, "fund__")
    return FundItem.objects.filter(q) if q is not None else FundItem.objects.none()


def can_keep(user, community_id: int) -> bool:
    """The community's own staff (and admins) run the cycle and keep the ledger."""
    scope = scope_for(user)
    return scope.is_admin or community_id in scope.community_ids


def can_override(user, community) -> bool:
    """Bureau staff whose district covers the community (city bureau and admins everywhere)."""
    scope = scope_for(user)
    return scope.is_bureau and scope.covers_district(community.street.parent_id)


def _get(qs, pk, message):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404(message) from None


def get_fund_for_user(user, pk) -> YearFund:
    return _get(funds_for_user(user).select_related("community__street", "rule", "discussion_meeting__council"), pk,
                _("未找到该社区公共服务资金，或不在您的范围内。"))


def get_collection_for_user(user, pk) -> Collection:
    return _get(collections_for_user(user).select_related("fund__community"), pk,
                _("未找到该意见征集，或不在您的范围内。"))


def get_item_for_user(user, pk) -> FundItem:
    return _get(items_for_user(user).select_related("fund__community"), pk, _("未找到该资金项目，或不在您的范围内。"))
