from django.contrib import admin

from .models import (
    Account,
    CheckIn,
    Entry,
    Need,
    Partner,
    PointsRule,
    Redemption,
    RedemptionDay,
    Resource,
    Reward,
    Task,
    TaskResponse,
    TeamMember,
)


@admin.register(PointsRule)
class PointsRuleAdmin(admin.ModelAdmin):
    list_display = ["community", "points_per_checkin", "expire_after_days", "updated_at"]
    list_select_related = ["community"]
    search_fields = ["community__name"]
    raw_id_fields = ["community"]


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["pk", "community", "kind", "resident", "organization", "balance"]
    list_filter = ["kind"]
    list_select_related = ["community", "resident__user", "organization"]
    search_fields = ["community__name", "resident__user__username", "organization__name"]
    raw_id_fields = ["community", "resident", "organization"]

    def has_change_permission(self, request, obj=None):
        return False  # balances move only through ledger entries


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "community", "kind", "debit", "credit", "amount", "memo"]
    list_filter = ["kind"]
    list_select_related = ["community", "debit__community", "credit__community", "debit__resident__user",
                           "credit__resident__user", "debit__organization", "credit__organization"]
    search_fields = ["memo", "community__name"]
    raw_id_fields = ["community", "debit", "credit", "reverses", "checkin", "redemption", "actor"]

    def has_change_permission(self, request, obj=None):
        return False  # entries are never edited: reverse them

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "category", "urgency", "status", "source", "created_at"]
    list_filter = ["status", "category", "urgency", "source"]
    list_select_related = ["community"]
    search_fields = ["title", "description", "community__name"]
    raw_id_fields = ["community", "courtyard", "raised_by"]
    readonly_fields = ["status"]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "kind", "category", "organization", "resident", "is_active"]
    list_filter = ["kind", "category", "is_active"]
    list_select_related = ["community", "organization", "resident__user"]
    search_fields = ["title", "community__name", "organization__name"]
    raw_id_fields = ["community", "courtyard", "organization", "resident", "created_by"]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "starts_at", "slots", "points", "status", "publisher_organization"]
    list_filter = ["status"]
    list_select_related = ["community", "publisher_organization"]
    search_fields = ["title", "place", "community__name"]
    raw_id_fields = ["community", "courtyard", "publisher_organization", "team", "published_by", "needs",
                     "resources"]
    readonly_fields = ["status"]


@admin.register(TaskResponse)
class TaskResponseAdmin(admin.ModelAdmin):
    list_display = ["task", "organization", "note", "created_at"]
    list_select_related = ["task", "organization"]
    search_fields = ["task__title", "organization__name"]
    raw_id_fields = ["task", "organization", "responded_by"]


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ["task", "resident", "scanned_at", "confirmed_at"]
    list_select_related = ["task", "resident__user"]
    search_fields = ["task__title", "resident__user__username", "resident__user__real_name"]
    raw_id_fields = ["task", "resident", "confirmed_by"]
    readonly_fields = ["confirmed_at", "confirmed_by"]


@admin.register(TeamMember)
class TeamMemberAdmin(admin.ModelAdmin):
    list_display = ["team", "resident", "joined_on"]
    list_select_related = ["team", "resident__user"]
    search_fields = ["team__name", "resident__user__username"]
    raw_id_fields = ["team", "resident"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["organization", "community", "joined_on", "left_on", "is_active"]
    list_filter = ["is_active"]
    list_select_related = ["organization", "community"]
    search_fields = ["organization__name", "community__name"]
    raw_id_fields = ["organization", "community"]


@admin.register(Reward)
class RewardAdmin(admin.ModelAdmin):
    list_display = ["name", "partner", "points", "stock", "is_active"]
    list_filter = ["is_active"]
    list_select_related = ["partner__organization"]
    search_fields = ["name", "partner__organization__name"]
    raw_id_fields = ["partner"]


@admin.register(Redemption)
class RedemptionAdmin(admin.ModelAdmin):
    list_display = ["reward", "resident", "points", "status", "created_at", "confirmed_at"]
    list_filter = ["status"]
    list_select_related = ["reward", "resident__user"]
    search_fields = ["reward__name", "resident__user__username", "code"]
    raw_id_fields = ["reward", "resident", "confirmed_by"]
    readonly_fields = ["status", "code"]


@admin.register(RedemptionDay)
class RedemptionDayAdmin(admin.ModelAdmin):
    list_display = ["held_on", "community", "place"]
    list_select_related = ["community"]
    search_fields = ["place", "community__name"]
    raw_id_fields = ["community", "announced_by"]
