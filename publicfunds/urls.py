from django.urls import path

from . import views

app_name = "publicfunds"

urlpatterns = [
    path("", views.fund_list, name="fund_list"),
    path("new/", views.fund_create, name="fund_create"),
    path("<int:pk>/", views.fund_detail, name="fund_detail"),
    path("<int:pk>/evidence/", views.fund_evidence, name="fund_evidence"),
    path("<int:pk>/override/", views.fund_override, name="fund_override"),
    path("<int:pk>/step/<slug:name>/", views.fund_step, name="fund_step"),
    path("<int:pk>/accounts/", views.fund_accounts, name="fund_accounts"),
    path("<int:pk>/decision/", views.fund_decision, name="fund_decision"),
    path("<int:pk>/dossier/", views.dossier_request, name="dossier_request"),
    path("<int:pk>/dossier.pdf", views.dossier_download, name="dossier_download"),
    path("<int:pk>/collections/new/", views.collection_create, name="collection_create"),
    path("<int:pk>/items/new/", views.item_create, name="item_create"),
    path("collections/<int:pk>/", views.collection_detail, name="collection_detail"),
    path("collections/<int:pk>/paper/", views.collection_paper, name="collection_paper"),
    path("collections/<int:pk>/close/", views.collection_close, name="collection_close"),
    path("items/<int:pk>/spend/", views.spending_create, name="spending_create"),
]
