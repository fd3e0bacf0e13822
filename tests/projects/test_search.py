"""`?q=` on the main lists, pages and API alike: two Chinese characters find a name
anywhere in it, and the result stays inside the caller's scope (web.search)."""

import pytest
from django.urls import reverse

from projects.models import Application

pytestmark = pytest.mark.django_db
S = Application.Status


def titles(response):
    return {row.title for row in response.context["page"]}


def test_application_and_project_lists_find_two_characters_in_the_middle(build, client_for, places):
    build(S.IN_REVIEW, title="院落微更新计划", community=places.gaoqiao)
    build(S.IN_REVIEW, title="老人食堂", community=places.gaoqiao)
    build(S.APPROVED, title="儿童微更新", community=places.nanqiao)
    client = client_for("city_bureau")
    assert titles(client.get(reverse("projects:application_list"), {"q": "更新"})) == {"院落微更新计划", "儿童微更新"}
    assert titles(client.get(reverse("projects:project_list"), {"q": "更新"})) == {"儿童微更新"}
    api = client.get("/api/applications/", {"q": "食堂"}).json()
    assert [row["title"] for row in api["results"]] == ["老人食堂"]
    assert [row["title"] for row in client.get("/api/projects/", {"q": "儿童"}).json()["results"]] == ["儿童微更新"]
    assert client.get("/api/projects/", {"q": "食堂"}).json()["count"] == 0


def test_search_stays_in_scope(build, client_for, places):
    build(S.IN_REVIEW, title="高桥微更新", community=places.gaoqiao)
    build(S.IN_REVIEW, title="别处微更新", community=places.jiahonglu)
    response = client_for("community").get(reverse("projects:application_list"), {"q": "微更新"})
    assert titles(response) == {"高桥微更新"}


def test_search_keeps_the_query_in_the_page_links(build, client_for, places):
    for i in range(30):
        build(S.IN_REVIEW, title=f"微更新{i}", community=places.gaoqiao)
    response = client_for("city_bureau").get(reverse("projects:application_list"), {"q": "微更新"})
    assert response.context["page"].paginator.count == 30
    assert "?q=%E5%BE%AE%E6%9B%B4%E6%96%B0&page=2" in response.content.decode()


def test_communities_and_organisations_by_two_characters(client_for, places, organizations):
    client = client_for("city_bureau")
    found = client.get(reverse("places:community_list"), {"q": "宏路"}).context["page"]
    assert places.jiahonglu in list(found)
    assert all("宏路" in community.name for community in found)
    org = organizations["rongxiang"]
    response = client.get("/api/organizations/", {"q": org.name[1:3]}).json()
    assert org.pk in [row["id"] for row in response["results"]]
