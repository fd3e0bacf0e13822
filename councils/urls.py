from django.urls import path

from . import meeting_views, views

app_name = "councils"

urlpatterns = [
    path("", views.council_list, name="council_list"),
    path("new/", views.council_create, name="council_create"),
    path("<int:pk>/", views.council_detail, name="council_detail"),
    path("<int:pk>/seats/", views.seat_add, name="seat_add"),
    path("<int:pk>/officers/", views.officers_set, name="officers_set"),
    path("<int:pk>/step/<slug:name>/", views.council_step, name="council_step"),
    path("<int:pk>/proposals/new/", views.proposal_create, name="proposal_create"),
    path("<int:pk>/meetings/new/", meeting_views.meeting_create, name="meeting_create"),
    path("seats/<int:pk>/replace/", views.seat_replace, name="seat_replace"),
    path("proposals/", views.proposal_list, name="proposal_list"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/cosign/", views.proposal_cosign, name="proposal_cosign"),
    path("proposals/<int:pk>/step/<slug:name>/", views.proposal_step, name="proposal_step"),
    path("proposals/<int:pk>/executions/new/", views.execution_add, name="execution_add"),
    path("executions/<int:pk>/complete/", views.execution_complete, name="execution_complete"),
    path("meetings/<int:pk>/", meeting_views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/quorum/", meeting_views.meeting_quorum, name="meeting_quorum"),
    path("meetings/<int:pk>/step/<slug:name>/", meeting_views.meeting_step, name="meeting_step"),
    path("meetings/<int:pk>/checkin/", meeting_views.meeting_checkin, name="meeting_checkin"),
    path("meetings/<int:pk>/scan/<str:token>/", meeting_views.meeting_scan, name="meeting_scan"),
    path("meetings/<int:pk>/votes/new/", meeting_views.vote_prepare, name="vote_prepare"),
    path("votes/<int:pk>/", meeting_views.vote_detail, name="vote_detail"),
    path("votes/<int:pk>/ballot/", meeting_views.ballot_cast, name="ballot_cast"),
    path("votes/<int:pk>/counts/", meeting_views.vote_counts, name="vote_counts"),
    path("votes/<int:pk>/step/<slug:name>/", meeting_views.vote_step, name="vote_step"),
]
