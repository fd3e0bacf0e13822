import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import services as account_services
from accounts.models import Role
from audit.models import AuditEvent
from places import services
from places.models import Community

pytestmark = pytest.mark.django_db


def test_merge_keeps_the_merged_community_readable_with_its_history(places, cast):
    services.community_merge(community=places.nanqiao, into=places.gaoqiao, merged_on=datetime.date(2017, 6, 30),
                             actor=cast["district_bureau"], reason="区划调整")
    nanqiao = Community.objects.get(pk=places.nanqiao.pk)
    assert (nanqiao.merged_into, nanqiao.merged_on) == (places.gaoqiao, datetime.date(2017, 6, 30))
    event = AuditEvent.objects.get(action="community.merge")
    assert (event.from_state, event.to_state, event.reason, event.actor) == (
        "active", "merged", "区划调整", cast["district_bureau"])
    assert AuditEvent.objects.filter(action="community.absorb", object_id=str(places.gaoqiao.pk)).exists()


def test_a_community_cannot_be_merged_twice(places, cast):
    services.community_merge(community=places.nanqiao, into=places.gaoqiao, merged_on=datetime.date(2017, 1, 1),
                             actor=cast["admin"], reason="一")
    with pytest.raises(ValidationError, match="不能重复合并"):
        services.community_merge(community=places.nanqiao, into=places.jiahonglu, merged_on=datetime.date(2018, 1, 1),
                                 actor=cast["admin"], reason="二")
    assert Community.objects.get(pk=places.nanqiao.pk).merged_into == places.gaoqiao


def test_merge_into_itself_or_into_a_merged_community_is_refused(places, cast):
    with pytest.raises(ValidationError):
        services.community_merge(community=places.gaoqiao, into=places.gaoqiao, merged_on=datetime.date(2017, 1, 1),
                                 actor=cast["admin"], reason="x")
    services.community_merge(community=places.nanqiao, into=places.gaoqiao, merged_on=datetime.date(2017, 1, 1),
                             actor=cast["admin"], reason="x")
    with pytest.raises(ValidationError, match="已被合并"):
        services.community_merge(community=places.jiahonglu, into=places.nanqiao, merged_on=datetime.date(2017, 1, 1),
                                 actor=cast["admin"], reason="x")


def test_merge_needs_a_reason(places, cast):
    with pytest.raises(ValidationError) as exc:
        services.community_merge(community=places.nanqiao, into=places.gaoqiao, merged_on=datetime.date(2017, 1, 1),
                                 actor=cast["admin"], reason="  ")
    assert "reason" in exc.value.message_dict


def test_profile_update_records_what_changed(places, cast):
    services.community_update_profile(community=places.gaoqiao, actor=cast["community"],
                                      data={"population": 10250, "grids": 12})
    event = AuditEvent.objects.get(action="community.update")
    assert event.data["changes"] == {"population": [0, 10250], "grids": [0, 12]}
    # Saving the same values again is not a change.
    services.community_update_profile(community=places.gaoqiao, actor=cast["community"], data={"population": 10250})
    assert AuditEvent.objects.filter(action="community.update").count() == 1


def test_merged_profile_is_read_only(places, cast):
    services.community_merge(community=places.nanqiao, into=places.gaoqiao, merged_on=datetime.date(2017, 1, 1),
                             actor=cast["admin"], reason="x")
    with pytest.raises(ValidationError, match="不能再修改"):
        services.community_update_profile(community=places.nanqiao, actor=cast["admin"], data={"population": 1})


def test_role_must_fit_its_place(places, cast):
    with pytest.raises(ValidationError):
        account_services.role_assign(
            user=cast["outsider"], role=Role.STREET, region=places.dujiangyan, actor=cast["admin"]
        )
    with pytest.raises(ValidationError):
        account_services.role_assign(
            user=cast["outsider"], role=Role.BUREAU, region=places.yinxing, actor=cast["admin"]
        )
    with pytest.raises(ValidationError):
        account_services.role_assign(user=cast["outsider"], role=Role.COMMUNITY, actor=cast["admin"])


def test_edit_page_saves_and_bad_input_keeps_what_was_typed(client_for, places):
    client = client_for("community")
    url = reverse("places:community_edit", args=[places.gaoqiao.pk])
    form = {"name": "高桥社区", "official_name": "高桥社区居民委员会", "kind": "urban", "population": "-5",
            "floating_population": "2100", "households": "3680", "grids": "12", "micro_grids": "30",
            "party_members": "150"}
    response = client.post(url, form)
    assert response.status_code == 200
    assert "population" in response.context["form"].errors
    assert 'value="2100"' in response.content.decode()
    assert Community.objects.get(pk=places.gaoqiao.pk).households == 0
    form["population"] = "10250"
    response = client.post(url, form)
    assert response.status_code == 302
    assert Community.objects.get(pk=places.gaoqiao.pk).households == 3680


def test_street_staff_cannot_post_a_profile_change(client_for, places):
    response = client_for("street").post(reverse("places:community_edit", args=[places.gaoqiao.pk]), {"population": 1})
    assert response.status_code == 403
    response = client_for("street").patch(f"/api/communities/{places.gaoqiao.pk}/", {"population": 1},
                                          content_type="application/json")
    assert response.status_code == 403
    assert Community.objects.get(pk=places.gaoqiao.pk).population == 0


def test_api_patch_goes_through_the_service(client_for, places):
    response = client_for("community").patch(f"/api/communities/{places.gaoqiao.pk}/", {"population": 10250},
                                             content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["population"] == 10250
    assert AuditEvent.objects.filter(action="community.update", object_id=str(places.gaoqiao.pk)).exists()


def test_merge_page_offers_the_districts_communities_and_merges(client_for, places):
    client = client_for("district_bureau")
    url = reverse("places:community_merge", args=[places.nanqiao.pk])
    candidates = client.get(url).context["form"].fields["into"].queryset
    assert places.gaoqiao in candidates and places.jiahonglu not in candidates and places.nanqiao not in candidates
    response = client.post(url, {"into": places.gaoqiao.pk, "merged_on": "2017-06-30", "reason": ""})
    assert "reason" in response.context["form"].errors
    response = client.post(url, {"into": places.gaoqiao.pk, "merged_on": "2017-06-30", "reason": "区划调整批复"})
    assert response.status_code == 302
    assert Community.objects.get(pk=places.nanqiao.pk).merged_into == places.gaoqiao


def test_api_merge(client_for, places):
    response = client_for("district_bureau").post(
        f"/api/communities/{places.nanqiao.pk}/merge/",
        {"into": places.gaoqiao.pk, "merged_on": "2017-06-30", "reason": "区划调整"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["merged_into"] == places.gaoqiao.pk
    again = client_for("district_bureau").post(
        f"/api/communities/{places.nanqiao.pk}/merge/",
        {"into": places.gaoqiao.pk, "merged_on": "2017-06-30", "reason": "区划调整"}, content_type="application/json")
    assert again.status_code == 400
    assert "不能重复合并" in again.content.decode()
