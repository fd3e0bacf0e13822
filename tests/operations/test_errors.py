"""Error answers: Chinese pages in the layout, a 500 page and a 503 page that need no
database, JSON with the request id under /api/, and no internals in any body."""

import json
import logging
from unittest import mock

import pytest
from django.db import connection
from django.db.utils import InterfaceError, OperationalError
from django.test import Client

from operations.request_id import RequestIdFilter

pytestmark = pytest.mark.urls("tests.operations.urls")
LEAKS = ("Traceback", "RuntimeError", "/srv/", "errno", "ck_amount", "OperationalError", "10.0.0.5", "5432")


def no_leaks(response):
    body = response.content.decode()
    assert not [leak for leak in LEAKS if leak in body], body
    return body


def database_down(error=OperationalError):
    """Every new query fails as when PostgreSQL is unreachable."""
    return mock.patch.object(connection, "ensure_connection", side_effect=error(
        'could not connect to server: Connection refused\n\tIs the server running on host "10.0.0.5" port 5432?'))


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def test_unknown_page_is_a_chinese_404_in_the_layout_with_the_request_id(client, cast):
    client.force_login(cast["outsider"])
    response = client.get("/no/such/page/", HTTP_X_REQUEST_ID="req-12345678")
    body = no_leaks(response)
    assert response.status_code == 404
    assert response["X-Request-ID"] == "req-12345678"
    assert "未找到页面" in body and "错误编号：" in body and "req-12345678" in body
    assert "返回工作台" in body and "navbar" in body  # the site's layout


def test_a_request_id_is_made_when_none_or_a_bad_one_comes_in(client, db):
    made = client.get("/healthz")["X-Request-ID"]
    assert len(made) == 32
    hostile = client.get("/healthz", HTTP_X_REQUEST_ID="<script>alert(1)</script>")["X-Request-ID"]
    assert "<" not in hostile and hostile != made


def test_unknown_api_url_answers_json_404(client, db):
    response = client.get("/api/no-such-thing/", HTTP_X_REQUEST_ID="api-req-0001")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "未找到。", "request_id": "api-req-0001"}


def test_drf_errors_carry_the_request_id(client, cast):
    response = client.get("/api/me/")  # anonymous: DRF's own 401 (#13: WWW-Authenticate)
    assert response.status_code == 401
    data = response.json()
    assert data["request_id"] == response["X-Request-ID"] and data["detail"]
    client.force_login(cast["outsider"])
    response = client.get("/api/projects/999999999/")
    assert response.status_code == 404 and response.json()["request_id"] == response["X-Request-ID"]
    # Field errors keep their shape and gain the id.
    client.force_login(cast["city_bureau"])
    response = client.post("/api/reports/", {}, content_type="application/json")
    assert response.status_code == 400
    data = response.json()
    assert data["request_id"] == response["X-Request-ID"] and isinstance(data.get("kind"), list)


def test_an_error_tied_to_no_field_is_still_an_object(client, cast):
    """DRF's search filter refuses a NUL with a bare list; the fuzz found it answering
    `["不允许是用空字符串。"]` where every documented error is an object."""
    client.force_login(cast["city_bureau"])
    response = client.get("/api/reports/?search=%00x")
    assert response.status_code == 400
    data = response.json()
    assert data["non_field_errors"] and data["request_id"] == response["X-Request-ID"]


def test_server_error_page_is_chinese_and_hides_the_exception(client, db):
    response = client.get("/boom/")
    body = no_leaks(response)
    assert response.status_code == 500
    assert "服务器内部错误" in body and response["X-Request-ID"] in body


def test_api_server_error_is_json(client, db):
    response = client.get("/api/boom/")
    no_leaks(response)
    assert response.status_code == 500
    data = response.json()
    assert "服务器内部错误" in data["detail"] and data["request_id"] == response["X-Request-ID"]


