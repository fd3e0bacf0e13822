"""Two middlewares, listed first in MIDDLEWARE:

- RequestIdMiddleware gives each request an id (header in, header out, log lines) and
  adds it to the JSON body of every API error that DRF renders;
- DatabaseUnavailableMiddleware turns a lost database into a Chinese 503 instead of a
  traceback and a 500.
"""

import logging

from . import request_id
from .http import DATABASE_ERRORS, is_api
from .views import service_unavailable

logger = logging.getLogger("operations")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id.make(request.headers.get(request_id.HEADER))
        token = request_id.set_current(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response[request_id.HEADER] = request.request_id
        return response

    def process_template_response(self, request, response):
        # DRF's own errors (403, 404, 405, 400 with field errors) are Responses rendered
        # after this hook: the id joins their dict body.
        data = getattr(response, "data", None)
        if is_api(request) and response.status_code >= 400 and isinstance(data, dict):
            data.setdefault("request_id", request.request_id)
        return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.error("数据库不可用：%s", type(exception).__name__, exc_info=exception)
            return service_unavailable(request)
        return None
