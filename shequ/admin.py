"""The admin site's titles (project level)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("社区营造项目管理平台 · 后台")
admin.site.site_title = _("shequ 后台")
admin.site.index_title = _("数据管理")
