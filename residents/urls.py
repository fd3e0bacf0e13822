from django.urls import path

from . import views

app_name = "residents"

urlpatterns = [
    path("residents/", views.resident_list, name="resident_list"),
    path("residents/add/", views.resident_add, name="resident_add"),
    path("residents/import/", views.resident_import, name="resident_import"),
    path("residents/invites/", views.invite_sheet, name="invite_sheet"),
    path("join/", views.join, name="join"),
    path("join/<str:code>/", views.join, name="join_code"),
    path("accounts/code/", views.signin_code, name="signin_code"),
]
