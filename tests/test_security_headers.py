"""Every page carries a Content-Security-Policy and has no inline script or style for it to forbid."""
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from projects.models import Application
from tests.projects.fixtures import _eager_celery, build, funding_round, review_form, second_reviewer  # noqa: F401

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son(click|submit|change|load|error|input)=", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle=\"", re.I)
# Django admin and drf-spectacular's docs are not our templates.
SKIP = ("admin:", "api:docs", "api:redoc", "api:schema", "logout", "set_language")


def _parameterless_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _parameterless_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name and not pattern.pattern.regex.groups:
            yield f"{namespace}{pattern.name}"


def _assert_clean(response, where):
    assert "Content-Security-Policy" in response, where
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy, where
    assert response["Permissions-Policy"].startswith("camera=()"), where
    assert response["Referrer-Policy"] == "same-origin", where
    if "text/html" in response.get("Content-Type", ""):
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), (where, INLINE_SCRIPT.search(html).group(0))
        assert not INLINE_HANDLER.search(html), where
        assert not STYLE_ATTRIBUTE.search(html), where


@pytest.mark.parametrize("role", ["city_bureau", "district_bureau", "agency", "community", "street", "outsider"])
def test_main_pages_have_csp_and_no_inline_code(role, client_for, build):
    application = build(Application.Status.DRAFT)
    client = client_for(role)
    names = sorted(name for name in set(_parameterless_names()) if not name.startswith(SKIP))
    assert len(names) > 10
    checked = 0
    for name in names:
        response = client.get(reverse(name))
        if response.status_code == 200:
            _assert_clean(response, f"{role} {name}")
            checked += 1
    for url in (reverse("projects:application_detail", args=[application.pk]),
                reverse("projects:application_start", args=[application.round_id])):
        response = client.get(url)
        if response.status_code == 200:
            _assert_clean(response, f"{role} {url}")
    assert checked > 3


def test_login_page_and_anonymous_responses_have_csp(client):
    _assert_clean(client.get(reverse("login")), "login")


def test_api_docs_relax_csp_only_for_themselves(client_for):
    client = client_for("city_bureau")
    assert "'unsafe-inline'" in client.get(reverse("api:docs"))["Content-Security-Policy"]
    assert "'unsafe-inline'" not in client.get(reverse("home"))["Content-Security-Policy"]
