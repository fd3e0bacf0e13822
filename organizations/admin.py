from django.contrib import admin

from web.admin import NoDeleteAdmin

from .models import (
    Membership,
    Organization,
    SelfOrganization,
    SelfOrganizationLeader,
    SelfOrganizationStageChange,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(NoDeleteAdmin, admin.ModelAdmin):
    list_display = ("name", "credit_code", "kind", "region", "is_active")
    list_filter = ("kind", "is_active", "region")
    search_fields = ("name", "credit_code", "contact_name")
    list_select_related = ("region",)
    autocomplete_fields = ["region", "community"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organization", "position", "title", "joined_on")
    list_filter = ("position",)
    search_fields = ("user__username", "user__real_name", "organization__name")
    list_select_related = ("user", "organization")
    autocomplete_fields = ["user", "organization"]


class LeaderInline(admin.TabularInline):
    model = SelfOrganizationLeader
    extra = 0


class StageChangeInline(admin.TabularInline):
    model = SelfOrganizationStageChange
    extra = 0
    readonly_fields = ("changed_on", "from_stage", "to_stage", "members", "note", "actor")
    can_delete = False


@admin.register(SelfOrganization)
class SelfOrganizationAdmin(admin.ModelAdmin):
    raw_id_fields = ("registered_by", "member_accounts")
    list_display = ("name", "community", "category", "stage", "members")
    list_filter = ("stage", "category")
    search_fields = ("name", "community__name")
    list_select_related = ("community",)
    autocomplete_fields = ["community"]
    readonly_fields = ("stage", "members")
    inlines = [LeaderInline, StageChangeInline]


@admin.register(SelfOrganizationLeader)
class SelfOrganizationLeaderAdmin(admin.ModelAdmin):
    raw_id_fields = ("self_organization",)
    list_display = ("name", "role", "self_organization")
    list_filter = ("role",)
    search_fields = ("name", "self_organization__name")
    list_select_related = ("self_organization",)
