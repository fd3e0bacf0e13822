"""Admin of residents' review committees and contest grants (imported by projects.admin)."""

from django.contrib import admin

from web.admin import NoDeleteAdmin

from .models import CommitteeMember, ContestGrant, ReviewCommittee


class CommitteeMemberInline(admin.TabularInline):
    model = CommitteeMember
    extra = 0
    raw_id_fields = ("user",)
    fields = ("user", "role", "background", "joined_on", "left_on", "exit_reason")


@admin.register(ReviewCommittee)
class ReviewCommitteeAdmin(admin.ModelAdmin):
    list_display = ("name", "community", "max_members", "eligibility", "formed_on")
    search_fields = ("name", "community__name")
    raw_id_fields = ("community", "created_by")
    list_select_related = ("community",)
    inlines = [CommitteeMemberInline]


@admin.register(ContestGrant)
class ContestGrantAdmin(NoDeleteAdmin, admin.ModelAdmin):
    """Grants are written with their ledger entry by the decision; read-only here."""

    list_display = ("application", "amount", "ledger_reference", "decided_at")
    search_fields = ("application__title", "ledger_reference")
    list_select_related = ("application",)
    readonly_fields = ("application", "amount", "ledger_reference", "decided_by", "decided_at")

    def has_add_permission(self, request):
        return False
