from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:pk>/queue/", views.review_queue, name="review_queue"),
    path("rounds/<int:pk>/assign/", views.review_assign, name="review_assign"),
    path("rounds/<int:pk>/apply/", views.application_start, name="application_start"),
    path("applications/", views.application_list, name="application_list"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("applications/<int:pk>/submit/", views.application_submit, name="application_submit"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path("applications/<int:pk>/endorse/", views.application_endorse, name="application_endorse"),
    path("applications/<int:pk>/screen/", views.application_screen, name="application_screen"),
    path("applications/<int:pk>/assign/", views.application_assign, name="application_assign"),
    path("applications/<int:pk>/decide/", views.application_decide, name="application_decide"),
    path("applications/<int:pk>/revisions/<int:number>/", views.revision_detail, name="revision_detail"),
    path("applications/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("applications/<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download,
         name="attachment_download"),
    path("applications/<int:pk>/attachments/<int:attachment_pk>/delete/", views.attachment_delete,
         name="attachment_delete"),
    path("reviews/", views.review_list, name="review_list"),
    path("reviews/<int:pk>/", views.review_sheet, name="review_sheet"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/agreement/", views.project_agreement, name="project_agreement"),
    path("projects/<int:pk>/disburse/", views.project_disburse, name="project_disburse"),
]
