"""Reads of the community-building map: stories, points, routes.

The map is for peer learning across the city, so every signed-in user reads the
stories and routes (a story is what a community chose to publish about itself).
What a story page shows beside it — the community's self-organisations and projects —
goes through those apps' own access functions, so a reader sees only what they may.
A story is kept by whoever may edit the community's profile: its own staff and the
bureau staff covering it.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from organizations.access import selforgs_for_user
from places.access import can_edit_community, get_community_for_edit, scope_for
from places.models import Community
from projects.access import projects_for_user
from projects.models import DIMENSION_FIELDS, Dimension, LeveragePoint, Project

from .models import CommunityStory, LearningRoute, RouteStop

COUNTED = [Project.Status.ACTIVE, Project.Status.CLOSED]


def stories_for_user(user) -> QuerySet[CommunityStory]:
    if not getattr(user, "is_authenticated", False):
        return CommunityStory.objects.none()
    return CommunityStory.objects.select_related("community__street__parent")


def filter_stories(queryset: QuerySet[CommunityStory], *, leverage: str = "", dimension: str = "",
                   q: str = "") -> QuerySet[CommunityStory]:
    """Stories of communities with a funded project on this leverage point / in this
    dimension (人文地景产), and a text search over the story."""
    projects = Project.objects.filter(status__in=COUNTED).filter(
        Q(community=OuterRef("community_id")) | Q(community__merged_into=OuterRef("community_id")))
    if leverage in LeveragePoint.values:
        queryset = queryset.filter(Exists(projects.filter(application__leverage_point=leverage)))
    if dimension in Dimension.values:
        queryset = queryset.filter(Exists(projects.filter(**{f"application__{DIMENSION_FIELDS[dimension]}": True})))
    if q:
        queryset = queryset.filter(Q(community__name__icontains=q) | Q(history__icontains=q)
                                   | Q(culture__icontains=q) | Q(specialties__icontains=q)
                                   | Q(resources__icontains=q) | Q(outcomes__icontains=q))
    return queryset


def map_points(queryset: QuerySet[CommunityStory]) -> list[dict]:
    from django.urls import reverse

    return [{"name": s.community.name, "lng": float(s.lng), "lat": float(s.lat),
             "url": reverse("programme:story_detail", args=[s.community_id])}
            for s in queryset.filter(lng__isnull=False, lat__isnull=False)]


def get_story_for_user(user, community_pk) -> tuple[Community, CommunityStory | None]:
    """The community and its story. A community with no story yet exists on the map
    only for those who may write it."""
    story = stories_for_user(user).filter(community_id=community_pk).first() if str(community_pk).isdigit() else None
    if story is not None:
        return story.community, story
    try:
        community = get_community_for_edit(user, community_pk)
    except (Http404, PermissionDenied):
        raise Http404(_("该社区还没有营造地图档案。")) from None
    return community, None


def get_community_for_story_edit(user, community_pk) -> Community:
    community = get_community_for_edit(user, community_pk)
    if not community.is_active:
        raise PermissionDenied(_("已并入其他社区的社区档案只读。"))
    return community


def can_edit_story(user, community: Community) -> bool:
    return can_edit_community(user, community) and community.is_active


def story_sections(user, community: Community) -> dict:
    """What the story page shows beside the story, each read through its own access layer."""
    mine = Q(community=community) | Q(community__merged_into=community)
    return {
        "selforgs": selforgs_for_user(user).filter(mine).order_by("name")[:50],
        "projects": projects_for_user(user).filter(mine).select_related("application", "organization")
        .order_by("-approved_at")[:50],
    }


def routes_for_user(user) -> QuerySet[LearningRoute]:
    if not getattr(user, "is_authenticated", False):
        return LearningRoute.objects.none()
    return LearningRoute.objects.prefetch_related(
        Prefetch("stops", queryset=RouteStop.objects.select_related("community__street__parent", "community__story")))


def get_route_for_user(user, pk) -> LearningRoute:
    try:
        return routes_for_user(user).get(pk=pk)
    except (LearningRoute.DoesNotExist, ValueError, TypeError):
        raise Http404(_("未找到该学习路线。")) from None


def can_plan_routes(user) -> bool:
    scope = scope_for(user)
    return scope.is_bureau or bool(scope.street_ids)


def can_edit_route(user, route: LearningRoute) -> bool:
    return scope_for(user).city_wide or (can_plan_routes(user) and route.created_by_id == user.pk)


def get_route_for_edit(user, pk) -> LearningRoute:
    route = get_route_for_user(user, pk)
    if not can_edit_route(user, route):
        raise PermissionDenied(_("只有路线编排人和市民政局工作人员可以修改路线。"))
    return route


def require_route_planner(user) -> None:
    if not can_plan_routes(user):
        raise PermissionDenied(_("只有民政局和街道工作人员可以编排学习路线。"))
