from django.contrib import admin

from .models import CoverageRule, CoverageTarget, Expert, ExpertGroup


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


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "affiliation", "specialties", "active"]
    list_filter = ["kind", "active", "groups"]
    search_fields = ["user__username", "user__real_name", "affiliation", "specialties"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    filter_horizontal = ["regions"]


@admin.register(ExpertGroup)
class ExpertGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "category", "note"]
    list_filter = ["category"]
    search_fields = ["name", "note"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
    filter_horizontal = ["members"]
