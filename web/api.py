"""What every API module shares: Django ValidationErrors from services become 400s
with the same Chinese messages the pages show."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.filters import OrderingFilter
from rest_framework.routers import DefaultRouter
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = serializers.ValidationError(detail)
    elif isinstance(exc, serializers.ValidationError) and isinstance(exc.detail, list):
        # An error tied to no field (DRF's search filter refusing a NUL in `?search=`)
        # is still an object, as every documented error is: never a bare list.
        exc = serializers.ValidationError({"non_field_errors": exc.detail})
    return drf_exception_handler(exc, context)


class StrictOrderingFilter(OrderingFilter):
    """DRF's OrderingFilter silently drops unknown terms; an ordering on a field the
    caller can't order by (unknown, or hidden from them) is a 400 here instead.

    A list is ordered only by the terms its view lists in `ordering_fields`. DRF's default
    (every serializer field) would order by fields hidden from the caller — contact details,
    results — and by method-backed fields that crash the query (a 500)."""

    def get_default_valid_fields(self, queryset, view, context=None):
        return []

    def get_schema_operation_parameters(self, view):
        if not getattr(view, "ordering_fields", None):
            return []
        parameters = super().get_schema_operation_parameters(view)
        terms = [term for term in view.ordering_fields if term != "__all__"]
        for parameter in parameters:
            parameter["schema"] = {"type": "string", "enum": [*terms, *[f"-{t}" for t in terms]]}
        return parameters

    def remove_invalid_fields(self, queryset, fields, view, request):
        valid = super().remove_invalid_fields(queryset, fields, view, request)
        invalid = [term for term in fields if term not in valid]
        if invalid:
            raise serializers.ValidationError({self.ordering_param: [
                _("不能按“%(f)s”排序。") % {"f": _("、").join(invalid)}]})
        return valid


class NumericRouter(DefaultRouter):
    """Object ids are integers: `/api/review-sheets/abc/` doesn't match a route (404)
    instead of reaching a queryset filter with a string (500)."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        if getattr(viewset, "lookup_value_regex", None) is None:
            viewset.lookup_value_regex = "[0-9]+"
        return super().get_lookup_regex(viewset, lookup_prefix)

