"""Every named URL × every role → the expected status, for GET.

The list of URLs comes from the URLconf itself: a new pattern that is not listed in
EXPECTED fails `test_every_url_is_in_the_matrix`, so nobody adds a page without
deciding who may open it. 302 = sent to log in, 403 = may see but not do (or no such
role), 404 = outside the user's scope, 405 = the URL only takes POST.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessments import services as evaluation_services
from assessments.demo import load_default_rubric
from organizations import selforgs
from projects import services as project_services
from projects.models import Application, Project
from reports import services as report_services
from residents import services as resident_services
from tests import files
from tests.commons.matrix import COMMONS_EXPECTED, commons_url_kwargs  # commons (#18)
from tests.conftest import ROLES
from tests.programme.matrix import PROGRAMME_EXPECTED, programme_url_kwargs  # programme (issue #20)
from tests.projects.fixtures import _eager_celery, build, funding_round, review_form, second_reviewer  # noqa: F401
from tests.timebank.fixtures import build_gaoqiao_timebank

# Parts of the URLconf that are not ours to decide: Django's admin checks is_staff
# itself, set_language is a POST-only Django view.
EXCLUDED_PREFIXES = ("admin:",)
EXCLUDED_NAMES = {"set_language"}


def named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}{pattern.namespace}:"
            yield from named_patterns(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def everyone(status, **overrides):
    row = {role: status for role in ROLES}
    row["anonymous"] = overrides.pop("anonymous", 302)
    row.update(overrides)
    return row


PLACE_ROLES_200 = dict(admin=200, city_bureau=200, district_bureau=200, street=200, community=200)
NOT_IN_SCOPE_404 = dict(other_district_bureau=404, other_community=404, agency=404, other_agency=404,
                        reviewer=404, supervisor=404, evaluator=404, outsider=404)
DIRECTORY_403 = dict(agency=403, other_agency=403, reviewer=403, supervisor=403, evaluator=403, outsider=403)
ORG_PRIVATE_200 = dict(admin=200, city_bureau=200, district_bureau=200, agency=200)
ORG_PRIVATE_404 = dict(other_district_bureau=404, street=404, community=404, other_community=404,
                       other_agency=404, reviewer=404, supervisor=404, evaluator=404, outsider=404)
BUREAU_ONLY = dict(admin=200, city_bureau=200, district_bureau=200, other_district_bureau=200)

# Application A: in expert review in 高桥社区, by 融祥 (agency), the reviewer assigned. It
# is a city round, so only admin and city bureau staff act as its funder.
APP_VISIBLE = ("admin", "city_bureau", "district_bureau", "street", "community", "agency", "reviewer")
APP_HIDDEN = ("other_district_bureau", "other_community", "other_agency", "supervisor", "evaluator", "outsider")
FUNDER = ("admin", "city_bureau")
# Project P: approved from another application in 高桥社区; the reviewer was not on it.
# The supervisor is on its supervision team, the evaluator on one of its evaluations.
PROJECT_VISIBLE = ("admin", "city_bureau", "district_bureau", "street", "community", "agency", "supervisor",
                   "evaluator")
PLACE_COVERING = ("admin", "city_bureau", "district_bureau", "street", "community")


def app_row(*, funder=None, applicant=None, community=None, visible=403, anonymous=302):
    """A row for an action on application A: outside its scope 404, visible but not
    allowed `visible`, and the given statuses for the funder / applicant / community."""
    row = {role: 404 for role in APP_HIDDEN}
    row.update({role: visible for role in APP_VISIBLE})
    row["anonymous"] = anonymous
    for roles, status in ((FUNDER, funder), (("agency",), applicant), (("community",), community)):
        if status is not None:
            row.update({role: status for role in roles})
    return row


def project_row(*, funder=None, visible=403, anonymous=302, **statuses):
    """A row for project P (and its report R and rectification item): outside 404,
    visible but not allowed `visible`, and the statuses given per role."""
    row = {role: 404 for role in ROLES}
    row.update({role: visible for role in PROJECT_VISIBLE})
    if funder is not None:
        row.update({role: funder for role in FUNDER})
    row.update(statuses)
    row["anonymous"] = anonymous
    return row


# Evaluation E of project P, still being scored, by the evaluator (its lead).
EVAL_VISIBLE = ("admin", "city_bureau", "district_bureau", "agency", "evaluator")


def eval_row(*, visible=403, anonymous=302, **statuses):
    row = {role: 404 for role in ROLES}
    row.update({role: visible for role in EVAL_VISIBLE})
    row.update(statuses)
    row["anonymous"] = anonymous
    return row


# --- councils (#17): staff whose place covers 高桥社区 read its councils; nobody else sees them ---
COUNCIL_VISIBLE = ("admin", "city_bureau", "district_bureau", "street", "community")


def council_row(*, visible, anonymous=302, **statuses):
    row = {role: 404 for role in ROLES}
    row.update({role: visible for role in COUNCIL_VISIBLE})
    row.update(statuses)
    row["anonymous"] = anonymous
    return row
# --- end councils ---


SELFORG_VISIBLE = dict(other_district_bureau=404, other_community=404, outsider=404)
SELFORG_KEEPERS = dict(admin=200, city_bureau=200, district_bureau=200, community=200)

# Time bank objects in 高桥社区: place staff covering it read them, its keepers (not
# street staff) run them; residents and merchants are not in this cast (tests/timebank).
TB_KEEPERS_200 = dict(admin=200, city_bureau=200, district_bureau=200, community=200)
TB_ANY_KEEPER_200 = dict(TB_KEEPERS_200, other_district_bureau=200, other_community=200)
TB_HIDDEN = dict(NOT_IN_SCOPE_404)


def tb_row(visible, anonymous=302, **statuses):
    """Visible to place staff covering 高桥社区 (`visible`), 404 outside."""
    row = everyone(visible, anonymous=anonymous, **TB_HIDDEN)
    row.update(statuses)
    return row


# name → (kwargs builder key, {role: status}[, "post"]). POST-only URLs are tried with
# an empty POST, after every GET, since a permitted POST changes data.
EXPECTED = {
    "home": (None, everyone(200)),
    "login": (None, everyone(302, anonymous=200)),
    "logout": (None, everyone(405, anonymous=405)),
    "password_change": (None, everyone(200)),
    "password_change_done": (None, everyone(200)),
    "places:community_list": (None, everyone(200, **DIRECTORY_403)),
    "places:community_detail": ("community", everyone(200, **NOT_IN_SCOPE_404)),
    "places:community_edit": ("community", everyone(200, street=403, **NOT_IN_SCOPE_404)),
    "places:community_merge": ("community", everyone(200, street=403, community=403, **NOT_IN_SCOPE_404)),
    # Bulk import (issue #16): bureau staff only; a stale preview token sends the clerk back to upload.
    "places:community_import": (None, everyone(403, **BUREAU_ONLY)),
    "places:community_import_template": (None, everyone(403, **BUREAU_ONLY)),
    "places:community_import_preview": ("import_token", everyone(403, **{r: 302 for r in BUREAU_ONLY})),
    "organizations:organization_import": (None, everyone(403, **BUREAU_ONLY)),
    "organizations:organization_import_template": (None, everyone(403, **BUREAU_ONLY)),
    "organizations:organization_import_preview": ("import_token", everyone(403, **{r: 302 for r in BUREAU_ONLY})),
    "organizations:organization_list": (None, everyone(200)),
    "organizations:organization_create": (None, everyone(403, **BUREAU_ONLY)),
    "organizations:organization_detail": ("organization", everyone(200)),
    "organizations:organization_edit": ("organization", everyone(200, **ORG_PRIVATE_404)),
    "organizations:organization_members": ("organization", everyone(200, **ORG_PRIVATE_404)),
    # The API answers 401 with WWW-Authenticate (not a login redirect) to anonymous callers.
    "api:me": (None, everyone(200, anonymous=401)),
    "api:token": (None, everyone(405, anonymous=405)),
    # Revoking a token needs that token: a session alone is not enough (401 for everyone).
    "api:token_logout": (None, everyone(401, anonymous=401)),
    "api:schema": (None, everyone(200, anonymous=401)),
    "api:docs": (None, everyone(200, anonymous=401)),
    "api:redoc": (None, everyone(200, anonymous=401)),
    "api:api-root": (None, everyone(200, anonymous=401)),
    "api:region-list": (None, everyone(200, anonymous=401)),
    "api:region-detail": ("region", everyone(200, anonymous=401)),
    "api:community-list": (None, everyone(200, anonymous=401, **DIRECTORY_403)),
    "api:community-detail": ("community", everyone(200, anonymous=401, **NOT_IN_SCOPE_404)),
    # An empty POST: allowed callers get the service's 400, not a merge.
    "api:community-merge": ("community", everyone(400, anonymous=401, street=403, community=403, **NOT_IN_SCOPE_404),
                            "post"),
    # An empty POST: bureau staff get 400 (no file), everyone else 403 before the file is looked at.
    "api:community-bulk-import": (None, everyone(403, anonymous=401, **{r: 400 for r in BUREAU_ONLY}), "post"),
    "api:organization-bulk-import": (None, everyone(403, anonymous=401, **{r: 400 for r in BUREAU_ONLY}), "post"),
    "api:organization-list": (None, everyone(200, anonymous=401)),
    "api:organization-detail": ("organization", everyone(200, anonymous=401)),
    "api:organization-members": ("organization", everyone(200, anonymous=401, **ORG_PRIVATE_404)),
    "notifications:notification_list": (None, everyone(200)),
    "notifications:notification_settings": (None, everyone(200)),
    "notifications:notification_read_all": (None, everyone(302), "post"),
    # Rounds are public calls for proposals; the funder manages them.
    "projects:round_list": (None, everyone(200)),
    "projects:round_create": (None, everyone(403, **BUREAU_ONLY)),
    "projects:round_detail": ("round", everyone(200)),
    "projects:round_edit": ("round", everyone(403, admin=200, city_bureau=200)),
    "projects:review_queue": ("round", everyone(403, admin=200, city_bureau=200)),
    "projects:review_assign": ("round", everyone(403, admin=302, city_bureau=302), "post"),
    "projects:application_start": ("round", everyone(403, agency=200, other_agency=200)),
    "projects:application_list": (None, everyone(200)),
    "projects:application_detail": ("application", app_row(visible=200)),
    "projects:application_edit": ("application", app_row(applicant=302)),
    "projects:application_endorse": ("application", app_row(community=200)),
    "projects:revision_detail": ("revision", app_row(visible=200)),
    "projects:attachment_download": ("attachment", app_row(visible=200)),
    "projects:attachment_thumb": ("image_attachment", app_row(visible=200)),
    "projects:review_list": (None, everyone(200)),
    "projects:review_sheet": ("sheet", everyone(404, reviewer=200)),
    "projects:project_list": (None, everyone(200)),
    "projects:project_detail": ("project", project_row(funder=200, visible=200)),
    # Empty POSTs: the permitted caller gets the refusal message (302 back to the page)
    # or the form again (400); nothing changes.
    "projects:application_submit": ("application", app_row(applicant=302), "post"),
    "projects:application_screen": ("application", app_row(funder=302), "post"),
    "projects:application_assign": ("application", app_row(funder=302), "post"),
    "projects:application_decide": ("application", app_row(funder=400), "post"),
    "projects:attachment_upload": ("application", app_row(applicant=302), "post"),
    "projects:attachment_delete": ("attachment", app_row(applicant=302), "post"),
    "projects:project_agreement": ("project", project_row(funder=302), "post"),
    "projects:project_step": ("project_close", project_row(funder=200)),
    "projects:project_disburse": ("project", project_row(funder=400), "post"),
    # Corrections (GET: the confirm page with what will change).
    "projects:disbursement_reverse": ("disbursement", project_row(funder=200)),
    # Budget adjustment: the agency's page (the project is signed, so saving would be refused).
    "projects:budget_adjust": ("project", project_row(agency=200)),
    "projects:progress_reopen": ("report", project_row(funder=200)),
    "assessments:unpublish": ("evaluation", eval_row(admin=200, city_bureau=200)),
    "api:project-reverse-disbursement": ("project", project_row(funder=400, anonymous=401), "post"),
    "api:progress-report-reopen": ("report", project_row(funder=400, anonymous=401), "post"),
    "api:evaluation-unpublish": ("evaluation", eval_row(admin=400, city_bureau=400, anonymous=401), "post"),
    "api:round-list": (None, everyone(200, anonymous=401)),
    "api:round-detail": ("round", everyone(200, anonymous=401)),
    "api:application-list": (None, everyone(200, anonymous=401)),
    "api:application-detail": ("application", app_row(visible=200, anonymous=401)),
    "api:application-revisions": ("application", app_row(visible=200, anonymous=401)),
    "api:review-sheet-list": (None, everyone(200, anonymous=401)),
    "api:review-sheet-detail": ("sheet", everyone(404, anonymous=401, reviewer=200, admin=200, city_bureau=200)),
    "api:project-list": (None, everyone(200, anonymous=401)),
    "api:project-detail": ("project", project_row(funder=200, visible=200, anonymous=401)),
    "api:application-submit": ("application", app_row(applicant=400, anonymous=401), "post"),
    "api:application-endorse": ("application", app_row(community=400, anonymous=401), "post"),
    "api:application-screen": ("application", app_row(funder=400, anonymous=401), "post"),
    "api:application-assign": ("application", app_row(funder=400, anonymous=401), "post"),
    "api:application-decide": ("application", app_row(funder=400, anonymous=401), "post"),
    "api:review-sheet-submit": ("sheet", everyone(404, anonymous=401, reviewer=400, admin=403, city_bureau=403),
                                "post"),
    "api:project-agreement": ("project", project_row(funder=400, anonymous=401), "post"),
    "api:project-disburse": ("project", project_row(funder=400, anonymous=401), "post"),
    # The project has reports still to accept: the funder is told why (400), others may not.
    "api:project-close": ("project", project_row(funder=400, anonymous=401), "post"),
    "api:project-reopen": ("project", project_row(funder=400, anonymous=401), "post"),
    # Progress, supervision, rectification (report R of project P; item raised by P's supervisor).
    "projects:visit_add": ("project", project_row(supervisor=200)),
    "projects:progress_list": (None, everyone(200)),
    "projects:progress_detail": ("report", project_row(visible=200)),
    "projects:activity_photo": ("photo", project_row(visible=200)),
    "projects:activity_photo_thumb": ("photo", project_row(visible=200)),
    "projects:rectification_list": (None, everyone(200)),
    "projects:rectification_add": ("rectification_add", project_row(**{r: 200 for r in PLACE_COVERING},
                                                                   supervisor=200)),
    "projects:rectification_detail": ("rectification", project_row(visible=200)),
    "organizations:selforg_list": (None, everyone(200)),
    "organizations:selforg_create": (None, everyone(403, other_district_bureau=200, other_community=200,
                                                    **SELFORG_KEEPERS)),
    "organizations:selforg_detail": ("selforg", everyone(200, **SELFORG_VISIBLE)),
    "organizations:selforg_progress": ("selforg", everyone(403, **SELFORG_VISIBLE, **SELFORG_KEEPERS)),
    "api:progress-report-list": (None, everyone(200, anonymous=401)),
    "api:progress-report-detail": ("report", project_row(visible=200, anonymous=401)),
    "api:supervision-visit-list": (None, everyone(200, anonymous=401)),
    "api:rectification-list": (None, everyone(200, anonymous=401)),
    "api:rectification-rate": (None, everyone(200, anonymous=401)),
    "api:rectification-detail": ("rectification", project_row(visible=200, anonymous=401)),
    "api:self-organization-list": (None, everyone(200, anonymous=401)),
    "api:self-organization-detail": ("selforg", everyone(200, anonymous=401, **SELFORG_VISIBLE)),
    "projects:supervisor_assign": ("project", project_row(funder=302), "post"),
    "projects:progress_narrative": ("report", project_row(agency=302), "post"),
    "projects:activity_add": ("report", project_row(agency=400), "post"),
    "projects:expense_add": ("report", project_row(agency=400), "post"),
    "projects:selforg_update_add": ("report", project_row(agency=400), "post"),
    "projects:selforg_register": ("report", project_row(agency=400), "post"),
    "projects:progress_submit": ("report", project_row(agency=302), "post"),
    "projects:progress_accept": ("report", project_row(funder=302), "post"),
    "projects:progress_return": ("report", project_row(funder=400), "post"),
    "projects:progress_comment": ("report", project_row(**{r: 400 for r in PLACE_COVERING}), "post"),
    "projects:rectification_respond": ("rectification", project_row(agency=302), "post"),
    "projects:rectification_verify": ("rectification", project_row(admin=302, city_bureau=302,
                                                                   district_bureau=302, supervisor=302), "post"),
    "api:progress-report-activities": ("report", project_row(agency=400, anonymous=401), "post"),
    "api:progress-report-expenses": ("report", project_row(agency=400, anonymous=401), "post"),
    "api:progress-report-submit": ("report", project_row(agency=400, anonymous=401), "post"),
    "api:progress-report-accept": ("report", project_row(funder=400, anonymous=401), "post"),
    "api:progress-report-return": ("report", project_row(funder=400, anonymous=401), "post"),
    "api:rectification-respond": ("rectification", project_row(agency=400, anonymous=401), "post"),
    "api:rectification-verify": ("rectification", project_row(admin=400, city_bureau=400, district_bureau=400,
                                                               supervisor=400, anonymous=401), "post"),
    "api:self-organization-progress": ("selforg", everyone(403, anonymous=401, **SELFORG_VISIBLE,
                                                           **{k: 400 for k in SELFORG_KEEPERS}), "post"),
    # Participatory evaluation.
    "assessments:rubric_list": (None, everyone(200)),
    "assessments:rubric_detail": ("rubric", everyone(200)),
    "assessments:evaluation_list": (None, everyone(200)),
    "assessments:evaluation_create": ("project_pk", project_row(funder=200)),
    "assessments:evaluation_detail": ("evaluation", eval_row(visible=200)),
    "assessments:sheet": ("evaluation_sheet", everyone(404, evaluator=200)),
    "api:rubric-list": (None, everyone(200, anonymous=401)),
    "api:rubric-detail": ("rubric", everyone(200, anonymous=401)),
    "api:evaluation-list": (None, everyone(200, anonymous=401)),
    "api:evaluation-detail": ("evaluation", eval_row(visible=200, anonymous=401)),
    "api:evaluation-results": ("evaluation", eval_row(admin=200, city_bureau=200, anonymous=401)),
    "api:evaluation-feedback": ("evaluation", eval_row(visible=200, anonymous=401)),
    "api:evaluation-sheet-list": (None, everyone(200, anonymous=401)),
    "api:evaluation-sheet-detail": ("evaluation_sheet", everyone(404, anonymous=401, evaluator=200, admin=200,
                                                                 city_bureau=200)),
    "assessments:self_assessment": ("evaluation", eval_row(agency=302), "post"),
    "assessments:close_scoring": ("evaluation", eval_row(admin=302, city_bureau=302, evaluator=302), "post"),
    "assessments:feedback_add": ("evaluation", eval_row(admin=400, city_bureau=400, evaluator=400), "post"),
    "assessments:publish": ("evaluation", eval_row(admin=400, city_bureau=400), "post"),
    "assessments:decide": ("evaluation", eval_row(admin=400, city_bureau=400), "post"),
    "assessments:feedback_answer": ("point", eval_row(agency=302), "post"),
    "assessments:feedback_rectification": ("point", eval_row(admin=302, city_bureau=302), "post"),
    "assessments:sheet_autosave": ("evaluation_sheet", everyone(404, evaluator=200), "post"),
    "api:evaluation-close": ("evaluation", eval_row(admin=400, city_bureau=400, evaluator=400, anonymous=401),
                             "post"),
    "api:evaluation-publish": ("evaluation", eval_row(admin=400, city_bureau=400, anonymous=401), "post"),
    "api:evaluation-sheet-submit": ("evaluation_sheet", everyone(404, anonymous=401, evaluator=400, admin=403,
                                                                 city_bureau=403), "post"),
    "api:evaluation-feedback-answer": ("api_point", eval_row(agency=400, anonymous=401), "post"),
    # Reports: R covers 都江堰市 (bureau staff covering it read it); the dossier follows its project.
    "reports:report_list": (None, everyone(200)),
    "reports:report_detail": ("report_job", everyone(404, admin=200, city_bureau=200, district_bureau=200)),
    "reports:report_download": ("report_job", everyone(404, admin=200, city_bureau=200, district_bureau=200)),
    "api:report-list": (None, everyone(200, anonymous=401)),
    "api:report-detail": ("report_job", everyone(404, anonymous=401, admin=200, city_bureau=200, district_bureau=200)),
    "api:report-download": ("report_job", everyone(404, anonymous=401, admin=200, city_bureau=200,
                                               district_bureau=200)),
    "reports:report_retry": ("report_job", everyone(404, admin=302, city_bureau=302, district_bureau=302), "post"),
    "reports:dossier_request": ("project_pk", project_row(visible=302), "post"),
    # --- residents (#17): personal data for the community's own staff (and admins) only ---
    "residents:resident_list": (None, everyone(403, admin=200, community=200, other_community=200)),
    "residents:resident_add": (None, everyone(403, admin=200, community=200, other_community=200)),
    "residents:resident_import": (None, everyone(403, admin=200, community=200, other_community=200)),
    # Only 高桥 has a resident without a password: its staff get the sheet, the others are sent back.
    "residents:invite_sheet": (None, everyone(403, admin=302, community=200, other_community=302), "post"),
    "residents:join": (None, everyone(200, anonymous=200)),
    "residents:join_code": ("invite", everyone(404, anonymous=404)),
    "residents:signin_code": (None, everyone(200, anonymous=200)),
    "api:resident-list": (None, everyone(200, anonymous=401)),
    "api:resident-detail": ("resident", everyone(404, anonymous=401, admin=200, community=200)),
    "api:resident-invite": ("resident", everyone(404, anonymous=401, admin=200, community=200), "post"),
    # --- end residents ---
    # --- councils (#17): council K of 高桥社区 (seated), its proposal, meeting, vote, seat and execution item ---
    "councils:council_list": (None, everyone(200)),
    "councils:council_create": ("council_create", council_row(visible=403, admin=200, community=200)),
    "councils:council_detail": ("council", council_row(visible=200)),
    "councils:council_step": ("council_step", council_row(visible=403, admin=200, community=200)),
    "councils:proposal_create": ("council", council_row(visible=403, community=200)),
    "councils:meeting_create": ("council", council_row(visible=403, admin=200, community=200)),
    "councils:seat_replace": ("seat", council_row(visible=403, admin=200, community=200)),
    "councils:proposal_list": (None, everyone(200)),
    "councils:proposal_detail": ("proposal", council_row(visible=200)),
    "councils:proposal_step": ("proposal_step", council_row(visible=403, community=200)),
    "councils:execution_add": ("proposal", council_row(visible=403, admin=200, community=200)),
    "councils:meeting_detail": ("meeting", council_row(visible=200)),
    "councils:meeting_quorum": ("meeting", council_row(visible=200)),
    "councils:meeting_step": ("meeting_step", council_row(visible=403, admin=200, community=200)),
    "councils:meeting_scan": ("scan", council_row(visible=403)),
    "councils:vote_detail": ("vote", council_row(visible=200)),
    "councils:vote_step": ("vote_step", council_row(visible=403, admin=200, community=200)),
    "api:council-list": (None, everyone(200, anonymous=401)),
    "api:council-detail": ("council", council_row(visible=200, anonymous=401)),
    "api:council-proposal-list": (None, everyone(200, anonymous=401)),
    "api:council-proposal-detail": ("proposal", council_row(visible=200, anonymous=401)),
    "api:council-meeting-list": (None, everyone(200, anonymous=401)),
    "api:council-meeting-detail": ("meeting", council_row(visible=200, anonymous=401)),
    "api:council-vote-list": (None, everyone(200, anonymous=401)),
    "api:council-vote-detail": ("vote", council_row(visible=200, anonymous=401)),
    # Empty or refused POSTs: staff are not residents (no co-signing, no seat to check in or vote with).
    "councils:seat_add": ("council", council_row(visible=403, admin=302, community=302), "post"),
    "councils:officers_set": ("council", council_row(visible=403, admin=302, community=302), "post"),
    "councils:proposal_cosign": ("proposal", council_row(visible=403), "post"),
    "councils:meeting_checkin": ("meeting", council_row(visible=403, admin=302, community=302), "post"),
    "councils:vote_prepare": ("meeting", council_row(visible=403, admin=302, community=302), "post"),
    "councils:ballot_cast": ("vote", council_row(visible=302), "post"),
    "councils:vote_counts": ("vote", council_row(visible=403, admin=302, community=302), "post"),
    "api:council-proposal-cosign": ("proposal", council_row(visible=403, anonymous=401), "post"),
    "api:council-proposal-review": ("proposal_review", council_row(visible=403, community=400, anonymous=401),
                                    "post"),
    "api:council-meeting-check-in": ("meeting", council_row(visible=403, anonymous=401), "post"),
    "api:council-vote-ballot": ("vote", council_row(visible=400, anonymous=401), "post"),
    "api:council-vote-step": ("vote_step_api", council_row(visible=403, admin=400, community=400, anonymous=401),
                              "post"),
    "councils:execution_complete": ("execution", council_row(visible=403, admin=302, community=302), "post"),
    # --- end councils ---
    # Time bank.
    "timebank:home": (None, everyone(200)),
    "timebank:need_list": (None, everyone(200)),
    "timebank:need_create": (None, everyone(403, **TB_ANY_KEEPER_200)),
    "timebank:need_detail": ("tb_need", tb_row(200)),
    "timebank:need_step": ("tb_need_step", tb_row(403, **TB_KEEPERS_200)),
    "timebank:resource_list": (None, everyone(200)),
    "timebank:resource_create": (None, everyone(403, street=200, **TB_ANY_KEEPER_200)),
    "timebank:task_list": (None, everyone(200)),
    "timebank:task_create": (None, everyone(403, **TB_ANY_KEEPER_200)),
    "timebank:task_detail": ("tb_task", tb_row(200)),
    "timebank:task_qr": ("tb_task", tb_row(403, **TB_KEEPERS_200)),
    "timebank:checkin": ("tb_checkin_url", tb_row(403)),
    "timebank:task_step": ("tb_task_step", tb_row(403, **TB_KEEPERS_200)),
    "timebank:reward_list": (None, everyone(200)),
    "timebank:redemption_detail": ("tb_redemption", tb_row(200)),
    "timebank:redemption_confirm": (None, everyone(403)),
    "timebank:merchant_statement": ("tb_partner", tb_row(200)),
    "timebank:reward_create": ("tb_partner", tb_row(403, **TB_KEEPERS_200)),
    "timebank:dashboard": ("tb_community", tb_row(200)),
    "timebank:redemption_day_create": ("tb_community", tb_row(403, **TB_KEEPERS_200)),
    "api:timebank-need-list": (None, everyone(200, anonymous=401)),
    "api:timebank-need-detail": ("tb_need", tb_row(200, anonymous=401)),
    "api:timebank-resource-list": (None, everyone(200, anonymous=401)),
    "api:timebank-task-list": (None, everyone(200, anonymous=401)),
    "api:timebank-task-detail": ("tb_task", tb_row(200, anonymous=401)),
    "api:timebank-reward-list": (None, everyone(200, anonymous=401)),
    "api:timebank-redemption-list": (None, everyone(200, anonymous=401)),
    "api:timebank-redemption-detail": ("tb_redemption", tb_row(200, anonymous=401)),
    "api:timebank-account-list": (None, everyone(200, anonymous=401)),
    "api:timebank-account-detail": ("tb_account", tb_row(200, anonymous=401)),
    "api:timebank-account-entries": ("tb_account", tb_row(200, anonymous=401)),
    # Empty POSTs: keepers are told what is missing (302 back with a message / 400);
    # the residents' and merchants' own steps refuse place staff (403).
    "timebank:task_respond": ("tb_task", tb_row(403), "post"),
    "timebank:checkin_add": ("tb_task", tb_row(403, **{k: 302 for k in TB_KEEPERS_200}), "post"),
    "timebank:checkin_confirm": ("tb_checkin", tb_row(403, **{k: 302 for k in TB_KEEPERS_200}), "post"),
    "timebank:reward_redeem": ("tb_reward", tb_row(403), "post"),
    "timebank:redemption_cancel": ("tb_redemption", tb_row(403), "post"),
    "api:timebank-need-transition": ("tb_need", tb_row(400, anonymous=401), "post"),
    "api:timebank-task-transition": ("tb_task", tb_row(400, anonymous=401), "post"),
    "api:timebank-task-respond": ("tb_task", tb_row(403, anonymous=401), "post"),
    "api:timebank-task-checkin": ("tb_task", tb_row(400, anonymous=401), "post"),
    "api:timebank-reward-redeem": ("tb_reward", tb_row(403, anonymous=401), "post"),
    "api:timebank-redemption-confirm": (None, everyone(403, anonymous=401), "post"),
    "api:timebank-redemption-cancel": ("tb_redemption", tb_row(403, anonymous=401), "post"),
    # Deactivates the partner: after the rows that read it.
    "timebank:partner_leave": ("tb_partner", tb_row(403, **{k: 302 for k in TB_KEEPERS_200}), "post"),
    # --- publicfunds (#18): 高桥社区's fund (in 梳理讨论), its closed collection and an item ---
    "publicfunds:fund_list": (None, everyone(200)),
    "publicfunds:fund_create": ("fund_create", everyone(403, admin=200, city_bureau=200, district_bureau=200,
                                                        community=200)),
    "publicfunds:fund_detail": ("fund", council_row(visible=200)),
    "publicfunds:fund_evidence": ("fund", council_row(visible=403, admin=200, community=200)),
    "publicfunds:fund_override": ("fund", council_row(visible=403, admin=200, city_bureau=200,
                                                      district_bureau=200)),
    "publicfunds:fund_step": ("fund_step", council_row(visible=403, admin=200, community=200)),
    "publicfunds:fund_accounts": ("fund", council_row(visible=200)),
    "publicfunds:fund_decision": ("fund", council_row(visible=200)),
    "publicfunds:collection_create": ("fund", council_row(visible=403, admin=200, community=200)),
    "publicfunds:item_create": ("fund", council_row(visible=403, admin=200, community=200)),
    "publicfunds:collection_detail": ("fund_collection", council_row(visible=200)),
    "publicfunds:collection_paper": ("fund_collection", council_row(visible=403, admin=200, community=200)),
    "publicfunds:spending_create": ("fund_item", council_row(visible=403, admin=200, community=200)),
    "publicfunds:dossier_download": ("fund", council_row(visible=404)),  # not built yet
    "api:public-fund-list": (None, everyone(200, anonymous=401)),
    "api:public-fund-detail": ("fund", council_row(visible=200, anonymous=401)),
    "api:public-fund-collection-list": (None, everyone(200, anonymous=401)),
    "api:public-fund-collection-detail": ("fund_collection", council_row(visible=200, anonymous=401)),
    "api:public-fund-item-list": (None, everyone(200, anonymous=401)),
    "api:public-fund-item-detail": ("fund_item", council_row(visible=200, anonymous=401)),
    # Empty or refused POSTs: the collection is already closed; staff have no household to vote for.
    "publicfunds:collection_close": ("fund_collection", council_row(visible=403, admin=302, community=302), "post"),
    # Refused with a message (not yet 档案归集): back to the fund.
    "publicfunds:dossier_request": ("fund", council_row(visible=403, admin=302, community=302), "post"),
    "api:public-fund-step": ("fund_step_api", council_row(visible=403, admin=400, community=400, anonymous=401),
                             "post"),
    "api:public-fund-override": ("fund", council_row(visible=403, admin=400, city_bureau=400, district_bureau=400,
                                                     anonymous=401), "post"),
    "api:public-fund-collection-vote": ("fund_collection", council_row(visible=400, anonymous=401), "post"),
    "api:public-fund-collection-paper": ("fund_collection", council_row(visible=403, admin=400, community=400,
                                                                        anonymous=401), "post"),
    "api:public-fund-item-spend": ("fund_item", council_row(visible=403, admin=400, community=400, anonymous=401),
                                   "post"),
    # --- end publicfunds ---
    # --- contests (#18): 高桥社区's courtyard contest, its committee and one submitted application ---
    "projects:contest_list": (None, everyone(200)),
    "projects:contest_create": ("contest_create", everyone(403, admin=200, community=200)),
    "projects:contest_detail": ("contest", council_row(visible=200)),
    "projects:contest_apply": ("contest", council_row(visible=403)),
    "projects:contest_results": ("contest", everyone(200, anonymous=200)),
    "projects:contest_application": ("contest_application", council_row(visible=200)),
    "projects:contest_edit": ("contest_application", council_row(visible=403)),
    "projects:contest_decide": ("contest_application", council_row(visible=403, admin=200, community=200)),
    "projects:committee_list": (None, everyone(200)),
    "projects:committee_create": ("contest_create", everyone(403, admin=200, community=200)),
    "projects:committee_detail": ("committee", council_row(visible=200)),
    "projects:committee_join": ("committee", council_row(visible=403, admin=200, community=200)),
    "projects:committee_exit": ("committee_member", council_row(visible=403, admin=200, community=200)),
    "api:contest-list": (None, everyone(200, anonymous=401)),
    "api:contest-detail": ("contest", council_row(visible=200, anonymous=401)),
    "api:contest-results": ("contest", everyone(200, anonymous=200)),
    "api:contest-application-list": (None, everyone(200, anonymous=401)),
    "api:contest-application-detail": ("contest_application", council_row(visible=200, anonymous=401)),
    "api:review-committee-list": (None, everyone(200, anonymous=401)),
    "api:review-committee-detail": ("committee", council_row(visible=200, anonymous=401)),
    # Empty POSTs: refused by the form (page: back with a message) or the serializer (API: 400).
    "projects:contest_screen": ("contest_application", council_row(visible=403, admin=302, community=302), "post"),
    "projects:committee_role": ("committee_member", council_row(visible=403, admin=302, community=302), "post"),
    "api:contest-apply": ("contest", council_row(visible=403, anonymous=401), "post"),
    "api:contest-application-screen": ("contest_application", council_row(visible=403, admin=400, community=400,
                                                                          anonymous=401), "post"),
    "api:contest-application-decide": ("contest_application", council_row(visible=403, admin=400, community=400,
                                                                          anonymous=401), "post"),
    "api:review-committee-join": ("committee", council_row(visible=403, admin=400, community=400, anonymous=401),
                                  "post"),
    "api:review-committee-exit": ("committee", council_row(visible=403, admin=400, community=400, anonymous=401),
                                  "post"),
    # --- end contests ---
    # These delete what the earlier rows looked at.
    "projects:activity_delete": ("activity", project_row(agency=302), "post"),
    "projects:expense_delete": ("expense", project_row(agency=302), "post"),
    # Last, because a permitted call changes what later rows would see: the agency
    # withdraws application A, then leaves its organisation.
    "api:application-withdraw": ("application", app_row(applicant=200, anonymous=401), "post"),
    "projects:application_withdraw": ("application", app_row(applicant=302), "post"),
    "organizations:membership_remove": ("membership", everyone(302, **ORG_PRIVATE_404), "post"),
    # operations (#14): probes for load balancers and monitoring, open to everyone.
    "operations:healthz": (None, everyone(200, anonymous=200)),
    "operations:readyz": (None, everyone(200, anonymous=200)),
    # operations (#14): archive instead of delete. Project P is in a city round: its funder
    # (admin, city bureau) archives it; those who see it get 403; restoring a live object is 404.
    "archive:archived_list": (None, everyone(403, **BUREAU_ONLY)),
    "archive:archive_object": ("archive_project", project_row(funder=200)),
    "archive:restore_object": ("archive_project", everyone(403, admin=404, city_bureau=404, district_bureau=404,
                                                           other_district_bureau=404), "post"),
    "api:archived-list": (None, everyone(403, anonymous=401, **BUREAU_ONLY)),
    "api:archive-object": ("archive_project", project_row(funder=400, anonymous=401), "post"),
    "api:restore-object": ("archive_project", everyone(403, anonymous=401, admin=404, city_bureau=404,
                                                       district_bureau=404, other_district_bureau=404), "post"),
    # operations (#14): role management; the assignment is the community worker's in 高桥社区.
    "places:role_list": (None, everyone(403, **BUREAU_ONLY)),
    "places:role_grant": (None, everyone(403, **BUREAU_ONLY)),
    "places:role_revoke": ("role_assignment", everyone(403, admin=200, city_bureau=200, district_bureau=200,
                                                       other_district_bureau=404)),
    "api:role-assignment-list": (None, everyone(403, anonymous=401, **BUREAU_ONLY)),
    "api:role-assignment-revoke": ("role_assignment", everyone(403, anonymous=401, admin=400, city_bureau=400,
                                                               district_bureau=400, other_district_bureau=404),
                                   "post"),
}
EXPECTED.update(PROGRAMME_EXPECTED)  # programme (issue #20)
EXPECTED.update(COMMONS_EXPECTED)  # commons (#18)
for _name, (_key, _row, *_method) in EXPECTED.items():
    assert set(_row) == set(ROLES), _name


def test_every_url_is_in_the_matrix():
    names = {name for name, _ in named_patterns() if not name.startswith(EXCLUDED_PREFIXES)}
    names -= EXCLUDED_NAMES
    missing = sorted(names - set(EXPECTED))
    stale = sorted(set(EXPECTED) - names)
    assert not missing, f"URL patterns with no row in the permission matrix: {missing}"
    assert not stale, f"Matrix rows for URLs that no longer exist: {stale}"


@pytest.fixture
def url_kwargs(places, organizations, cast, build):
    rongxiang = organizations["rongxiang"]
    application = build(Application.Status.DRAFT, title="A")
    attachment = project_services.attachment_add(
        application=application, actor=cast["agency"],
        upload=files.pdf("a.pdf"))
    image_attachment = project_services.attachment_add(application=application, actor=cast["agency"],
                                                       upload=files.jpeg("a.jpg"))
    project_services.application_endorse(application=application, actor=cast["community"], endorsement="support")
    project_services.application_submit(application=application, actor=cast["agency"])
    project_services.application_screen(application=application, actor=cast["city_bureau"], passed=True)
    sheet, = project_services.review_assign(applications=[application], reviewers=[cast["reviewer"]],
                                            actor=cast["city_bureau"])
    project = Project.objects.get(application=build(Application.Status.APPROVED, title="P", amount=Decimal("50000")))
    project = project_services.agreement_sign(project=project, actor=cast["city_bureau"],
                                              signed_on=datetime.date(2016, 3, 10))
    project_services.supervisor_assign(project=project, supervisor=cast["supervisor"], position="social_worker",
                                       actor=cast["city_bureau"])
    disbursement = project_services.disbursement_record(
        project=project, tranche=project.tranches.get(order=1), amount=Decimal("100"),
        paid_on=datetime.date(2016, 3, 11), voucher_number="M-1", actor=cast["city_bureau"])
    report = project.progress_reports.get(number=1)
    activity = project_services.activity_add(report=report, actor=cast["agency"], held_on=report.period_start,
                                             title="坝坝会", kind="courtyard_meeting")
    photo = project_services.photo_add(activity=activity, actor=cast["agency"],
                                       upload=files.jpeg("p.jpg"))
    expense = project_services.expense_add(report=report, actor=cast["agency"],
                                           budget_line=project.application.budget_lines.first(),
                                           amount=Decimal("100"), spent_on=report.period_start, voucher="V1")
    item = project_services.rectification_raise(actor=cast["supervisor"], community=project.community,
                                                project=project, source="supervision", owner="project",
                                                description="签到表不全", due_on=datetime.date(2016, 5, 1))
    selforg = selforgs.selforg_create(actor=cast["community"], community=places.gaoqiao, name="夜市自治小组",
                                      category="cooperative")
    rubric = load_default_rubric()
    evaluation = evaluation_services.evaluation_create(
        project=project, actor=cast["city_bureau"], stage="midterm", scheduled_on=datetime.date(2016, 9, 1),
        evaluators=[cast["evaluator"]], lead_evaluator=cast["evaluator"])
    # A second evaluation, already in its feedback stage, carries the feedback point.
    earlier = evaluation_services.evaluation_create(
        project=project, actor=cast["city_bureau"], stage="other", scheduled_on=datetime.date(2016, 6, 1),
        evaluators=[cast["evaluator"]], lead_evaluator=cast["evaluator"])
    earlier_sheet = earlier.sheets.get()
    evaluation_services.sheet_save(
        sheet=earlier_sheet,
        actor=cast["evaluator"],
        scores={
            row.indicator_id: {"score": row.indicator.max_score}
            for row in earlier_sheet.scores.select_related("indicator")
        },
    )
    evaluation_services.sheet_save(sheet=earlier_sheet, actor=cast["evaluator"], scores={
        row.indicator_id: {"score": row.indicator.max_score}
        for row in earlier_sheet.scores.select_related("indicator")})
    evaluation_services.sheet_submit(sheet=earlier_sheet, actor=cast["evaluator"])
    evaluation_services.evaluation_close_scoring(evaluation=earlier, actor=cast["evaluator"])
    point = evaluation_services.feedback_add(evaluation=earlier, actor=cast["evaluator"], kind="problem",
                                             text="财务公开不及时")
    report_job = report_services.report_request(actor=cast["city_bureau"], kind="progress", format="csv",
                                                region=places.dujiangyan)
    report_services.report_build(report_id=report_job.pk)
    programme = programme_url_kwargs(places=places, cast=cast, project=project)  # programme (issue #20)
    # --- residents (#17) ---
    resident = resident_services.resident_register(actor=cast["community"], community=places.gaoqiao,
                                                   real_name="王大妈", phone="13800000001", household_number="1")
    # --- end residents ---
    council_objects = _council_world(cast, places)
    tb = build_gaoqiao_timebank(places, cast)
    fund_objects = _fund_world(cast, places, council_objects)  # publicfunds (#18)
    commons_objects = commons_url_kwargs(cast=cast, places=places)  # commons (#18)
    contest_objects = _contest_world(cast, places)  # contests (#18)
    return {
        **contest_objects,
        **programme,
        **council_objects,
        **fund_objects,
        **commons_objects,
        "tb_need": {"pk": tb["need"].pk},
        "tb_need_step": {"pk": tb["need"].pk, "name": "meet"},
        "tb_task": {"pk": tb["task"].pk},
        "tb_task_step": {"pk": tb["task"].pk, "name": "start"},
        "tb_checkin_url": {"pk": tb["task"].pk, "token": tb["token"]},
        "tb_checkin": {"pk": tb["task"].pk, "checkin_pk": tb["checkin"].pk},
        "tb_partner": {"partner_pk": tb["partner"].pk},
        "tb_reward": {"pk": tb["reward"].pk},
        "tb_redemption": {"pk": tb["redemption"].pk},
        "tb_account": {"pk": tb["account"].pk},
        "tb_community": {"pk": places.gaoqiao.pk},
        None: {},
        "resident": {"pk": resident.pk},
        "invite": {"code": "NOSUCHCODE"},
        "import_token": {"token": "no-such-preview"},
        "community": {"pk": places.gaoqiao.pk},
        "organization": {"pk": rongxiang.pk},
        "membership": {"pk": rongxiang.pk, "membership_pk": rongxiang.memberships.get().pk},
        "region": {"pk": places.dujiangyan.pk},
        "round": {"pk": application.round_id},
        "application": {"pk": application.pk},
        "revision": {"pk": application.pk, "number": 1},
        "attachment": {"pk": application.pk, "attachment_pk": attachment.pk},
        "image_attachment": {"pk": application.pk, "attachment_pk": image_attachment.pk},
        "sheet": {"pk": sheet.pk},
        "project": {"pk": project.pk},
        "disbursement": {"pk": project.pk, "disbursement_pk": disbursement.pk},
        "report": {"pk": report.pk},
        "activity": {"pk": report.pk, "activity_pk": activity.pk},
        "photo": {"pk": report.pk, "photo_pk": photo.pk},
        "expense": {"pk": report.pk, "expense_pk": expense.pk},
        "rectification": {"pk": item.pk},
        "rectification_add": {"_query": f"?project={project.pk}"},
        "selforg": {"pk": selforg.pk},
        "rubric": {"pk": rubric.pk},
        "project_pk": {"project_pk": project.pk},
        "evaluation": {"pk": evaluation.pk},
        "evaluation_sheet": {"pk": evaluation.sheets.get().pk},
        "point": {"point_pk": point.pk},
        "api_point": {"pk": point.pk},
        "report_job": {"pk": report_job.pk},
        "project_close": {"pk": project.pk, "name": "close"},
        "archive_project": {"kind": "project", "pk": project.pk},  # operations (#14)
        "role_assignment": {"pk": cast["community"].role_assignments.get().pk},
    }


def _council_world(cast, places) -> dict:
    """councils (#17): a small seated council in 高桥 (the rules row lowers the seat
    thresholds), a proposal carried to execution, its meeting still open."""
    import datetime as dt

    from django.utils import timezone

    from councils import services as council_services
    from councils.models import CouncilRules
    from places.models import ResidentGroup

    CouncilRules.objects.create(community=places.gaoqiao, group_min_members=2, community_min_members=2,
                                min_seats_per_group=1)
    group = ResidentGroup.objects.create(community=places.gaoqiao, name="第一居民小组")
    staff = cast["community"]
    members = [resident_services.resident_register(actor=staff, community=places.gaoqiao, real_name=f"议事{n}",
                                                   phone=f"1370000000{n}", household_number=f"K{n}",
                                                   group_name=group.name) for n in range(2)]
    for kind in ("party", "committee"):
        council_services.governance_role_assign(actor=staff, community=places.gaoqiao, user=staff, kind=kind)
    from councils.demo import build_councils

    council = build_councils(community=places.gaoqiao, actor=staff, residents=members, term_start=dt.date(2025, 1, 1))
    proposal = council_services.proposal_raise(actor=staff, council=council, route="party", title="K", body="K")
    council_services.proposal_accept(actor=staff, proposal=proposal)
    meeting = council_services.meeting_call(actor=staff, council=council, title="K", starts_at=timezone.now(),
                                            location="K", proposals=[proposal])
    council_services.meeting_open(actor=staff, meeting=meeting)
    for seat in council.seats.all():
        council_services.attendance_check_in(actor=staff, meeting=meeting, seat=seat)
    vote = council_services.vote_prepare(actor=staff, meeting=meeting, proposal=proposal)
    council_services.vote_open(actor=staff, vote=vote)
    for member in members:
        council_services.ballot_cast(actor=member.user, vote=vote, choice="yes")
    council_services.vote_close(actor=staff, vote=vote)
    proposal = council_services.proposal_publish(actor=staff, proposal=proposal)
    item = council_services.execution_add(actor=staff, proposal=proposal, description="K", owner="K",
                                          due_on=dt.date(2030, 1, 1))
    return {
        "council": {"pk": council.pk},
        "council_create": {"_query": f"?community={places.gaoqiao.pk}"},
        "council_step": {"pk": council.pk, "name": "end"},
        "seat": {"pk": council.seats.first().pk},
        "proposal": {"pk": proposal.pk},
        "proposal_step": {"pk": proposal.pk, "name": "accept"},
        "proposal_review": {"pk": proposal.pk, "step": "accept"},
        "meeting": {"pk": meeting.pk},
        "meeting_step": {"pk": meeting.pk, "name": "close"},
        "scan": {"pk": meeting.pk, "token": meeting.checkin_token},
        "vote": {"pk": vote.pk},
        "vote_step": {"pk": vote.pk, "name": "close"},
        "vote_step_api": {"pk": vote.pk, "step": "close"},
        "execution": {"pk": item.pk},
    }


def _fund_world(cast, places, council_objects) -> dict:
    """publicfunds (#18): 高桥社区's fund for this year, moved to 梳理讨论 with a closed
    collection and one item."""
    from django.utils import timezone

    from places.models import Community
    from publicfunds import services as fund_services
    from publicfunds.demo import load_rules

    load_rules()
    Community.objects.filter(pk=places.gaoqiao.pk).update(kind="urban", households=1200)
    places.gaoqiao.refresh_from_db()
    staff, today = cast["community"], timezone.localdate()
    fund = fund_services.fund_open(actor=staff, community=places.gaoqiao, year=today.year)
    fund_services.evidence_save(actor=staff, fund=fund, notice="征集", notice_from=today, notice_until=today)
    collection = fund_services.collection_open(actor=staff, fund=fund, title="征集", opens_on=today,
                                               closes_on=today, options=[("甲", None), ("乙", None)])
    fund = fund_services.fund_step(actor=staff, fund=fund, name="collect")
    fund_services.collection_close(actor=staff, collection=collection)
    fund = fund_services.fund_step(actor=staff, fund=fund, name="discuss")
    item = fund_services.item_add(actor=staff, fund=fund, title="甲", use="other", budget=1000)
    return {
        "fund": {"pk": fund.pk},
        "fund_create": {"_query": f"?community={places.gaoqiao.pk}"},
        "fund_step": {"pk": fund.pk, "name": "publicise"},
        "fund_step_api": {"pk": fund.pk, "step": "publicise"},
        "fund_collection": {"pk": collection.pk},
        "fund_item": {"pk": item.pk},
    }


def _contest_world(cast, places) -> dict:
    """contests (#18): a committee chaired by the community staff, a contest paid from the
    public-service fund, one application a courtyard resident submitted."""
    import datetime as dt

    from django.utils import timezone

    from places.models import Courtyard
    from projects.models import ReviewForm
    from projects.services import contests

    staff, today, now = cast["community"], timezone.localdate(), timezone.now()
    courtyard = Courtyard.objects.create(community=places.gaoqiao, name="碧水苑")
    resident = resident_services.resident_register(actor=staff, community=places.gaoqiao, real_name="院落居民",
                                                   phone="13600000001", household_number="Y1",
                                                   courtyard_name=courtyard.name)
    committee = contests.committee_create(actor=staff, community=places.gaoqiao, name="院落美化评审会",
                                          formed_on=today - dt.timedelta(days=10))
    member = contests.committee_join(actor=staff, committee=committee, user=staff, role="chair", joined_on=today)
    contest = contests.contest_create(
        actor=staff, community=places.gaoqiao, name="院落美化大赛", year=today.year,
        funder_source="public_service_fund", committee=committee, review_form=ReviewForm.objects.first(),
        total_budget=Decimal("30000"), per_project_cap=Decimal("10000"), opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=10))
    application = contests.contest_apply(actor=resident.user, contest=contest, title="墙绘", summary="墙绘",
                                         requested_amount=Decimal("5000"), courtyard=courtyard)
    return {
        "contest": {"pk": contest.pk},
        "contest_create": {"_query": f"?community={places.gaoqiao.pk}"},
        "contest_application": {"pk": application.pk},
        "committee": {"pk": committee.pk},
        "committee_member": {"pk": committee.pk, "member_pk": member.pk},
    }


@pytest.mark.parametrize("role", ROLES)
def test_matrix(role, client_for, url_kwargs):
    client = client_for(role)
    failures = []
    rows = sorted(EXPECTED.items(), key=lambda item: len(item[1]) == 3)
    for name, (key, row, *method) in rows:
        kwargs = dict(url_kwargs[key])
        url = reverse(name, kwargs={k: v for k, v in kwargs.items() if k != "_query"}) + kwargs.get("_query", "")
        response = client.post(url) if method else client.get(url)
        if response.status_code != row[role]:
            failures.append(f"{name}: expected {row[role]}, got {response.status_code}")
    assert not failures, f"{role}:\n" + "\n".join(failures)
