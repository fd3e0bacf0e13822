"""Each role's main pages pass axe-core with no serious or critical violation, at a
phone's 360 px and a laptop's 1280 px (issue #16).

axe-core is vendored under tests/browser/vendor/axe-core/ (MPL-2.0, test-only, never
served) and injected into the page by Playwright. One browser, one context per user,
both widths on the same page: the demo is seeded once and the whole run stays short."""

import pathlib

import pytest
from django.urls import reverse

from shequ.demo import DEMO_PASSWORD, seed_demo
from tests.browser.conftest import new_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (pathlib.Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
WIDTHS = (360, 1280)
BLOCKING = ("serious", "critical")


def axe_violations(page) -> list[dict]:
    """Serious and critical violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE)
    results = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' — ' + ((n.any[0] || {}).message || ''))}));
    }""")
    return [v for v in results if v["impact"] in BLOCKING]


def demo_pages():
    """(username, page name, URL) for each role's main pages, from the seeded demo."""
    from assessments.models import EvaluatorSheet
    from councils.models import Council
    from projects.models import Application, ProgressReport, Project
    from publicfunds.models import YearFund

    application = Application.objects.exclude(status="draft").order_by("pk").first()
    project = Project.objects.order_by("pk").first()
    report = (ProgressReport.objects.filter(project__organization__memberships__user__username="rongxiang")
              .order_by("status", "pk").first())
    sheet = EvaluatorSheet.objects.filter(evaluator__username="evaluator").order_by("pk").first()
    council = Council.objects.filter(community__code="510104032009").order_by("pk").first()
    fund = YearFund.objects.filter(community__code="510104032009").order_by("pk").first()
    return [
        ("city_bureau", "bureau home", reverse("home")),
        ("city_bureau", "review workbench", reverse("projects:application_list")),
        ("city_bureau", "application", reverse("projects:application_detail", args=[application.pk])),
        ("city_bureau", "project", reverse("projects:project_detail", args=[project.pk])),
        ("city_bureau", "community import", reverse("places:community_import")),
        ("reviewer", "review list", reverse("projects:review_list")),
        ("rongxiang", "agency home", reverse("home")),
        ("rongxiang", "progress report", reverse("projects:progress_detail", args=[report.pk])),
        ("evaluator", "scoring sheet", reverse("assessments:sheet", args=[sheet.pk])),
        ("gaoqiao", "community home", reverse("home")),
        ("resident", "resident home", reverse("home")),
        ("resident", "council", reverse("councils:council_detail", args=[council.pk])),
        ("jiahonglu", "public funds", reverse("publicfunds:fund_list")),
        ("jiahonglu", "public fund", reverse("publicfunds:fund_detail", args=[fund.pk])),
    ]


def test_main_pages_have_no_serious_or_critical_violations(browser, live_server):
    seed_demo()
    found, contexts = [], {}
    try:
        for username, name, url in demo_pages():
            if username not in contexts:
                context = new_context(browser, bypass_csp=True, viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.set_default_timeout(15000)
                page.goto(live_server.url + reverse("login"))
                page.get_by_label("用户名").fill(username)
                page.get_by_label("密码").fill(DEMO_PASSWORD)
                page.get_by_role("button", name="登录").click()
                page.wait_for_url(live_server.url + "/")
                contexts[username] = (context, page)
            page = contexts[username][1]
            response = page.goto(live_server.url + url)
            assert response.status == 200, (name, url, response.status)
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                found += [f"{name} @{width}px {v['impact']} {v['id']}: {v['help']} {v['nodes']}"
                          for v in axe_violations(page)]
    finally:
        for context, _page in contexts.values():
            context.close()
    assert found == [], "\n".join(found)
