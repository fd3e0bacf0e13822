from django.urls import path

from . import merchant_views, task_views, views

app_name = "timebank"

urlpatterns = [
    path("", views.home, name="home"),
    path("needs/", views.need_list, name="need_list"),
    path("needs/new/", views.need_create, name="need_create"),
    path("needs/<int:pk>/", views.need_detail, name="need_detail"),
    path("needs/<int:pk>/<slug:name>/", views.need_step, name="need_step"),
    path("resources/", views.resource_list, name="resource_list"),
    path("resources/new/", views.resource_create, name="resource_create"),
    path("tasks/", task_views.task_list, name="task_list"),
    path("tasks/new/", task_views.task_create, name="task_create"),
    path("tasks/<int:pk>/", task_views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/qr.svg", task_views.task_qr, name="task_qr"),
    path("tasks/<int:pk>/respond/", task_views.task_respond, name="task_respond"),
    path("tasks/<int:pk>/checkins/add/", task_views.checkin_add, name="checkin_add"),
    path("tasks/<int:pk>/checkins/<int:checkin_pk>/confirm/", task_views.checkin_confirm, name="checkin_confirm"),
    path("tasks/<int:pk>/check-in/<str:token>/", task_views.checkin, name="checkin"),
    path("tasks/<int:pk>/step/<slug:name>/", task_views.task_step, name="task_step"),
    path("rewards/", merchant_views.reward_list, name="reward_list"),
    path("rewards/<int:pk>/redeem/", merchant_views.reward_redeem, name="reward_redeem"),
    path("redemptions/<int:pk>/", merchant_views.redemption_detail, name="redemption_detail"),
    path("redemptions/<int:pk>/cancel/", merchant_views.redemption_cancel, name="redemption_cancel"),
    path("redeem/", merchant_views.redemption_confirm, name="redemption_confirm"),
    path("merchants/<int:partner_pk>/", merchant_views.merchant_statement, name="merchant_statement"),
    path("merchants/<int:partner_pk>/rewards/new/", merchant_views.reward_create, name="reward_create"),
    path("merchants/<int:partner_pk>/leave/", merchant_views.partner_leave, name="partner_leave"),
    path("communities/<int:pk>/", views.dashboard, name="dashboard"),
    path("communities/<int:pk>/redemption-days/new/", views.redemption_day_create, name="redemption_day_create"),
]
