"""`{{ file.content_type|file_kind }}`: what a stored file is, in words, for lists of documents."""
from django import template
from django.utils.translation import gettext as _

register = template.Library()

_KINDS = {
    "application/pdf": "PDF",
    "application/msword": "Word",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.ms-excel": "Excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.ms-powerpoint": "PowerPoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
}


@register.filter
def file_kind(content_type) -> str:
    content_type = (content_type or "").split(";")[0].strip().lower()
    if content_type.startswith("image/"):
        return _("图片")
    return _KINDS.get(content_type, _("文件"))


@register.filter
def is_image(content_type) -> bool:
    return (content_type or "").lower().startswith("image/")
