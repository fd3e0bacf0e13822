from django.urls import path

from . import role_views, views

app_name = "places"

urlpatterns = [
    path("communities/", views.community_list_view, name="community_list"),
    path("communities/import/", views.community_import, name="community_import"),
    path("communities/import/template.xlsx", views.community_import_template, name="community_import_template"),
    path("communities/import/<str:token>/", views.community_import_preview, name="community_import_preview"),
    path("communities/<int:pk>/", views.community_detail, name="community_detail"),
    path("communities/<int:pk>/edit/", views.community_edit, name="community_edit"),
    path("communities/<int:pk>/merge/", views.community_merge, name="community_merge"),
    # operations (#14): role management for bureau staff.
    path("roles/", role_views.role_list, name="role_list"),
    path("roles/grant/", role_views.role_grant, name="role_grant"),
    path("roles/<int:pk>/revoke/", role_views.role_revoke, name="role_revoke"),
]
