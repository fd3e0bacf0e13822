"""Admin for the commons: read-mostly. Money moves only through the services (the
balances are read-only here), compact versions are never edited in place."""

from django.contrib import admin

from .models import (
    CommunityFund,
    CompactVersion,
    CourtyardAccount,
    CourtyardActivity,
    CourtyardBody,
    CourtyardEntry,
    CourtyardMember,
    FundEntry,
)


class MemberInline(admin.TabularInline):
    model = CourtyardMember
    extra = 0
    raw_id_fields = ["resident"]


@admin.register(CourtyardBody)
class CourtyardBodyAdmin(admin.ModelAdmin):
    list_display = ["name", "courtyard", "founded_on"]
    list_select_related = ["courtyard"]
    search_fields = ["name", "courtyard__name"]
    raw_id_fields = ["courtyard"]
    inlines = [MemberInline]


@admin.register(CompactVersion)
class CompactVersionAdmin(admin.ModelAdmin):
    list_display = ["courtyard", "number", "adopted_on", "adopted_by"]
    list_select_related = ["courtyard"]
    search_fields = ["courtyard__name"]
    readonly_fields = ["courtyard", "number", "text", "adopted_on", "adopted_by", "recorded_by"]

    def has_add_permission(self, request):
        return False


@admin.register(CourtyardActivity)
class CourtyardActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "courtyard", "held_on", "participants"]
    list_select_related = ["courtyard"]
    search_fields = ["title", "courtyard__name"]
    raw_id_fields = ["courtyard", "recorded_by"]


class ReadOnlyLedger(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CourtyardAccount)
class CourtyardAccountAdmin(ReadOnlyLedger):
    list_display = ["courtyard", "income", "expense", "balance"]
    list_select_related = ["courtyard"]


@admin.register(CourtyardEntry)
class CourtyardEntryAdmin(ReadOnlyLedger):
    list_display = ["voucher", "account", "direction", "amount", "entry_on", "purpose"]
    list_select_related = ["account__courtyard"]
    list_filter = ["direction"]


@admin.register(CommunityFund)
class CommunityFundAdmin(ReadOnlyLedger):
    list_display = ["community", "income", "granted", "balance"]
    list_select_related = ["community"]


@admin.register(FundEntry)
class FundEntryAdmin(ReadOnlyLedger):
    list_display = ["fund", "kind", "amount", "entry_on", "reason", "ref"]
    list_select_related = ["fund__community"]
    list_filter = ["kind"]
