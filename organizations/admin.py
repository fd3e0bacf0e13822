from django.contrib import admin

from .models import Membership, Organization


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
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
