"""Error handlers (set as handler400/403/404/500 in the root URLconf), the CSRF failure
view and the health endpoints.

Under /api/ every error is JSON: {"detail": "<中文>", "request_id": "..."}. Pages show
the site's layout when the database answers; the 500 and 503 pages are standalone
templates rendered without context processors, so they render with the database gone.
No message shows a path, an errno, a constraint name or a traceback.
"""

import sys

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import health
from .http import DATABASE_ERRORS, is_api

RETRY_AFTER_SECONDS = 30


def _request_id(request) -> str:
    return getattr(request, "request_id", "-")


def _json(request, status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "request_id": _request_id(request)}, status=status,
                        json_dumps_params={"ensure_ascii": False})


def _standalone(request, template: str, status: int, context: dict) -> HttpResponse:
    # Rendered without the request: no context processor runs, so no query is made.
    body = loader.get_template(template).render({"request_id": _request_id(request), **context})
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


def _page(request, template: str, status: int, context: dict) -> HttpResponse:
    """The error page in the site's layout, or the standalone 503 when the layout's
    context processors cannot reach the database."""
    try:
        return render(request, template, {"request_id": _request_id(request), **context}, status=status)
    except DATABASE_ERRORS:
        return service_unavailable(request)


def bad_request(request, exception=None):
    detail = _("请求无法处理，请检查后重试。")
    if is_api(request):
        return _json(request, 400, detail)
    return _page(request, "400.html", 400, {"detail": detail})


def permission_denied(request, exception=None):
    # PermissionDenied carries the services' Chinese reason; an empty one gets ours.
    detail = str(exception) if exception is not None and str(exception) else _("您没有执行此操作的权限。")
    if is_api(request):
        return _json(request, 403, detail)
    return _page(request, "403.html", 403, {"exception": detail})


def page_not_found(request, exception=None):
    # Http404's own text may name a model or a path: never shown.
    if is_api(request):
        return _json(request, 404, _("未找到。"))
    return _page(request, "404.html", 404, {})


def server_error(request):
    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_ERRORS):
        return service_unavailable(request)
    if is_api(request):
        return _json(request, 500, _("服务器内部错误，我们已记录此问题，请稍后再试。"))
    return _standalone(request, "500.html", 500, {})


def service_unavailable(request):
    if is_api(request):
        response = _json(request, 503, _("服务暂时不可用（数据库无法访问），请稍后再试。"))
    else:
        response = _standalone(request, "503.html", 503, {})
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def csrf_failure(request, reason=""):
    detail = _("页面已过期或来源无法验证，请刷新页面后重试。")
    if is_api(request):
        return _json(request, 403, detail)
    return _page(request, "403.html", 403, {"exception": detail})


@never_cache
def healthz(request):
    """The process answers. Touches nothing else, so a slow database never restarts it."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    """Whether this instance should get traffic: database, broker, disk (critical) and
    the Celery worker's heartbeat (reported, not critical: pages work without it)."""
    checks = health.run_checks()
    ready = all(check["ok"] is not False for check in checks.values() if check.get("critical", True))
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks},
                        status=200 if ready else 503)
