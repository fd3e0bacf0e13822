from django.urls import path

from . import library_views, map_views, views

app_name = "programme"

urlpatterns = [
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/settings/", views.coverage_settings, name="coverage_settings"),
    path("experts/", views.expert_list, name="expert_list"),
    path("experts/new/", views.expert_edit, name="expert_create"),
    path("experts/<int:pk>/edit/", views.expert_edit, name="expert_edit"),
    path("teams/", views.team_list, name="team_list"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("map/", map_views.story_map, name="story_map"),
    path("map/<int:community_pk>/", map_views.story_detail, name="story_detail"),
    path("map/<int:community_pk>/edit/", map_views.story_edit, name="story_edit"),
    path("routes/new/", map_views.route_create, name="route_create"),
    path("routes/<int:pk>/", map_views.route_detail, name="route_detail"),
    path("routes/<int:pk>/edit/", map_views.route_edit, name="route_edit"),
    path("library/", library_views.library_home, name="library"),
    path("library/courses/new/", library_views.course_create, name="course_create"),
    path("library/courses/<int:pk>/", library_views.course_detail, name="course_detail"),
    path("library/courses/<int:pk>/materials/", library_views.course_material_add, name="course_material_add"),
    path("library/courses/<int:pk>/attendance/", library_views.course_attendance_add, name="course_attendance_add"),
    path("library/courses/<int:pk>/materials/<int:material_pk>/", library_views.material_download,
         name="material_download"),
    path("library/cases/new/", library_views.case_create, name="case_create"),
    path("library/cases/<int:pk>/", library_views.case_detail, name="case_detail"),
    path("library/cases/<int:pk>/download/", library_views.case_download, name="case_download"),
]
