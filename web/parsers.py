"""Request parsers (kept apart from web.api: DRF imports them while reading its settings)."""
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class StrictJSONParser(JSONParser):
    """JSON bodies nested deeper than anyone writes are a 400, not a RecursionError (500)."""

    MAX_DEPTH = 32

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("JSON 嵌套层级过深。")) from None
        if _depth(data) > self.MAX_DEPTH:
            raise ParseError(_("JSON 嵌套层级过深。"))
        return data


def _depth(value, level=0) -> int:
    if level > StrictJSONParser.MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    return level
