from django.contrib import admin

from .models import CoverageRule, CoverageTarget


@admin.register(CoverageRule)
class CoverageRuleAdmin(admin.ModelAdmin):
    list_display = ["label", "source", "active", "order", "updated_at"]
    list_filter = ["active"]
    search_fields = ["label", "source", "definition"]


@admin.register(CoverageTarget)
class CoverageTargetAdmin(admin.ModelAdmin):
    list_display = ["year", "region", "percent", "note"]
    list_filter = ["year", "region__level"]
    search_fields = ["region__name", "region__code"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
