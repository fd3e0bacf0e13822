"""The programme's API routes, included once under /api/ (namespace `api`)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("experts", api.ExpertViewSet, basename="expert")
router.register("stories", api.StoryViewSet, basename="story")
router.register("routes", api.RouteViewSet, basename="route")
router.register("courses", api.CourseViewSet, basename="course")
router.register("cases", api.CaseViewSet, basename="case")

urlpatterns = [
    path("coverage/", api.CoverageView.as_view(), name="coverage"),
    path("coverage/uncovered/", api.UncoveredCommunitiesView.as_view(), name="coverage-uncovered"),
    path("teams/incomplete/", api.IncompleteTeamsView.as_view(), name="team-incomplete"),
    path("", include(router.urls)),
]
