"""Issue #13 authentication: 401 with WWW-Authenticate, expiring revocable tokens, throttles and lock-outs."""
import datetime

import pytest
from django.contrib.auth.password_validation import validate_password
from django.urls import reverse
from django.utils import timezone

from tests.conftest import clear_throttles, make_user

pytestmark = pytest.mark.django_db
PASSWORD = "shequ-demo-2026"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    clear_throttles()
    yield
    clear_throttles()


@pytest.fixture
def clerk(db):
    user = make_user("clerk")
    user.set_password(PASSWORD)
    user.save()
    return user


def test_token_expires_and_is_revoked_on_logout(client, clerk, settings):
    response = client.post("/api/auth/token/", {"username": "clerk", "password": PASSWORD},
                           content_type="application/json")
    assert response.status_code == 200, response.content
    token, expiry = response.json()["token"], response.json()["expiry"]
    lifetime = datetime.datetime.fromisoformat(expiry.replace("Z", "+00:00")) - timezone.now()
    assert datetime.timedelta(hours=settings.SHEQU_TOKEN_TTL_HOURS - 1) < lifetime <= datetime.timedelta(
        hours=settings.SHEQU_TOKEN_TTL_HOURS)
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    assert client.get("/api/me/", **auth).json()["username"] == "clerk"
    assert client.post("/api/auth/logout/", **auth).status_code == 204
    assert client.get("/api/me/", **auth).status_code == 401


def test_expired_token_is_refused(client, clerk):
    from knox.models import AuthToken
    instance, token = AuthToken.objects.create(clerk, expiry=datetime.timedelta(seconds=-1))
    response = client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 401 and response.has_header("WWW-Authenticate")


def test_unauthenticated_is_401_with_www_authenticate(client):
    for url in ("/api/me/", "/api/applications/", "/api/schema/"):
        response = client.get(url)
        assert response.status_code == 401, url
        assert response["WWW-Authenticate"].startswith("Token"), url
        assert url == "/api/schema/" or response["Content-Type"].startswith("application/json")


def test_wrong_passwords_lock_the_token_endpoint(client, clerk, settings):
    codes = [client.post("/api/auth/token/", {"username": "clerk", "password": "wrong"},
                         content_type="application/json").status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert codes[:-1] == [400] * (settings.AXES_FAILURE_LIMIT - 1) and codes[-1] == 429  # the last one locks
    response = client.post("/api/auth/token/", {"username": "clerk", "password": PASSWORD},
                           content_type="application/json")
    assert response.status_code in (403, 429)
    assert "token" not in response.json()


def test_token_endpoint_is_throttled_per_account(client, clerk, settings):
    limit = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["token_account"].split("/")[0])
    settings.AXES_FAILURE_LIMIT = 1000
    codes = [client.post("/api/auth/token/", {"username": "clerk", "password": PASSWORD},
                         content_type="application/json", REMOTE_ADDR=f"10.0.0.{i % 250}").status_code
             for i in range(limit + 1)]
    assert codes[:limit] == [200] * limit and codes[-1] == 429


def test_web_login_locks_after_repeated_failures(client, clerk, settings):
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "clerk", "password": "wrong"})
    response = client.post(url, {"username": "clerk", "password": PASSWORD})
    assert response.status_code == 429
    assert "锁定" in response.content.decode()


def test_password_validators_are_on_and_the_demo_password_passes(clerk, settings):
    assert len(settings.AUTH_PASSWORD_VALIDATORS) >= 4
    validate_password(PASSWORD, clerk)
    from django.core.exceptions import ValidationError
    with pytest.raises(ValidationError):
        validate_password("12345678", clerk)
