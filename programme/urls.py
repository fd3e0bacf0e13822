from django.urls import path

from . import map_views, views

app_name = "programme"

urlpatterns = [
    path("coverage/", views.coverage, name="coverage"),
    path("experts/", views.expert_list, name="expert_list"),
    path("teams/", views.team_list, name="team_list"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("map/", map_views.story_map, name="story_map"),
    path("map/<int:community_pk>/", map_views.story_detail, name="story_detail"),
    path("map/<int:community_pk>/edit/", map_views.story_edit, name="story_edit"),
    path("routes/new/", map_views.route_create, name="route_create"),
    path("routes/<int:pk>/", map_views.route_detail, name="route_detail"),
    path("routes/<int:pk>/edit/", map_views.route_edit, name="route_edit"),
]