def test_server_error_page_renders_with_the_database_unreachable(client, cast):
    client.force_login(cast["outsider"])
    with database_down():
        response = client.get("/boom/")
    body = no_leaks(response)
    assert response.status_code == 500
    assert "服务器内部错误" in body and response["X-Request-ID"] in body


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_database_down_answers_a_chinese_503_page(client, cast, error):
    client.force_login(cast["city_bureau"])
    assert client.get("/funding/rounds/").status_code == 200
    with database_down(error):
        response = client.get("/funding/rounds/")
    body = no_leaks(response)
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "服务暂时不可用" in body and "数据库" in body and response["X-Request-ID"] in body


def test_database_down_answers_json_503_under_the_api(client, cast):
    client.force_login(cast["city_bureau"])
    assert client.get("/api/projects/").status_code == 200
    with database_down():
        response = client.get("/api/projects/")
    no_leaks(response)
    assert response.status_code == 503
    data = response.json()
    assert "数据库" in data["detail"] and data["request_id"] == response["X-Request-ID"]


def test_404_with_the_database_down_is_still_an_answer(client, cast):
    # The layout's header needs the database; the standalone page takes over.
    client.force_login(cast["city_bureau"])
    with database_down():
        response = client.get("/no/such/page/")
    body = no_leaks(response)
    assert response.status_code == 503 and "服务暂时不可用" in body and response["X-Request-ID"] in body


def test_permission_denied_shows_the_services_reason(client, cast):
    client.force_login(cast["outsider"])
    response = client.get("/organizations/new/")
    body = no_leaks(response)
    assert response.status_code == 403 and "无权操作" in body and "错误编号：" in body


def test_csrf_failure_is_a_chinese_403(cast):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(cast["community"])
    response = client.post("/accounts/logout/")
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()
    api = client.post("/api/no-such-thing/")
    assert api.status_code in (403, 404) and api.json()["request_id"]


def test_bad_request_handler_under_api_and_pages(rf):
    from operations.views import bad_request

    request = rf.get("/api/x/")
    request.request_id = "rid-00000001"
    response = bad_request(request, None)
    assert response.status_code == 400
    assert json.loads(response.content) == {"detail": "请求无法处理，请检查后重试。", "request_id": "rid-00000001"}


def test_disallowed_host_is_a_400_page(client, db):
    response = client.get("/", HTTP_HOST="evil.example")
    body = no_leaks(response)
    assert response.status_code == 400 and "请求有误" in body and "evil.example" not in body


def test_every_log_line_written_during_a_request_carries_its_id(client, db):
    console = next(h for h in logging.getLogger().handlers if any(isinstance(f, RequestIdFilter) for f in h.filters))
    lines = []
    with mock.patch.object(console, "emit", side_effect=lambda record: lines.append(console.format(record))):
        client.get("/logs/", HTTP_X_REQUEST_ID="log-req-0042")
        client.get("/boom/", HTTP_X_REQUEST_ID="log-req-0500")
    assert any("[log-req-0042]" in line and "inside the request" in line for line in lines), lines
    assert any("[log-req-0500]" in line and "Internal Server Error" in line for line in lines), lines


def test_the_middleware_answers_503_even_with_debug_on(client, cast, settings):
    # With DEBUG on Django would show its technical 500; a developer sees the 503 too.
    settings.DEBUG = True
    client.force_login(cast["city_bureau"])
    with database_down():
        response = client.get("/funding/rounds/")
    assert response.status_code == 503 and "服务暂时不可用" in response.content.decode()


def test_a_database_error_outside_a_view_is_a_503_from_the_500_handler(rf):
    # Raised in a middleware (a session save, say): only handler500 sees it.
    from operations.views import server_error

    for path, kind in (("/funding/rounds/", "text/html"), ("/api/projects/", "application/json")):
        request = rf.get(path)
        request.request_id = "rid-00000503"
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError:
            response = server_error(request)
        assert response.status_code == 503 and response["Content-Type"].startswith(kind)
        assert "rid-00000503" in response.content.decode() and "unexpectedly" not in response.content.decode()
