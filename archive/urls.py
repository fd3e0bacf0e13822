from django.urls import path

from . import views

app_name = "archive"

urlpatterns = [
    path("", views.archived_list, name="archived_list"),
    path("<slug:kind>/<int:pk>/", views.archive_object, name="archive_object"),
    path("<slug:kind>/<int:pk>/restore/", views.restore_object, name="restore_object"),
]
