from django.contrib import admin

from .models import (
    Attendance,
    BallotRegister,
    CoSignature,
    Council,
    CouncilRules,
    ExecutionItem,
    GovernanceRole,
    Meeting,
    Proposal,
    Seat,
    Vote,
)


@admin.register(CouncilRules)
class CouncilRulesAdmin(admin.ModelAdmin):
    list_display = ["community", "group_min_members", "community_min_members", "min_seats_per_group",
                    "max_cadre_percent", "cosign_threshold", "quorum_numerator", "quorum_denominator"]
    list_select_related = ["community"]
    search_fields = ["community__name"]
    raw_id_fields = ["community"]


@admin.register(GovernanceRole)
class GovernanceRoleAdmin(admin.ModelAdmin):
    list_display = ["community", "kind", "user"]
    list_select_related = ["community", "user"]
    list_filter = ["kind"]
    search_fields = ["community__name", "user__username", "user__real_name"]
    raw_id_fields = ["community", "user"]


class SeatInline(admin.TabularInline):
    model = Seat
    fk_name = "council"
    raw_id_fields = ["resident", "replaces"]
    extra = 0


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "community", "kind", "status", "term_start", "term_end"]
    list_select_related = ["community"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "community__name"]
    raw_id_fields = ["community", "group", "chair", "vice_chair", "created_by"]
    readonly_fields = ["status"]
    inlines = [SeatInline]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "council", "route", "status", "outcome", "created_at"]
    list_select_related = ["council"]
    list_filter = ["route", "status", "outcome"]
    search_fields = ["title", "council__name"]
    raw_id_fields = ["council", "proposer", "merged_into"]
    readonly_fields = ["status", "outcome"]


@admin.register(CoSignature)
class CoSignatureAdmin(admin.ModelAdmin):
    list_display = ["proposal", "resident", "signed_at"]
    list_select_related = ["proposal", "resident__user"]
    search_fields = ["proposal__title"]
    raw_id_fields = ["proposal", "resident"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "council", "starts_at", "status"]
    list_select_related = ["council"]
    list_filter = ["status"]
    search_fields = ["title", "council__name"]
    raw_id_fields = ["council", "called_by", "agenda"]
    readonly_fields = ["status", "checkin_token"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["meeting", "seat", "checked_in_at"]
    list_select_related = ["meeting", "seat__resident__user"]
    search_fields = ["meeting__title"]
    raw_id_fields = ["meeting", "seat", "checked_in_by"]


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["proposal", "meeting", "mode", "status", "yes", "no", "abstain", "passed"]
    list_select_related = ["proposal", "meeting"]
    list_filter = ["mode", "status"]
    search_fields = ["proposal__title"]
    raw_id_fields = ["meeting", "proposal", "teller", "confirmed_by"]
    readonly_fields = ["status", "yes", "no", "abstain", "passed", "members_count", "present_count"]


@admin.register(BallotRegister)
class BallotRegisterAdmin(admin.ModelAdmin):
    """Who voted. The ballot box itself has no admin page: nobody browses ballots."""

    list_display = ["vote", "seat"]
    list_select_related = ["vote__proposal", "seat__resident__user"]
    search_fields = ["vote__proposal__title"]
    raw_id_fields = ["vote", "seat"]


@admin.register(ExecutionItem)
class ExecutionItemAdmin(admin.ModelAdmin):
    list_display = ["description", "proposal", "owner", "due_on", "status"]
    list_select_related = ["proposal"]
    list_filter = ["status"]
    search_fields = ["description", "proposal__title", "owner"]
    raw_id_fields = ["proposal", "project", "rectification", "created_by"]
    readonly_fields = ["status"]
