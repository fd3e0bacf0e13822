from django.contrib import admin

from .models import InviteCode, Resident, SignInCode


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin):
    list_display = ["user", "community", "household", "group", "is_cadre"]
    list_select_related = ["user", "community", "household", "group"]
    list_filter = ["is_cadre"]
    search_fields = ["user__real_name", "user__username", "household__number", "community__name"]
    raw_id_fields = ["user", "community", "household", "courtyard", "group", "registered_by"]


@admin.register(InviteCode)
class InviteCodeAdmin(admin.ModelAdmin):
    list_display = ["resident", "expires_at", "used_at", "revoked_at", "created_by"]
    list_select_related = ["resident__user", "created_by"]
    list_filter = ["used_at", "revoked_at"]
    search_fields = ["resident__user__real_name", "resident__user__username"]
    raw_id_fields = ["resident", "created_by"]
    readonly_fields = ["code_hash"]


@admin.register(SignInCode)
class SignInCodeAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "expires_at", "used_at", "attempts"]
    list_select_related = ["user"]
    list_filter = ["used_at"]
    search_fields = ["user__username", "user__real_name"]
    raw_id_fields = ["user"]
    readonly_fields = ["code_hash"]
