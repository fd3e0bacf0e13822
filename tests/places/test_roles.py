"""角色管理 (#14): bureau staff list, grant and revoke roles in their scope through the
audited services; the admin goes through the same services."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import Role, RoleAssignment
from audit.models import AuditEvent
from places import roles
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_the_list_is_scoped_and_filtered(cast, client_for):
    city = client_for("city_bureau").get(reverse("places:role_list")).content.decode()
    assert "reviewer" in city and "other_district_bureau" in city
    district = client_for("district_bureau").get(reverse("places:role_list")).content.decode()
    assert "community" in district and "street" in district
    assert "other_district_bureau" not in district and "other_community" not in district
    filtered = client_for("city_bureau").get(reverse("places:role_list") + "?role=reviewer").content.decode()
    assert "reviewer" in filtered and "other_community" not in filtered
    assert client_for("community").get(reverse("places:role_list")).status_code == 403
    assert client_for("agency").get("/api/role-assignments/").status_code == 403


def test_a_district_bureau_grants_within_its_district_only(cast, client_for, places):
    newcomer = make_user("newcomer")
    client = client_for("district_bureau")
    response = client.post(reverse("places:role_grant"), {
        "username": "newcomer", "role": Role.COMMUNITY, "community_code": places.gaoqiao.code})
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=newcomer)
    assert assignment.community == places.gaoqiao
    event = AuditEvent.objects.get(action="role.assign", object_id=str(newcomer.pk))
    assert event.actor == cast["district_bureau"]
    # Another district's community: refused at its field.
    response = client.post(reverse("places:role_grant"), {
        "username": "newcomer", "role": Role.COMMUNITY, "community_code": places.jiahonglu.code})
    assert response.status_code == 200 and "不在您的管辖范围内" in response.content.decode()
    # A placeless expert role is not theirs to grant.
    response = client.post(reverse("places:role_grant"), {"username": "newcomer", "role": Role.REVIEWER})
    assert response.status_code == 200
    assert not RoleAssignment.objects.filter(user=newcomer, role=Role.REVIEWER).exists()


def test_revoke_needs_a_reason_and_is_audited(cast, client_for):
    assignment = RoleAssignment.objects.get(user=cast["community"])
    client = client_for("district_bureau")
    url = reverse("places:role_revoke", args=[assignment.pk])
    assert client.post(url, {"reason": ""}).status_code == 200
    assert client.post(url, {"reason": "调离岗位"}).status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    event = AuditEvent.objects.get(action="role.revoke", object_id=str(cast["community"].pk))
    assert event.reason == "调离岗位" and event.actor == cast["district_bureau"]
    other = RoleAssignment.objects.get(user=cast["other_community"])
    assert client.get(reverse("places:role_revoke", args=[other.pk])).status_code == 404


def test_grant_and_revoke_through_the_api(cast, client_for, places):
    make_user("expert")
    client = client_for("city_bureau")
    response = client.post("/api/role-assignments/", {"username": "expert", "role": "reviewer"},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = client.post("/api/role-assignments/", {"username": "nobody", "role": "reviewer"},
                           content_type="application/json")
    assert response.status_code == 400 and "username" in response.json()
    assert client.post(f"/api/role-assignments/{pk}/revoke/", {}, content_type="application/json").status_code == 400
    response = client.post(f"/api/role-assignments/{pk}/revoke/", {"reason": "聘期结束"},
                           content_type="application/json")
    assert response.status_code == 204
    assert not RoleAssignment.objects.filter(pk=pk).exists()


def test_only_admins_grant_the_admin_role(cast):
    assert Role.ADMIN not in dict(roles.grantable_roles(cast["city_bureau"]))
    assert Role.ADMIN in dict(roles.grantable_roles(cast["admin"]))


def test_admin_grants_and_deletes_go_through_the_service(cast, admin_user_obj, client):
    client.force_login(admin_user_obj)
    grantee = make_user("grantee")
    response = client.post(reverse("admin:accounts_roleassignment_add"),
                           {"user": grantee.pk, "role": Role.SUPERVISOR})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="role.assign", object_id=str(grantee.pk), actor=admin_user_obj).exists()
    # The place must fit the role: a form error, not a 500.
    response = client.post(reverse("admin:accounts_roleassignment_add"), {"user": grantee.pk, "role": Role.BUREAU})
    assert response.status_code == 200 and not RoleAssignment.objects.filter(user=grantee, role=Role.BUREAU).exists()
    request = RequestFactory().get("/")
    request.user = admin_user_obj
    model_admin = admin.site._registry[RoleAssignment]
    assert model_admin.has_change_permission(request) is False
    model_admin.delete_model(request, RoleAssignment.objects.get(user=grantee))
    assert AuditEvent.objects.filter(action="role.revoke", object_id=str(grantee.pk)).exists()


def test_the_admin_offers_no_revocation_the_service_refuses(admin_user_obj, places, client):
    """Revoking one's own bureau role was a 500 in the admin; now the admin asks the
    service's rule first: no delete page for it and the bulk action is refused (403)."""
    own = RoleAssignment.objects.create(user=admin_user_obj, role=Role.BUREAU, region=places.city)
    client.force_login(admin_user_obj)
    response = client.get(reverse("admin:accounts_roleassignment_delete", args=[own.pk]))
    assert response.status_code == 403
    response = client.post(reverse("admin:accounts_roleassignment_changelist"),
                           {"action": "delete_selected", "_selected_action": [own.pk], "post": "yes"})
    assert response.status_code == 403 and RoleAssignment.objects.filter(pk=own.pk).exists()
    assert not AuditEvent.objects.filter(action="role.revoke", object_id=str(admin_user_obj.pk)).exists()
