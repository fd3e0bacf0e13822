"""The community-building map: stories kept by community staff, points inside
Chengdu, filters by leverage point and dimension, printable learning routes."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from organizations import selforgs
from programme import services, stories
from programme.demo import seed_map
from programme.models import CommunityStory, LearningRoute
from projects.models import Application

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_map(db, places):
    seed_map()
    return CommunityStory.objects.get(community=places.gaoqiao)


def test_demo_puts_the_sources_communities_on_the_map(demo_map, places):
    codes = set(CommunityStory.objects.values_list("community__code", flat=True))
    assert codes == {"510181005009", "510117005005", "510104032009", "510181004002"}
    assert all(s.has_point for s in CommunityStory.objects.all())
    route = LearningRoute.objects.get()
    assert [s.community.code for s in route.stops.order_by("order")] == [
        "510181005009", "510181004002", "510117005005", "510104032009"]
    seed_map()  # idempotent
    assert LearningRoute.objects.count() == 1 and CommunityStory.objects.count() == 4


def test_community_staff_keep_their_story(places, cast):
    story = services.story_save(actor=cast["community"], community=places.gaoqiao,
                                data={"history": "村改居社区", "lng": Decimal("103.64"), "lat": Decimal("31.0")})
    assert story.updated_by == cast["community"]
    assert AuditEvent.objects.filter(action="story.save", actor=cast["community"]).exists()
    for role in ("other_community", "street", "other_district_bureau", "agency"):
        with pytest.raises(PermissionDenied):
            services.story_save(actor=cast[role], community=places.gaoqiao, data={"history": "x"})
    services.story_save(actor=cast["district_bureau"], community=places.gaoqiao, data={"culture": "夜市"})


@pytest.mark.parametrize("lng,lat", [("104.1", "29.5"), ("30.6", "104.1"), ("105.5", "30.6"), ("104.1", None)])
def test_points_must_be_inside_chengdu(places, cast, lng, lat):
    with pytest.raises(ValidationError):
        services.story_save(actor=cast["community"], community=places.gaoqiao,
                            data={"lng": Decimal(lng), "lat": Decimal(lat) if lat else None})
    assert not CommunityStory.objects.exists()


def test_edit_page_keeps_input_and_shows_the_error(places, client_for):
    client = client_for("community")
    url = reverse("programme:story_edit", args=[places.gaoqiao.pk])
    response = client.post(url, {"history": "我们的历史", "lng": "30.6", "lat": "104.1"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "我们的历史" in body and "is-invalid" in body
    assert not CommunityStory.objects.exists()
    response = client.post(url, {"history": "我们的历史", "lng": "103.64", "lat": "31.0", "culture": "夜" * 2001})
    assert response.status_code == 200 and not CommunityStory.objects.exists()
    response = client.post(url, {"history": "我们的历史", "lng": "103.64", "lat": "31.0"})
    assert response.status_code == 302
    assert client_for("other_community").get(url).status_code == 404
    assert client_for("street").get(url).status_code == 403


def test_filters_by_leverage_point_and_dimension(demo_map, build, places, cast):
    # build() fills applications with leverage point "industry" and dimensions 人、产.
    build(Application.Status.APPROVED, title="夜市")
    queryset = stories.stories_for_user(cast["outsider"])
    assert [s.community for s in stories.filter_stories(queryset, leverage="industry")] == [places.gaoqiao]
    assert not stories.filter_stories(queryset, leverage="culture").exists()
    assert [s.community for s in stories.filter_stories(queryset, dimension="livelihood")] == [places.gaoqiao]
    assert not stories.filter_stories(queryset, dimension="landscape").exists()
    assert stories.filter_stories(queryset, q="时间银行").get().community == places.jiahonglu


def test_map_page_plots_points_offline(demo_map, client_for):
    body = client_for("outsider").get(reverse("programme:story_map"), {"leverage": "industry"}).content.decode()
    assert 'id="story-map-data"' in body and "高桥社区" not in body.split('id="story-list"')[1].split("</div>")[0]
    body = client_for("outsider").get(reverse("programme:story_map")).content.decode()
    assert "103.6412" in body and "vendor/echarts-china-cities/chengdu.js" in body
    assert "http://" not in body.replace("http://testserver", "") and "https://" not in body


def test_story_page_shows_scoped_sections(demo_map, places, cast, build, client_for):
    build(Application.Status.APPROVED, title="活力夜经济项目")
    selforgs.selforg_create(actor=cast["community"], community=places.gaoqiao, name="夜市自治小组",
                            category="cooperative")
    url = reverse("programme:story_detail", args=[places.gaoqiao.pk])
    body = client_for("community").get(url).content.decode()
    assert "乐享高桥" in body and "夜市自治小组" in body and "活力夜经济项目" in body
    outsider = client_for("outsider").get(url).content.decode()
    assert "乐享高桥" in outsider and "夜市自治小组" not in outsider and "活力夜经济项目" not in outsider
    # A community without a story exists only for those who may write it.
    empty = reverse("programme:story_detail", args=[places.nanqiao.pk + 100000])
    assert client_for("community").get(empty).status_code == 404


def test_routes(demo_map, places, cast, client_for):
    route = LearningRoute.objects.get()
    body = client_for("outsider").get(reverse("programme:route_detail", args=[route.pk])).content.decode()
    assert body.index("高桥社区") < body.index("铁门社区") < body.index("佳宏路社区")
    assert "data-print" in body and "programme/print.js" in body
    with pytest.raises(PermissionDenied):
        services.route_save(actor=cast["community"], name="x", communities=[places.gaoqiao, places.nanqiao])
    with pytest.raises(ValidationError):
        services.route_save(actor=cast["street"], name="x", communities=[places.gaoqiao])
    with pytest.raises(ValidationError):
        services.route_save(actor=cast["street"], name="x", communities=[places.gaoqiao, places.gaoqiao])
    client = client_for("street")
    response = client.post(reverse("programme:route_create"), {
        "name": "街道路线", "stop_1": places.jiahonglu.pk, "stop_2": places.gaoqiao.pk, "note_1": "时间银行"})
    assert response.status_code == 302
    mine = LearningRoute.objects.get(name="街道路线")
    assert [s.community for s in mine.stops.order_by("order")] == [places.jiahonglu, places.gaoqiao]
    assert client_for("district_bureau").get(reverse("programme:route_edit", args=[mine.pk])).status_code == 403
    assert client.get(reverse("programme:route_edit", args=[mine.pk])).status_code == 200


def test_api(demo_map, places, client_for):
    client = client_for("community")
    data = client.get("/api/stories/").json()
    assert data["count"] == 4
    response = client.patch(f"/api/stories/{places.gaoqiao.pk}/", {"lng": "30.6", "lat": "104.1"},
                            content_type="application/json")
    assert response.status_code == 400 and "lng" in response.json()
    response = client.patch(f"/api/stories/{places.gaoqiao.pk}/", {"culture": "夜市文化"},
                            content_type="application/json")
    assert response.status_code == 200 and response.json()["culture"] == "夜市文化"
    assert client_for("other_community").patch(f"/api/stories/{places.gaoqiao.pk}/", {"culture": "x"},
                                               content_type="application/json").status_code == 404
    response = client_for("city_bureau").post("/api/routes/", {
        "name": "API 路线", "communities": [places.gaoqiao.pk,
                                            places.jiahonglu.pk]}, content_type="application/json")
    assert response.status_code == 201 and [s["order"] for s in response.json()["stops"]] == [1, 2]
    assert client.post("/api/routes/", {"name": "x", "communities": []},
                       content_type="application/json").status_code == 403


def test_map_and_library_lists_query_count(demo_map, places, cast, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from places.models import Community

    client = client_for("community")

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    services.case_save(actor=None, title="案例", summary="摘要", communities=[places.gaoqiao])
    urls = [reverse("programme:story_map"), reverse("programme:library"), "/api/stories/", "/api/cases/"]
    small = [count(url) for url in urls]
    for i, community in enumerate(Community.objects.filter(street=places.yinxing).exclude(pk=places.gaoqiao.pk)[:30]):
        services.story_save(actor=None, community=community, data={"history": f"第{i}个", "lng": Decimal("103.6"),
                                                                    "lat": Decimal("31.0")})
        services.case_save(actor=None, title=f"案例{i}", summary="摘要", tags="夜市", communities=[community])
    # session, user, scope, nav; stories (map points + a page) or cases (a page + communities), courses, routes
    assert [count(url) for url in urls] == small
