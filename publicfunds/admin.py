from django.contrib import admin

from .models import AllocationRule, Collection, FundItem, HouseholdVote, Option, Spending, YearFund


@admin.register(AllocationRule)
class AllocationRuleAdmin(admin.ModelAdmin):
    list_display = ["kind", "effective_from", "per_100_households", "fixed_amount", "source"]
    list_filter = ["kind"]
    search_fields = ["source"]


@admin.register(YearFund)
class YearFundAdmin(admin.ModelAdmin):
    list_display = ["community", "year", "status", "allocated", "override", "spent", "balance"]
    list_select_related = ["community"]
    list_filter = ["status", "year"]
    search_fields = ["community__name", "community__code"]
    raw_id_fields = ["community", "rule", "discussion_meeting"]
    # Money moves through the services (balance, spent) and the steps through the machine.
    readonly_fields = ["status", "allocated", "calculation", "spent", "balance"]


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ["title", "fund", "opens_on", "closes_on", "closed_at"]
    list_select_related = ["fund__community"]
    search_fields = ["title", "fund__community__name"]
    raw_id_fields = ["fund", "created_by"]
    inlines = [OptionInline]


@admin.register(HouseholdVote)
class HouseholdVoteAdmin(admin.ModelAdmin):
    # Which household voted is kept; how it voted is not shown here either.
    list_display = ["collection", "household", "channel", "cast_at"]
    list_select_related = ["collection", "household__community"]
    list_filter = ["channel"]
    search_fields = ["household__number", "collection__title"]
    raw_id_fields = ["collection", "household", "option", "cast_by"]
    exclude = ["option"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FundItem)
class FundItemAdmin(admin.ModelAdmin):
    list_display = ["title", "fund", "use", "budget", "spent", "project"]
    list_select_related = ["fund__community", "project"]
    list_filter = ["use"]
    search_fields = ["title", "fund__community__name"]
    raw_id_fields = ["fund", "option", "project", "execution"]
    readonly_fields = ["spent"]


@admin.register(Spending)
class SpendingAdmin(admin.ModelAdmin):
    list_display = ["voucher", "item", "amount", "spent_on", "recorded_by"]
    list_select_related = ["item", "recorded_by"]
    search_fields = ["voucher", "purpose", "item__title"]
    list_filter = ["spent_on"]
    raw_id_fields = ["item", "fund", "recorded_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
