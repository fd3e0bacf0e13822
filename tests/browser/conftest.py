"""Playwright on Debian's Chromium (/usr/bin/chromium); never `playwright install`.

Outside CI a machine without Chromium skips these tests and says why; in CI a missing
Chromium is a failure, because .ci/run installs it.
"""

import os
import shutil
import tempfile

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def new_context(browser, **options):
    """A browser context as our users' phones and desktops have it: Chinese first, and
    with reduced motion — Bootstrap otherwise scrolls smoothly, and Playwright waits
    for each scroll to settle before it taps (the 53-tap scoring sheet spent 55 of its
    70 s waiting on animation). What the pages do is the same either way."""
    return browser.new_context(**{"locale": "zh-CN", "reduced_motion": "reduce", **options})


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("CI needs Chromium at /usr/bin/chromium (.ci/run installs the Debian package).")
        pytest.skip("No Chromium at /usr/bin/chromium: install Debian's chromium package to run browser tests.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = new_context(browser, bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context = new_context(browser, bypass_csp=True, viewport={"width": 360, "height": 740},
                          is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def screenshots_dir():
    path = os.environ.get("SHEQU_SCREENSHOTS") or tempfile.mkdtemp(prefix="shequ-shots-")
    os.makedirs(path, exist_ok=True)
    return path


@pytest.fixture
def as_user(browser, live_server):
    """Log in as a cast member in a fresh browser context; returns the page."""
    contexts = []

    def login(username):
        context = new_context(browser, bypass_csp=True, viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.on("dialog", lambda dialog: dialog.accept())
        page.goto(live_server.url + reverse("login"))
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(live_server.url + "/")
        return page

    yield login
    for context in contexts:
        context.close()
