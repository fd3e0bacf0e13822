from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import (
    AuditEvent,
    Community,
    Courtyard,
    Notification,
    NotificationPreference,
    Region,
    RoleAssignment,
    User,
)

admin.site.site_header = _("社区营造项目管理平台 · 后台")
admin.site.site_title = _("shequ 后台")
admin.site.index_title = _("数据管理")


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["region", "community"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + ((_("联系信息"), {"fields": ("real_name", "phone")}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("联系信息"), {"fields": ("real_name", "phone")}),)
    list_display = ("username", "real_name", "phone", "email", "is_active", "is_staff")
    search_fields = ("username", "real_name", "phone", "email")
    inlines = [RoleAssignmentInline]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    list_select_related = ("parent",)
    autocomplete_fields = ["parent"]


class CourtyardInline(admin.TabularInline):
    model = Courtyard
    extra = 0


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "street", "kind", "population", "households", "merged_into")
    list_filter = ("kind", ("merged_into", admin.EmptyFieldListFilter), "street__parent")
    search_fields = ("code", "name", "official_name")
    list_select_related = ("street", "merged_into")
    autocomplete_fields = ["street", "merged_into"]
    readonly_fields = ("merged_into", "merged_on")
    inlines = [CourtyardInline]


@admin.register(Courtyard)
class CourtyardAdmin(admin.ModelAdmin):
    list_display = ("name", "community", "households")
    search_fields = ("name", "community__name")
    list_select_related = ("community",)
    autocomplete_fields = ["community"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "region", "community", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "user__real_name", "region__name", "community__name")
    list_select_related = ("user", "region", "community")
    autocomplete_fields = ["user", "region", "community"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor", "action", "object_type", "object_repr", "from_state", "to_state")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "reason", "actor__username", "actor__real_name")
    list_select_related = ("actor",)
    date_hierarchy = "created_at"

    # The audit trail is evidence: nobody edits or deletes it, not even in the admin.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "kind", "title", "read_at", "emailed_at")
    list_filter = ("kind",)
    search_fields = ("title", "user__username", "user__real_name")
    list_select_related = ("user",)


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "email")
    list_filter = ("kind", "email")
    search_fields = ("user__username",)
    list_select_related = ("user",)
