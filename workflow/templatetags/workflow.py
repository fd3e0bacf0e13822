from django import template

from ..engine import machine_for

register = template.Library()


@register.simple_tag
def allowed_actions(obj, user) -> set[str]:
    """`{% allowed_actions application request.user as actions %}` then
    `{% if "approve" in actions %}…`: buttons only for what the service would do."""
    return {t.name for t in machine_for(obj).allowed(obj, user)}
