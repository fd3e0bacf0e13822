"""The one object-or-404 lookup under every `get_<thing>_for_<verb>` in the apps'
access layers."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404


def get_in_scope(queryset: QuerySet, pk, message: str):
    """The row `pk` of a queryset already scoped to the user, or 404 with the Chinese
    message. A malformed id ("abc", a UUID where an integer is expected) is just as
    unknown as an id outside the scope: 404, never 500, and no hint which it was."""
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError, ValidationError, OverflowError):
        raise Http404(message) from None
