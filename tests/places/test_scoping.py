"""Who sees which communities, in pages and in the API (one access layer for both)."""

import pytest
from django.urls import reverse

from places.models import Community

pytestmark = pytest.mark.django_db


def listed_codes(response):
    return {c.code for c in response.context["page"].object_list}


def test_street_officer_sees_only_their_street_in_the_list(client_for, places):
    response = client_for("street").get(reverse("places:community_list"), {"page": 1})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == Community.objects.filter(
        street=places.yinxing, merged_into__isnull=True).count()
    assert all(c.street_id == places.yinxing.pk for c in response.context["page"].object_list)


def test_street_officer_sees_only_their_street_in_the_api(client_for, places):
    response = client_for("street").get("/api/communities/", {"page_size": 500})
    data = response.json()
    assert data["count"] == Community.objects.filter(street=places.yinxing).count()
    assert {row["street"] for row in data["results"]} == {places.yinxing.pk}


def test_street_officer_gets_404_for_a_community_elsewhere(client_for, places):
    client = client_for("street")
    assert client.get(reverse("places:community_detail", args=[places.nanqiao.pk])).status_code == 404
    assert client.get(f"/api/communities/{places.jiahonglu.pk}/").status_code == 404


def test_district_bureau_sees_its_district_only(client_for, places):
    response = client_for("district_bureau").get("/api/communities/")
    assert response.json()["count"] == 166
    assert client_for("district_bureau").get(
        reverse("places:community_detail", args=[places.jiahonglu.pk])).status_code == 404


def test_city_bureau_sees_every_community(client_for):
    assert client_for("city_bureau").get("/api/communities/").json()["count"] == 3047


def test_filter_by_district_and_search(client_for, places):
    client = client_for("city_bureau")
    response = client.get(reverse("places:community_list"), {"district": places.dujiangyan.pk, "q": "高桥"})
    assert listed_codes(response) == {"510181005009"}
    response = client.get("/api/communities/", {"district": places.jinjiang.pk, "kind": "urban"})
    assert response.json()["count"] == Community.objects.filter(street__parent=places.jinjiang, kind="urban").count()


def test_filter_choices_stay_inside_the_scope(client_for, places):
    form = client_for("street").get(reverse("places:community_list")).context["filter"].form
    assert list(form.fields["district"].queryset) == [places.dujiangyan]
    assert list(form.fields["street"].queryset) == [places.yinxing]


def test_a_district_outside_the_scope_filters_to_nothing_not_to_everything(client_for, places):
    response = client_for("street").get(reverse("places:community_list"), {"district": places.jinjiang.pk})
    # An invalid choice is reported on the form and lists nothing from elsewhere.
    assert "district" in response.context["filter"].form.errors
    assert all(c.street_id == places.yinxing.pk for c in response.context["page"].object_list)


def test_community_staff_see_their_community_and_communities_merged_into_it(client_for, places, cast):
    import datetime

    from places import services

    services.community_merge(community=places.nanqiao, into=places.gaoqiao, merged_on=datetime.date(2020, 1, 1),
                             actor=cast["admin"], reason="测试")
    client = client_for("community")
    assert client.get(reverse("places:community_detail", args=[places.nanqiao.pk])).status_code == 200
    assert client.get(reverse("places:community_detail", args=[places.jiahonglu.pk])).status_code == 404


def test_roles_without_a_place_are_told_why(client_for):
    response = client_for("reviewer").get(reverse("places:community_list"))
    assert response.status_code == 403
    assert "社区名录" in response.content.decode()


def test_outsider_gets_404_on_another_organisations_private_page(client_for, organizations):
    rongxiang = organizations["rongxiang"]
    assert (
        client_for("outsider").get(reverse("organizations:organization_members", args=[rongxiang.pk])).status_code
        == 404
    )
    assert client_for("outsider").get(f"/api/organizations/{rongxiang.pk}/members/").status_code == 404
    # …while the public directory entry stays readable.
    assert (
        client_for("outsider").get(reverse("organizations:organization_detail", args=[rongxiang.pk])).status_code == 200
    )


def test_public_profile_hides_contact_phone_from_outsiders(client_for, organizations):
    rongxiang = organizations["rongxiang"]
    url = reverse("organizations:organization_detail", args=[rongxiang.pk])
    assert "028-88880000" not in client_for("outsider").get(url).content.decode()
    assert "028-88880000" in client_for("agency").get(url).content.decode()
