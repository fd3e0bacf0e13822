"""Labels of the audit actions this app records; registered from apps.py."""

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "report.request": _("申请报表"),
}
