"""What the middleware and the error views share."""

from django.db.utils import InterfaceError, OperationalError

DATABASE_ERRORS = (OperationalError, InterfaceError)


def is_api(request) -> bool:
    return request.path.startswith("/api/")
