"""Photo thumbnails open a viewer with previous/next, under the real CSP (no bypass)."""
import datetime

import pytest
from django.urls import reverse

from projects import services
from projects.models import Application, Project
from tests import files
from tests.browser.conftest import new_context
from tests.conftest import PASSWORD
from tests.projects.fixtures import _eager_celery, build, funding_round, review_form, second_reviewer  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_thumbnails_open_the_viewer_and_step_through_photos(browser, live_server, cast, build):
    project = Project.objects.get(application=build(Application.Status.APPROVED))
    services.agreement_sign(project=project, actor=cast["city_bureau"], signed_on=datetime.date(2016, 3, 10))
    report = project.progress_reports.get(number=1)
    activity = services.activity_add(report=report, actor=cast["agency"], held_on=report.period_start,
                                     title="坝坝会", kind="courtyard_meeting")
    photos = [services.photo_add(activity=activity, actor=cast["agency"], upload=files.jpeg(size=(800, 600)),
                                 caption=caption) for caption in ("第一张", "第二张")]
    context = new_context(browser, viewport={"width": 1280, "height": 900})  # CSP enforced
    page = context.new_page()
    page.set_default_timeout(15000)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("用户名").fill("agency")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + "/")
    page.goto(live_server.url + reverse("projects:progress_detail", args=[report.pk]))

    thumbs = page.locator("img.photo-thumb")
    assert thumbs.count() == 2
    page.wait_for_function("() => [...document.querySelectorAll('img.photo-thumb')].every(i => i.naturalWidth > 0)")
    thumbs.first.click()
    viewer = page.locator("#photo-viewer")
    viewer.wait_for(state="visible")
    full = [reverse("projects:activity_photo", args=[report.pk, p.pk]) for p in photos]
    assert viewer.locator("img.photo-viewer-img").get_attribute("src") == full[0]
    assert "第一张" in viewer.locator(".photo-viewer-caption").inner_text()
    viewer.get_by_role("button", name="下一张").click()
    assert viewer.locator("img.photo-viewer-img").get_attribute("src") == full[1]
    assert viewer.locator(".photo-viewer-counter").inner_text() == "2 / 2"
    page.keyboard.press("ArrowRight")
    assert viewer.locator("img.photo-viewer-img").get_attribute("src") == full[0]
    assert not [e for e in errors if "Content Security Policy" in e], errors
    context.close()
