from django.urls import path

from . import views

app_name = "timebank"

urlpatterns = [
    path("", views.home, name="home"),
    path("needs/", views.need_list, name="need_list"),
    path("needs/new/", views.need_create, name="need_create"),
    path("needs/<int:pk>/", views.need_detail, name="need_detail"),
    path("needs/<int:pk>/<slug:name>/", views.need_step, name="need_step"),
    path("resources/", views.resource_list, name="resource_list"),
    path("resources/new/", views.resource_create, name="resource_create"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/new/", views.task_create, name="task_create"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/qr.svg", views.task_qr, name="task_qr"),
    path("tasks/<int:pk>/respond/", views.task_respond, name="task_respond"),
    path("tasks/<int:pk>/checkins/add/", views.checkin_add, name="checkin_add"),
    path("tasks/<int:pk>/checkins/<int:checkin_pk>/confirm/", views.checkin_confirm, name="checkin_confirm"),
    path("tasks/<int:pk>/check-in/<str:token>/", views.checkin, name="checkin"),
    path("tasks/<int:pk>/step/<slug:name>/", views.task_step, name="task_step"),
    path("rewards/", views.reward_list, name="reward_list"),
    path("rewards/<int:pk>/redeem/", views.reward_redeem, name="reward_redeem"),
    path("redemptions/<int:pk>/", views.redemption_detail, name="redemption_detail"),
    path("redemptions/<int:pk>/cancel/", views.redemption_cancel, name="redemption_cancel"),
    path("redeem/", views.redemption_confirm, name="redemption_confirm"),
    path("merchants/<int:partner_pk>/", views.merchant_statement, name="merchant_statement"),
    path("merchants/<int:partner_pk>/rewards/new/", views.reward_create, name="reward_create"),
    path("merchants/<int:partner_pk>/leave/", views.partner_leave, name="partner_leave"),
    path("communities/<int:pk>/", views.dashboard, name="dashboard"),
    path("communities/<int:pk>/redemption-days/new/", views.redemption_day_create, name="redemption_day_create"),
]
