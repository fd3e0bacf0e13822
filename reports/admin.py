from django.contrib import admin
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from places.reporting import kind_choices
from web.admin import NoDeleteAdmin

from .models import Report


class ReportKindFilter(admin.SimpleListFilter):
    """Kinds come from the registry (places.reporting), not from database choices."""

    title = _("类型")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return kind_choices()

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(Report)
class ReportAdmin(NoDeleteAdmin, admin.ModelAdmin):
    raw_id_fields = ("scope_region", "project", "requested_by")
    list_display = ("created_at", "kind_name", "format", "scope_region", "status", "progress", "requested_by")
    list_filter = (ReportKindFilter, "format", "status")
    search_fields = ("requested_by__username", "scope_region__name")
    list_select_related = ("scope_region", "requested_by")
    # The file is private media: linked through the app's download view, never MEDIA_URL (404).
    exclude = ("file",)
    readonly_fields = ("status", "progress", "row_count", "file_link", "error", "started_at", "finished_at", "attempts",
                       "dedupe_key")

    @admin.display(description=_("类型"), ordering="kind")
    def kind_name(self, obj):
        return obj.kind_label

    @admin.display(description=_("文件"))
    def file_link(self, obj):
        if not obj.file:
            return "—"
        return render_to_string("includes/admin_file_link.html",
                                {"url": reverse("reports:report_download", args=[obj.pk]), "label": _("下载")})
