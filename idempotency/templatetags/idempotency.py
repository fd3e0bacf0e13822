"""`{% once_token %}` inside a create form: a hidden one-time token issued with the page.
Submitting the form twice (a double click, a resent POST) creates one object; the
second submit is answered with the first one's redirect (idempotency.middleware)."""

import uuid

from django import template
from django.utils.html import format_html

from ..middleware import FORM_FIELD

register = template.Library()


@register.simple_tag
def once_token():
    return format_html('<input type="hidden" name="{}" value="{}">', FORM_FIELD, uuid.uuid4().hex)
