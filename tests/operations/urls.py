"""The project's URLconf plus views that fail on purpose, for the error-handling tests."""

import logging

from django.http import HttpResponse
from django.urls import path

from shequ.urls import handler400, handler403, handler404, handler500  # noqa: F401
from shequ.urls import urlpatterns as project_patterns


def boom(request):
    raise RuntimeError("secret detail /srv/shequ/var/db.sqlite3 errno 13 constraint ck_amount_positive")


def logs(request):
    logging.getLogger("operations.tests").warning("inside the request")
    return HttpResponse("ok")


urlpatterns = [
    path("boom/", boom),
    path("api/boom/", boom),
    path("logs/", logs),
    *project_patterns,
]
