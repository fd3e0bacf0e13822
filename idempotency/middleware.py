"""Replays instead of duplicates. A POST carrying a one-time token (form field `_once`,
from `{% once_token %}`) or an `Idempotency-Key` header (API) is recorded under a
unique (user, path, key) constraint before the view runs:

- the first request runs; a success (a redirect for pages, a 2xx for the API) is stored
  with the row; anything else (form errors, a refusal) deletes the row so the person
  can correct and send again;
- a repeat gets the stored answer — the same redirect, the same JSON body — and never
  reaches the view; a repeat arriving while the first is still running waits for it
  briefly, then gets 409."""

import logging
import re
import time

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils.translation import gettext as _

from .models import IdempotencyKey

logger = logging.getLogger(__name__)
FORM_FIELD = "_once"
HEADER = "Idempotency-Key"
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_\-:.]{8,64}$")
API_PREFIX = "/api/"
WAIT_SECONDS = 10


def _user(request):
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    if request.path.startswith(API_PREFIX) and request.headers.get("Authorization", "").startswith("Token "):
        # The API's token users are authenticated by DRF inside the view; resolve the
        # token here too so their keys are scoped to them.
        from rest_framework.authentication import TokenAuthentication
        from rest_framework.exceptions import AuthenticationFailed

        try:
            found = TokenAuthentication().authenticate(request)
        except AuthenticationFailed:
            return None
        return found[0] if found else None
    return None


def _key(request) -> tuple[str, bool]:
    """(key, is_api). Forms send the field, the API sends the header."""
    is_api = request.path.startswith(API_PREFIX)
    if is_api:
        return request.headers.get(HEADER, "").strip(), True
    content_type = request.content_type or ""
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return request.POST.get(FORM_FIELD, "").strip(), False
    return "", False


def _storable(response, is_api: bool) -> bool:
    if is_api:
        return 200 <= response.status_code < 300 and not getattr(response, "streaming", False)
    return response.status_code in (301, 302, 303) and response.has_header("Location")


def _replay(request, record: IdempotencyKey, is_api: bool):
    if is_api:
        response = HttpResponse(record.body, status=record.status_code, content_type=record.content_type)
        response["Idempotent-Replayed"] = "true"
        return response
    messages.info(request, _("该表单已经提交过，没有重复创建。"))
    return HttpResponseRedirect(record.location)


def _busy(is_api: bool):
    message = _("该请求正在处理，请稍候刷新页面查看结果。")
    if is_api:
        return JsonResponse({"detail": message}, status=409)
    return HttpResponse(message, status=409, content_type="text/plain; charset=utf-8")


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "POST":
            return self.get_response(request)
        key, is_api = _key(request)
        if not key:
            return self.get_response(request)
        if not KEY_PATTERN.match(key):
            message = _("幂等键须为 8 至 64 位字母、数字或 -_:.")
            if is_api:
                return JsonResponse({"detail": message}, status=400)
            return self.get_response(request)  # a mangled form token: handle it as a plain POST
        user = _user(request)
        if user is None:
            return self.get_response(request)
        path = request.path[:300]
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(user=user, path=path, key=key)
        except IntegrityError:
            return self._repeat(request, user, path, key, is_api)
        try:
            response = self.get_response(request)
        except BaseException:
            IdempotencyKey.objects.filter(pk=record.pk).delete()
            raise
        if _storable(response, is_api):
            IdempotencyKey.objects.filter(pk=record.pk).update(
                status_code=response.status_code, location=response.get("Location", "")[:500],
                content_type=response.get("Content-Type", "")[:100],
                body=response.content.decode(response.charset or "utf-8", errors="replace") if is_api else "")
        else:
            IdempotencyKey.objects.filter(pk=record.pk).delete()
        return response

    def _repeat(self, request, user, path, key, is_api):
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            record = IdempotencyKey.objects.filter(user=user, path=path, key=key).first()
            if record is None:  # the first attempt failed and let go of the key: run this one
                return self.__call__(request)
            if record.completed:
                return _replay(request, record, is_api)
            if time.monotonic() > deadline:
                return _busy(is_api)
            time.sleep(0.2)
