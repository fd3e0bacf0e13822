"""Coverage: a community runs 营造 actions in a year when an active rule's source has
evidence for it. The figures must equal a direct count over the same data."""

import datetime
from collections import Counter
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from organizations import selforgs
from organizations.models import SelfOrganization
from places import services as place_services
from places.access import communities_for_user
from places.models import Community
from programme import coverage, selectors, services
from programme.models import CoverageRule, CoverageTarget
from projects.models import Application, Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects(build, places, rules):
    """Four funded projects: 高桥 (2016, active), 南桥 (2016, terminated), 佳宏路 (2016,
    closed) and one in a community merged into 南桥, running 2017 only."""
    gaoqiao = Project.objects.get(application=build(Application.Status.APPROVED, title="夜市"))
    nanqiao = Project.objects.get(application=build(Application.Status.APPROVED, community=places.nanqiao,
                                                    title="古城", amount=Decimal("50000")))
    Project.objects.filter(pk=nanqiao.pk).update(status=Project.Status.TERMINATED)
    jiahong = Project.objects.get(application=build(Application.Status.APPROVED, community=places.jiahonglu,
                                                    title="商居", agency="other_agency"))
    Project.objects.filter(pk=jiahong.pk).update(status=Project.Status.CLOSED)
    absorbed = Community.objects.filter(street=places.nanqiao.street).exclude(pk=places.nanqiao.pk).first()
    later = Project.objects.get(application=build(Application.Status.APPROVED, community=absorbed, title="后来",
                                                  amount=Decimal("40000")))
    Project.objects.filter(pk=later.pk).update(starts_on=datetime.date(2017, 3, 1), ends_on=datetime.date(2017, 9, 30))
    return {"gaoqiao": gaoqiao, "nanqiao": nanqiao, "jiahong": jiahong, "later": later, "absorbed": absorbed}


