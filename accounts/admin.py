from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from web.admin import ReadOnlyInline

from .models import RoleAssignment, User


class RoleAssignmentInline(ReadOnlyInline, admin.TabularInline):
    """Shown for reference; grants and revocations go through accounts.services (audited)."""

    model = RoleAssignment
    fields = ("role", "region", "community", "created_at")
    readonly_fields = fields


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + ((_("联系信息"), {"fields": ("real_name", "phone")}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("联系信息"), {"fields": ("real_name", "phone")}),)
    list_display = ("username", "real_name", "phone", "email", "is_active", "is_staff")
    search_fields = ("username", "real_name", "phone", "email")
    inlines = [RoleAssignmentInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "region", "community", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "user__real_name", "region__name", "community__name")
    list_select_related = ("user", "region", "community")
    autocomplete_fields = ["user", "region", "community"]
