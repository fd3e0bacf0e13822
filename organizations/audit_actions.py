"""Labels of the audit actions this app records; registered from apps.py."""

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "organization.create": _("登记组织"),
    "organization.update": _("修改组织信息"),
    "organizations.import": _("批量导入社会组织"),
    "membership.add": _("添加成员"),
    "membership.remove": _("移除成员"),
    "selforg.create": _("登记居民自组织"),
    "selforg.stage": _("自组织阶段变化"),
}
