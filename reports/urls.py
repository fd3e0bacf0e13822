from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/download/", views.report_download, name="report_download"),
    path("<int:pk>/retry/", views.report_retry, name="report_retry"),
    path("dossier/<int:project_pk>/", views.dossier_request, name="dossier_request"),
]
