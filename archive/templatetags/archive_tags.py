"""`{% archive_button obj %}` on an object's page: a link to the archive confirm page,
drawn only for the bureau staff who may archive it (the same check as the service)."""

from django import template
from django.urls import reverse

from web import archive as registry

from .. import access

register = template.Library()


@register.inclusion_tag("archive/_archive_button.html", takes_context=True)
def archive_button(context, obj):
    request = context.get("request")
    entry = registry.kind_for(obj)
    if request is None or entry is None or not access.can_archive(request.user, obj):
        return {"url": None}
    return {"url": reverse("archive:archive_object", args=[entry.kind, obj.pk]), "label": entry.label}