def direct_count(user, year):
    """The same question answered the slow, obvious way: walk the projects."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    in_scope = {c.pk: c for c in communities_for_user(user).filter(merged_into__isnull=True)
                .select_related("street")}
    covered = set()
    for project in Project.objects.select_related("community", "round"):
        if project.status == Project.Status.TERMINATED:
            continue
        if project.starts_on:
            touches = project.starts_on <= last and (project.ends_on is None or project.ends_on >= first)
        else:
            touches = project.round.year == year
        owner = project.community.merged_into_id or project.community_id
        if touches and owner in in_scope:
            covered.add(owner)
    totals = Counter(c.street.parent_id for c in in_scope.values())
    covered_by_district = Counter(in_scope[pk].street.parent_id for pk in covered)
    return len(in_scope), covered, totals, covered_by_district


@pytest.mark.parametrize("role", ["city_bureau", "district_bureau", "other_district_bureau", "street", "community"])
@pytest.mark.parametrize("year", [2016, 2017, 2018])
def test_figures_equal_a_direct_count(projects, cast, places, role, year):
    place_services.community_merge(community=projects["absorbed"], into=places.nanqiao,
                                   merged_on=datetime.date(2018, 1, 1), actor=cast["admin"], reason="撤并")
    user = cast[role]
    total, covered, totals, covered_by_district = direct_count(user, year)
    report = selectors.coverage_report(user=user, year=year, district=places.dujiangyan)
    assert (report.city.total, report.city.covered) == (total, len(covered))
    assert {row.region_id: (row.total, row.covered) for row in report.districts} == {
        pk: (n, covered_by_district[pk]) for pk, n in totals.items()}
    uncovered = set(selectors.uncovered_communities(user=user, year=year).values_list("pk", flat=True))
    assert uncovered == set(communities_for_user(user).filter(merged_into__isnull=True)
                            .values_list("pk", flat=True)) - covered
    assert sum(row.covered for row in report.streets) == covered_by_district[places.dujiangyan.pk]


def test_which_projects_count(projects, cast, places):
    report = selectors.coverage_report(user=cast["district_bureau"], year=2016, district=places.dujiangyan)
    street = {row.region_id: row for row in report.streets}
    assert street[places.yinxing.pk].covered == 1  # 高桥: active project
    assert street[places.nanqiao.street_id].covered == 0  # 南桥: terminated; the 2017 one is in 2017
    report = selectors.coverage_report(user=cast["district_bureau"], year=2017, district=places.dujiangyan)
    assert {row.region_id: row.covered for row in report.streets}[places.nanqiao.street_id] == 1
    city = selectors.coverage_report(user=cast["city_bureau"], year=2016)
    jinjiang = next(row for row in city.districts if row.region_id == places.jinjiang.pk)
    assert jinjiang.covered == 1  # 佳宏路: closed projects count


def test_the_definition_is_data(projects, cast, places):
    user = cast["district_bureau"]
    report = selectors.coverage_report(user=user, year=2016)
    assert [r.source for r in report.rules] == ["funded_project", "micro_grant", "public_fund"]
    assert [r.available for r in report.rules] == [True, False, False]
    CoverageRule.objects.filter(source="funded_project").update(active=False)
    assert selectors.coverage_report(user=user, year=2016).city.covered == 0


def test_a_later_app_adds_a_source_without_touching_this_one(projects, cast, places, monkeypatch):
    """A registered source with data counts as soon as its rule is active."""
    selforgs.selforg_create(actor=cast["community"], community=places.gaoqiao,
                            name="夜市自治小组", category="cooperative")
    nanqiao_staff = cast["admin"]
    selforgs.selforg_create(actor=nanqiao_staff, community=places.nanqiao, name="古城守护队", category="cooperative")
    source = coverage.EvidenceSource("micro_grant", "微项目", lambda year: SelfOrganization.objects.all())
    monkeypatch.setattr(coverage, "BUILT_IN", [*coverage.BUILT_IN, source])
    coverage.registered_sources.cache_clear()
    report = selectors.coverage_report(user=cast["district_bureau"], year=2016, district=places.dujiangyan)
    assert report.rules[1].available
    street = {row.region_id: row.covered for row in report.streets}
    assert street[places.nanqiao.street_id] == 1  # no project counts there, the new source does


def test_targets_fall_back_to_the_parent(projects, cast, places):
    CoverageTarget.objects.all().delete()
    services.coverage_target_set(actor=cast["city_bureau"], year=2016, region=places.city, percent="90")
    services.coverage_target_set(actor=cast["district_bureau"], year=2016, region=places.dujiangyan, percent=75)
    report = selectors.coverage_report(user=cast["city_bureau"], year=2016, district=places.dujiangyan)
    targets = {row.region_id: row.target for row in report.districts}
    assert targets[places.dujiangyan.pk] == Decimal("75")
    assert targets[places.jinjiang.pk] == Decimal("90")
    assert {row.target for row in report.streets} == {Decimal("75")}
    assert report.city.target == Decimal("90")
    assert selectors.coverage_report(user=cast["district_bureau"], year=2016).city.target == Decimal("75")
    assert AuditEvent.objects.filter(action="coverage.target", actor__isnull=False).count() == 2


def test_target_service_checks_actor_and_input(cast, places, rules):
    with pytest.raises(PermissionDenied):
        services.coverage_target_set(actor=cast["district_bureau"], year=2016, region=places.city, percent=90)
    with pytest.raises(PermissionDenied):
        services.coverage_target_set(actor=cast["district_bureau"], year=2016, region=places.jinjiang, percent=90)
    for bad in ["abc", "101", "-1", "NaN", "Infinity"]:
        with pytest.raises(ValidationError):
            services.coverage_target_set(actor=cast["city_bureau"], year=2016, region=places.city, percent=bad)
    with pytest.raises(ValidationError):
        services.coverage_target_set(actor=cast["city_bureau"], year=1999, region=places.city, percent=50)
    with pytest.raises(PermissionDenied):
        services.coverage_rule_save(actor=cast["district_bureau"], source="x", label="x", definition="x")
    with pytest.raises(ValidationError):
        services.coverage_rule_save(actor=cast["city_bureau"], source="bad code!", label="x", definition="x")


def test_page_shows_definition_map_and_uncovered(projects, client_for, places):
    client = client_for("district_bureau")
    response = client.get(reverse("programme:coverage"), {"year": 2016, "district": places.dujiangyan.pk})
    assert response.status_code == 200
    body = response.content.decode()
    assert "当年有执行中或已结项的立项资助项目" in body
    assert "数据来源尚未接入" in body
    assert 'id="coverage-map-data"' in body and "都江堰市" in body
    assert "vendor/echarts-china-cities/chengdu.js" in body
    assert "高桥社区" not in body.split('id="uncovered-table"')[1].split("</table>")[0]
    assert "南桥社区" in body
    assert client_for("agency").get(reverse("programme:coverage")).status_code == 403


def test_api_gives_the_same_figures(projects, client_for, cast, places):
    response = client_for("district_bureau").get("/api/coverage/", {"year": 2016, "district": places.dujiangyan.pk})
    assert response.status_code == 200
    data = response.json()
    report = selectors.coverage_report(user=cast["district_bureau"], year=2016, district=places.dujiangyan)
    assert data["total"]["covered"] == report.city.covered == 1
    assert data["total"]["total"] == report.city.total
    assert [d["code"] for d in data["districts"]] == [places.dujiangyan.code]
    assert sum(s["covered"] for s in data["streets"]) == 1
    assert data["definition"][0]["source"] == "funded_project"
    uncovered = client_for("district_bureau").get("/api/coverage/uncovered/", {"year": 2016}).json()
    assert uncovered["count"] == report.city.total - 1
    assert client_for("evaluator").get("/api/coverage/").status_code == 403


def test_bad_year_falls_back_to_this_year(projects, client_for):
    from django.utils import timezone

    response = client_for("city_bureau").get("/api/coverage/", {"year": "99999"})
    assert response.json()["year"] == timezone.localdate().year


def _queries(client, url, params):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/programme/coverage/", "/api/coverage/", "/api/coverage/uncovered/"])
def test_query_count_does_not_grow(projects, client_for, places, build, url):
    client = client_for("city_bureau")
    params = {"year": 2016, "district": places.dujiangyan.pk}
    small = _queries(client, url, params)
    for community in Community.objects.filter(street=places.yinxing).exclude(pk=places.gaoqiao.pk)[:3]:
        build(Application.Status.APPROVED, community=community, title=f"项目{community.pk}", amount=Decimal("30000"))
    Community.objects.bulk_create(Community(code=f"510181005{900 + i}", name=f"新社区{i}", street=places.yinxing)
                                  for i in range(30))
    # session, user, scope, rules, targets, regions, totals per year, districts, streets, page count + page
    assert _queries(client, url, params) == small


def test_settings_page_sets_targets_and_rules(rules, client_for, places):
    client = client_for("district_bureau")
    url = reverse("programme:coverage_settings")
    response = client.post(url, {"form": "target", "year": 2016, "region": places.dujiangyan.pk, "percent": "101"})
    assert response.status_code == 400 and 'value="101"' in response.content.decode()
    response = client.post(url, {"form": "target", "year": 2016, "region": places.city.pk, "percent": "50"})
    assert response.status_code == 400  # the city is not a district bureau's to set
    response = client.post(url, {"form": "target", "year": 2016, "region": places.dujiangyan.pk, "percent": "85"})
    assert response.status_code == 302
    assert CoverageTarget.objects.get(year=2016, region=places.dujiangyan).percent == Decimal("85")
    assert client.post(url, {"form": "rule", "source": "x", "label": "x", "definition": "x"}).status_code == 403
    city = client_for("city_bureau")
    response = city.post(url, {"form": "rule", "source": "micro_grant", "label": "微项目", "definition": "新口径",
                               "order": 1})
    assert response.status_code == 302
    rule = CoverageRule.objects.get(source="micro_grant")
    assert (rule.definition, rule.active) == ("新口径", False)
    assert client_for("street").get(url).status_code == 403


@pytest.mark.parametrize("year", [2016, 2017])
def test_the_coverage_report_kind_equals_a_direct_count(projects, cast, places, year):
    """#20: coverage in the reports — the registered report kind, for the city and for a
    district, gives the same figures as the direct count."""
    from places.reporting import Filters, report_kind

    for region, user in ((places.city, cast["city_bureau"]), (places.dujiangyan, cast["district_bureau"])):
        total, covered, _totals, _by_district = direct_count(user, year)
        data = report_kind("coverage").build(Filters(region=region, year=year))
        summary = {str(label): value for label, value, _kind in data.summary}
        assert (summary["社区数"], summary["已开展营造行动"]) == (total, len(covered))
        uncovered = next(t for t in data.tables if str(t.name) == "尚未开展的社区")
        assert len(uncovered.rows) == total - len(covered)


def test_the_bureau_home_shows_coverage_against_the_target(projects, cast, places, client_for):
    year = timezone.localdate().year
    CoverageTarget.objects.update_or_create(year=year, region=places.city, defaults={"percent": Decimal("90")})
    page = client_for("city_bureau").get(reverse("home"))
    assert page.status_code == 200
    coverage_card = page.context["home_figures"]["coverage"]
    total, covered, _t, _d = direct_count(cast["city_bureau"], year)
    assert (coverage_card.city.total, coverage_card.city.covered) == (total, len(covered))
    assert 'id="home-coverage"' in page.content.decode() and "90%" in page.content.decode()
    # Agencies and residents have no coverage on their home.
    assert "home_figures" not in client_for("agency").get(reverse("home")).context
