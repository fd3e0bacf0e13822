from django.urls import path

from . import views

app_name = "commons"

urlpatterns = [
    path("", views.home, name="home"),
    path("courtyards/<int:pk>/", views.courtyard_detail, name="courtyard_detail"),
    path("courtyards/<int:pk>/accounts/", views.courtyard_accounts, name="courtyard_accounts"),
    path("courtyards/<int:pk>/body/", views.body_edit, name="body_edit"),
    path("courtyards/<int:pk>/members/new/", views.member_add, name="member_add"),
    path("courtyards/<int:pk>/compact/new/", views.compact_adopt, name="compact_adopt"),
    path("courtyards/<int:pk>/activities/new/", views.activity_add, name="activity_add"),
    path("courtyards/<int:pk>/accounts/new/", views.entry_add, name="entry_add"),
    path("members/<int:pk>/leave/", views.member_leave, name="member_leave"),
    path("activities/<int:pk>/photo/", views.activity_photo, name="activity_photo"),
    path("funds/<int:pk>/", views.fund_detail, name="fund_detail"),
    path("funds/<int:pk>/grants/new/", views.grant_add, name="grant_add"),
    path("communities/<int:pk>/donations/new/", views.donation_add, name="donation_add"),
]
