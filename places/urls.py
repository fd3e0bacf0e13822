from django.urls import path

from . import views

app_name = "places"

urlpatterns = [
    path("communities/", views.community_list_view, name="community_list"),
    path("communities/import/", views.community_import, name="community_import"),
    path("communities/import/template.xlsx", views.community_import_template, name="community_import_template"),
    path("communities/import/<str:token>/", views.community_import_preview, name="community_import_preview"),
    path("communities/<int:pk>/", views.community_detail, name="community_detail"),
    path("communities/<int:pk>/edit/", views.community_edit, name="community_edit"),
    path("communities/<int:pk>/merge/", views.community_merge, name="community_merge"),
]
