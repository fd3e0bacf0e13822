from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from web.admin import ReadOnlyInline
from web.views import dry_run

from . import services
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


class RoleAssignmentForm(forms.ModelForm):
    """The service's own checks (the place fits the role), tried and rolled back, so a
    refusal shows at its field instead of a 500."""

    class Meta:
        model = RoleAssignment
        fields = ("user", "role", "region", "community")

    def clean(self):
        data = super().clean()
        if not self.errors:
            dry_run(lambda: services.role_assign(user=data["user"], role=data["role"], actor=None,
                                                 region=data.get("region"), community=data.get("community")))
        return data


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    """Grants and revocations made here go through accounts.services (#14: an admin grant
    used to leave no audit row). An assignment is never edited in place: revoke and grant."""

    form = RoleAssignmentForm
    list_display = ("user", "role", "region", "community", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "user__real_name", "region__name", "community__name")
    list_select_related = ("user", "region", "community")
    autocomplete_fields = ["user", "region", "community"]

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        assignment = services.role_assign(user=obj.user, role=obj.role, actor=request.user,
                                          region=obj.region, community=obj.community)
        obj.pk, obj.created_at = assignment.pk, assignment.created_at
        obj._state.adding = False

    def has_delete_permission(self, request, obj=None):
        # The service refuses some revocations (one's own bureau role): no button for them.
        if obj is not None and services.revoke_refusal(obj, request.user):
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        services.role_revoke(assignment=obj, actor=request.user, reason=_("在后台删除"))

    def delete_queryset(self, request, queryset):
        for assignment in queryset:
            self.delete_model(request, assignment)
