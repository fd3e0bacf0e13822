"""Scoped, optimised reads for places. Lists here issue a fixed number of queries
whatever the number of rows."""

from django.db.models import Count, QuerySet

from audit.services import history_for
from web import sections

from .access import communities_for_user, scope_for
from .models import Community, Region


def community_list(*, user) -> QuerySet[Community]:
    return (
        communities_for_user(user)
        .select_related("street__parent", "merged_into")
        .order_by("street__parent__code", "street__code", "code")
    )


def community_detail_context(*, community: Community) -> dict:
    return {
        "courtyards": list(community.courtyards.all()),
        "absorbed": list(community.absorbed.order_by("merged_on", "code")),
        "history": list(history_for(community)[:20]),
        # Higher apps add theirs (organizations: the residents' self-organisations).
        **_without_timeline(sections.build("community_detail", community=community)),
    }


def _without_timeline(added: dict) -> dict:
    added.pop("section_timeline")
    return added


def districts_for_filter(*, user) -> QuerySet[Region]:
    scope = scope_for(user)
    qs = Region.objects.filter(level=Region.Level.DISTRICT)
    if scope.city_wide:
        return qs
    return qs.filter(pk__in=communities_for_user(user).values("street__parent_id"))


def streets_for_filter(*, user, district: Region | None = None) -> QuerySet[Region]:
    qs = Region.objects.filter(level=Region.Level.STREET, pk__in=communities_for_user(user).values("street_id"))
    if district is not None:
        qs = qs.filter(parent=district)
    return qs.order_by("code")


def scope_summary(*, user) -> dict:
    """Counts for the home page, in one aggregate query."""
    communities = communities_for_user(user).filter(merged_into__isnull=True)
    counts = communities.aggregate(
        communities=Count("id"),
        streets=Count("street_id", distinct=True),
        districts=Count("street__parent_id", distinct=True),
    )
    return counts
