from django.urls import path

from . import views

app_name = "programme"

urlpatterns = [
    path("coverage/", views.coverage, name="coverage"),
    path("experts/", views.expert_list, name="expert_list"),
    path("teams/", views.team_list, name="team_list"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
]
