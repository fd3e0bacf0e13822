"""The root URLconf (project level: it is the one module of the shequ package that
may import every app)."""

from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from accounts.api import LogoutView, MeView, TokenView
from archive.api import ArchivedListView, ArchiveView, RestoreView  # operations (#14)
from assessments.api import EvaluationViewSet, FeedbackViewSet, RubricViewSet, SheetViewSet
from commons.api import CommunityFundViewSet, CourtyardViewSet  # commons (#18)
from councils.api import CouncilViewSet, MeetingViewSet, ProposalViewSet, VoteViewSet  # councils (#17)
from organizations.api import OrganizationViewSet, SelfOrganizationViewSet
from places.api import CommunityViewSet, RegionViewSet
from places.role_api import RoleAssignmentViewSet  # operations (#14)
from projects.application_api import ApplicationViewSet, RoundViewSet
from projects.contest_api import CommitteeViewSet, ContestApplicationViewSet, ContestViewSet  # contests (#18)
from projects.progress_api import ProgressReportViewSet, RectificationViewSet, VisitViewSet
from projects.project_api import ProjectViewSet
from projects.review_api import ReviewSheetViewSet
from publicfunds.api import CollectionViewSet, FundItemViewSet, FundViewSet  # publicfunds (#18)
from reports.api import ReportViewSet
from reports.views import dashboard
from residents.api import ResidentViewSet  # residents (#17)
from timebank.api import AccountViewSet, NeedViewSet, RedemptionViewSet, ResourceViewSet, RewardViewSet, TaskViewSet
from web.api import NumericRouter

router = NumericRouter()  # integer ids only: /api/x/abc/ is a 404, not a 500 (#13)
router.register("regions", RegionViewSet, basename="region")
router.register("communities", CommunityViewSet, basename="community")
router.register("role-assignments", RoleAssignmentViewSet, basename="role-assignment")  # operations (#14)
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("rounds", RoundViewSet, basename="round")
router.register("applications", ApplicationViewSet, basename="application")
router.register("review-sheets", ReviewSheetViewSet, basename="review-sheet")
router.register("projects", ProjectViewSet, basename="project")
router.register("contests", ContestViewSet, basename="contest")  # contests (#18)
router.register("contest-applications", ContestApplicationViewSet, basename="contest-application")
router.register("review-committees", CommitteeViewSet, basename="review-committee")
router.register("progress-reports", ProgressReportViewSet, basename="progress-report")
router.register("supervision-visits", VisitViewSet, basename="supervision-visit")
router.register("rectifications", RectificationViewSet, basename="rectification")
router.register("self-organizations", SelfOrganizationViewSet, basename="self-organization")
router.register("rubrics", RubricViewSet, basename="rubric")
router.register("evaluations", EvaluationViewSet, basename="evaluation")
router.register("evaluation-sheets", SheetViewSet, basename="evaluation-sheet")
router.register("evaluation-feedback", FeedbackViewSet, basename="evaluation-feedback")
router.register("reports", ReportViewSet, basename="report")
router.register("residents", ResidentViewSet, basename="resident")  # residents (#17)
router.register("councils", CouncilViewSet, basename="council")  # councils (#17)
router.register("council-proposals", ProposalViewSet, basename="council-proposal")
router.register("council-meetings", MeetingViewSet, basename="council-meeting")
router.register("council-votes", VoteViewSet, basename="council-vote")
# Time bank
router.register("timebank/needs", NeedViewSet, basename="timebank-need")
router.register("timebank/resources", ResourceViewSet, basename="timebank-resource")
router.register("timebank/tasks", TaskViewSet, basename="timebank-task")
router.register("timebank/rewards", RewardViewSet, basename="timebank-reward")
router.register("timebank/redemptions", RedemptionViewSet, basename="timebank-redemption")
router.register("timebank/accounts", AccountViewSet, basename="timebank-account")

router.register("public-funds", FundViewSet, basename="public-fund")  # publicfunds (#18)
router.register("courtyards", CourtyardViewSet, basename="courtyard")  # commons (#18)
router.register("community-funds", CommunityFundViewSet, basename="community-fund")  # commons (#18)
router.register("public-fund-collections", CollectionViewSet, basename="public-fund-collection")
router.register("public-fund-items", FundItemViewSet, basename="public-fund-item")

# drf-spectacular's docs pages carry their own inline bootstrap script and style; only they may.
_DOCS_CSP = csp_update({"script-src": ["'unsafe-inline'"], "style-src": ["'unsafe-inline'"],
                        "worker-src": ["blob:"]})

api_patterns = [
    path("me/", MeView.as_view(), name="me"),
    path("auth/token/", TokenView.as_view(), name="token"),
    path("auth/logout/", LogoutView.as_view(), name="token_logout"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", _DOCS_CSP(SpectacularSwaggerView.as_view(url_name="api:schema")), name="docs"),
    path("redoc/", _DOCS_CSP(SpectacularRedocView.as_view(url_name="api:schema")), name="redoc"),
    # operations (#14): archive instead of delete.
    path("archive/", ArchivedListView.as_view(), name="archived-list"),
    path("archive/<slug:kind>/<int:pk>/", ArchiveView.as_view(), name="archive-object"),
    path("archive/<slug:kind>/<int:pk>/restore/", RestoreView.as_view(), name="restore-object"),
    path("", include("programme.api_urls")),  # issue #20: coverage, experts, map, library
    path("", include(router.urls)),
]

account_patterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]

urlpatterns = [
    path("", dashboard, name="home"),
    path("accounts/", include(account_patterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("places.urls")),
    path("", include("notifications.urls")),
    path("", include("residents.urls")),  # residents (#17)
    path("councils/", include("councils.urls")),  # councils (#17)
    path("funds/", include("publicfunds.urls")),  # publicfunds (#18)
    path("commons/", include("commons.urls")),  # courtyards and the community fund (#18)
    path("organizations/", include("organizations.urls")),
    path("funding/", include("projects.urls")),
    path("evaluations/", include("assessments.urls")),
    path("programme/", include("programme.urls")),  # issue #20
    path("timebank/", include("timebank.urls")),
    path("reports/", include("reports.urls")),
    path("archive/", include("archive.urls")),  # operations (#14)
    path("api/", include((api_patterns, "api"))),
    path("admin/", admin.site.urls),
    path("", include("operations.urls")),  # /healthz, /readyz
]

# operations (#14): Chinese error pages; JSON with the request id under /api/.
handler400 = "operations.views.bad_request"
handler403 = "operations.views.permission_denied"
handler404 = "operations.views.page_not_found"
handler500 = "operations.views.server_error"

