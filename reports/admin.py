from django.contrib import admin

from web.admin import NoDeleteAdmin

from .models import Report


@admin.register(Report)
class ReportAdmin(NoDeleteAdmin, admin.ModelAdmin):
    raw_id_fields = ("scope_region", "project", "requested_by")
    list_display = ("created_at", "kind", "format", "scope_region", "status", "progress", "requested_by")
    list_filter = ("kind", "format", "status")
    search_fields = ("requested_by__username", "scope_region__name")
    list_select_related = ("scope_region", "requested_by")
    readonly_fields = ("status", "progress", "row_count", "file", "error", "started_at", "finished_at", "attempts",
                       "dedupe_key")
