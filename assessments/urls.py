from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("rubrics/", views.rubric_list, name="rubric_list"),
    path("rubrics/<int:pk>/", views.rubric_detail, name="rubric_detail"),
    path("", views.evaluation_list, name="evaluation_list"),
    path("projects/<int:project_pk>/new/", views.evaluation_create, name="evaluation_create"),
    path("<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("<int:pk>/self-assessment/", views.self_assessment, name="self_assessment"),
    path("<int:pk>/close/", views.close_scoring, name="close_scoring"),
    path("<int:pk>/feedback/", views.feedback_add, name="feedback_add"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/unpublish/", views.unpublish, name="unpublish"),
    path("<int:pk>/decision/", views.decide, name="decide"),
    path("feedback/<int:point_pk>/answer/", views.feedback_answer, name="feedback_answer"),
    path("feedback/<int:point_pk>/rectification/", views.feedback_rectification, name="feedback_rectification"),
    path("sheets/<int:pk>/", views.sheet, name="sheet"),
    path("sheets/<int:pk>/autosave/", views.sheet_autosave, name="sheet_autosave"),
]
