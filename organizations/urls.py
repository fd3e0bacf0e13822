from django.urls import path

from . import selforg_views, views

app_name = "organizations"

urlpatterns = [
    path("", views.organization_list_view, name="organization_list"),
    path("new/", views.organization_create, name="organization_create"),
    path("import/", views.organization_import, name="organization_import"),
    path("import/template.xlsx", views.organization_import_template, name="organization_import_template"),
    path("import/<str:token>/", views.organization_import_preview, name="organization_import_preview"),
    path("<int:pk>/", views.organization_detail, name="organization_detail"),
    path("<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("<int:pk>/members/", views.organization_members, name="organization_members"),
    path("<int:pk>/members/<int:membership_pk>/remove/", views.membership_remove, name="membership_remove"),
    path("self-organizations/", selforg_views.selforg_list, name="selforg_list"),
    path("self-organizations/new/", selforg_views.selforg_create, name="selforg_create"),
    path("self-organizations/<int:pk>/", selforg_views.selforg_detail, name="selforg_detail"),
    path("self-organizations/<int:pk>/progress/", selforg_views.selforg_progress, name="selforg_progress"),
]
