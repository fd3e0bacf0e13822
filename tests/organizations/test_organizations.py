import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from organizations import services
from organizations.models import Membership, Organization

pytestmark = pytest.mark.django_db

VALID = "91350100M000100Y43"
FAILS_CHECK = "91350100M000100Y44"


def create(actor, places, code, **extra):
    return services.organization_create(actor=actor, credit_code=code, name="测试社工中心", kind="social_work_agency",
                                        region=places.dujiangyan, **extra)


def test_create_normalises_the_code_and_audits(cast, places):
    org = create(cast["district_bureau"], places, " 91350100m000100y43 ")
    assert org.credit_code == VALID and org.credit_code_waiver == ""
    assert AuditEvent.objects.filter(action="organization.create", object_id=str(org.pk)).exists()


def test_bureau_may_accept_a_failed_check_with_a_reason(cast, places):
    org = create(cast["district_bureau"], places, FAILS_CHECK, credit_code_waiver="2015年试点地区颁发，已核对登记证书")
    assert org.credit_code_waiver.startswith("2015年试点")


def test_bureau_without_a_reason_gets_the_check_error(cast, places):
    with pytest.raises(ValidationError) as exc:
        create(cast["district_bureau"], places, FAILS_CHECK)
    assert "校验位" in exc.value.message_dict["credit_code"][0]


@pytest.mark.parametrize("role", ["agency", "street", "reviewer"])
def test_nobody_else_may_waive_the_check(cast, places, role):
    # Non-bureau roles may not register organisations at all (#13): refused before the code is read.
    with pytest.raises((ValidationError, PermissionDenied)):
        create(cast[role], places, FAILS_CHECK, credit_code_waiver="我说是真的")
    assert not Organization.objects.filter(credit_code=FAILS_CHECK).exists()


def test_duplicate_code_names_the_holder(cast, places):
    create(cast["admin"], places, VALID)
    with pytest.raises(ValidationError) as exc:
        create(cast["admin"], places, VALID.lower())
    assert "测试社工中心" in exc.value.message_dict["credit_code"][0]


def test_leader_can_edit_profile_but_not_the_code(cast, organizations):
    rongxiang = organizations["rongxiang"]
    services.organization_update(organization=rongxiang, actor=cast["agency"], data={"address": "都江堰市银杏街道"})
    with pytest.raises(ValidationError):
        services.organization_update(organization=rongxiang, actor=cast["agency"], data={}, credit_code=VALID)
    rongxiang.refresh_from_db()
    assert rongxiang.address == "都江堰市银杏街道" and rongxiang.credit_code != VALID


def test_create_page_shows_field_error_and_keeps_input(client_for, places):
    client = client_for("district_bureau")
    response = client.post(reverse("organizations:organization_create"), {
        "name": "青城山社区服务中心", "credit_code": FAILS_CHECK, "kind": "social_organization",
        "region": places.dujiangyan.pk, "address": "青城山镇", "is_active": "on",
    })
    assert response.status_code == 200
    assert "校验位" in " ".join(response.context["form"].errors["credit_code"])
    html = response.content.decode()
    assert "青城山社区服务中心" in html and "青城山镇" in html
    assert not Organization.objects.filter(name="青城山社区服务中心").exists()
    response = client.post(reverse("organizations:organization_create"), {
        "name": "青城山社区服务中心", "credit_code": FAILS_CHECK, "kind": "social_organization",
        "region": places.dujiangyan.pk, "credit_code_waiver": "试点地区代码，已核实", "is_active": "on",
    })
    assert response.status_code == 302
    assert Organization.objects.get(name="青城山社区服务中心").credit_code_waiver == "试点地区代码，已核实"


def test_agency_edit_form_has_no_waiver_and_a_locked_code(client_for, organizations):
    form = client_for("agency").get(reverse("organizations:organization_edit",
                                            args=[organizations["rongxiang"].pk])).context["form"]
    assert "credit_code_waiver" not in form.fields
    assert form.fields["credit_code"].disabled


def test_api_create_refuses_non_bureau_and_reports_field_errors(client_for, places):
    payload = {"name": "新组织", "credit_code": "91350100M000100Y4", "kind": "hub", "region": places.city.pk}
    assert client_for("agency").post("/api/organizations/", payload, content_type="application/json").status_code == 403
    response = client_for("city_bureau").post("/api/organizations/", payload, content_type="application/json")
    assert response.status_code == 400
    assert "18 位" in response.json()["credit_code"][0]
    payload["credit_code"] = VALID
    response = client_for("city_bureau").post("/api/organizations/", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["credit_code"] == VALID


def test_leader_adds_and_removes_members(client_for, organizations, cast):
    rongxiang = organizations["rongxiang"]
    client = client_for("agency")
    url = reverse("organizations:organization_members", args=[rongxiang.pk])
    response = client.post(url, {"username": "nobody", "position": "staff"})
    assert "没有用户名" in " ".join(response.context["form"].errors["username"])
    assert client.post(url, {"username": "outsider", "position": "staff", "title": "社工"}).status_code == 302
    membership = Membership.objects.get(user=cast["outsider"], organization=rongxiang)
    assert client_for("outsider").get(url).status_code == 200  # now a member
    assert client_for("outsider").post(
        reverse("organizations:membership_remove", args=[rongxiang.pk, membership.pk])).status_code == 403
    assert (
        client.post(reverse("organizations:membership_remove", args=[rongxiang.pk, membership.pk])).status_code == 302
    )
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_staff_member_reads_members_but_cannot_add(client_for, organizations, cast):
    rongxiang = organizations["rongxiang"]
    services.membership_add(organization=rongxiang, user=cast["outsider"], actor=cast["admin"])
    url = reverse("organizations:organization_members", args=[rongxiang.pk])
    assert client_for("outsider").get(url).context["form"] is None
    assert client_for("outsider").post(url, {"username": "reviewer", "position": "staff"}).status_code == 403
