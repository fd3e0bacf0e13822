"""The admin never deletes a workflow object, and role grants are not edited there
(issue 14: a project with its reports and scores vanished through the admin)."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from accounts.admin import RoleAssignmentInline
from accounts.models import User
from assessments.models import Evaluation
from organizations.models import Organization
from projects.models import Application, FundingRound, Project
from reports.models import Report

pytestmark = pytest.mark.django_db
WORKFLOW_MODELS = [Organization, FundingRound, Application, Project, Evaluation, Report]


@pytest.mark.parametrize("model", WORKFLOW_MODELS, ids=lambda m: m._meta.label)
def test_workflow_objects_cannot_be_deleted_in_the_admin(model, admin_user_obj):
    request = RequestFactory().get("/")
    request.user = admin_user_obj
    model_admin = admin.site._registry[model]
    assert model_admin.has_delete_permission(request) is False
    assert "delete_selected" not in model_admin.get_actions(request)


def test_the_delete_page_of_an_organisation_is_forbidden(organizations, admin_user_obj, client):
    client.force_login(admin_user_obj)
    organization = organizations["rongxiang"]
    response = client.post(reverse("admin:organizations_organization_delete", args=[organization.pk]),
                           {"post": "yes"})
    assert response.status_code == 403
    assert Organization.objects.filter(pk=organization.pk).exists()


def test_role_grants_are_read_only_in_the_user_admin(cast, admin_user_obj):
    request = RequestFactory().get("/")
    request.user = admin_user_obj
    inline = RoleAssignmentInline(User, admin.site)
    grantee = cast["city_bureau"]
    assert not inline.has_add_permission(request, grantee)
    assert not inline.has_change_permission(request, grantee)
    assert not inline.has_delete_permission(request, grantee)
