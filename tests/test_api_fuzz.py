"""Property-based fuzzing of the API against its own OpenAPI schema (schemathesis), #13.

For a few roles, every GET operation and the main write operations get a bounded number
of generated requests through the WSGI app (in-process, inside the test's transaction).
The run fails on any 5xx and on any response whose status, content type or body the
schema does not document. Keep it to a couple of minutes: FUZZ_EXAMPLES per operation.
"""
import os

import pytest
from hypothesis import HealthCheck, given, settings
from knox.models import AuthToken

from tests.conftest import clear_throttles

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from shequ.wsgi import application  # noqa: E402
from tests.projects.fixtures import (  # noqa: E402, F401
    _eager_celery,
    build,
    funding_round,
    review_form,
    second_reviewer,
)

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# File downloads and the docs pages are not JSON operations worth fuzzing; logout would end the session.
SKIP = ("/api/auth/", "/download/", "/api/docs/", "/api/redoc/", "/api/schema/")


def _schema(token):
    return schemathesis.openapi.from_wsgi("/api/schema/", application, headers={"Authorization": f"Token {token}"})


@pytest.fixture
def keep_connection():
    """The WSGI app runs in-process inside the test's transaction. Django closes the
    connection at the end of each request (CONN_MAX_AGE=0); on PostgreSQL that would
    end the test's transaction after the first request. Django's own test client
    disconnects the same handler while it runs."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("role", ["city_bureau", "agency", "reviewer"])
def test_api_matches_its_schema_and_never_fails(role, cast, build, settings_ok, keep_connection):
    from projects.models import Application
    build(Application.Status.IN_REVIEW, reviewers=[cast["reviewer"]])
    _, token = AuthToken.objects.create(cast[role])
    headers = {"Authorization": f"Token {token}"}
    schema = _schema(token)
    failures, ran = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path.startswith(SKIP) or any(part in operation.path for part in SKIP):
            continue
        if operation.method.upper() not in ("GET", "POST", "PATCH"):
            continue

        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case):
            clear_throttles()
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
            ran += 1
        except Exception as exc:  # collect every operation's first failure
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:600]}")
    assert ran > 20
    assert not failures, "\n\n".join(failures)


@pytest.fixture
def settings_ok(settings):
    # schemathesis' WSGI client talks to host "localhost".
    settings.ALLOWED_HOSTS = ["*"]
    return settings
