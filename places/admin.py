from django.contrib import admin

from .models import Community, Courtyard, FigureSnapshot, Household, Region, ResidentGroup


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


@admin.register(ResidentGroup)
class ResidentGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "community"]
    list_select_related = ["community"]
    search_fields = ["name", "community__name"]
    raw_id_fields = ["community"]


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["number", "community", "courtyard", "group"]
    list_select_related = ["community", "courtyard", "group"]
    search_fields = ["number", "address", "community__name"]
    raw_id_fields = ["community", "courtyard", "group"]


@admin.register(FigureSnapshot)
class FigureSnapshotAdmin(admin.ModelAdmin):
    """Read only: snapshots are computed (places.figures), never typed in."""

    list_display = ("region", "name", "as_of", "computed_at")
    list_filter = ("name", "region__level")
    search_fields = ("region__name", "name")
    list_select_related = ("region",)
    raw_id_fields = ("region",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
