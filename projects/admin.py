from django.contrib import admin
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from web.admin import NoDeleteAdmin

from .models import (
    Activity,
    ActivityPhoto,
    Application,
    ApplicationAttachment,
    ApplicationRevision,
    BudgetLine,
    Disbursement,
    Expense,
    FundingRound,
    ParticipationRollup,
    ProgressComment,
    ProgressReport,
    Project,
    Rectification,
    ReviewCriterion,
    ReviewForm,
    ReviewScore,
    ReviewSheet,
    SelfOrganizationUpdate,
    SupervisionVisit,
    SupervisorAssignment,
    Tranche,
    TrancheRule,
)


class ReviewCriterionInline(admin.TabularInline):
    model = ReviewCriterion
    extra = 0


@admin.register(ReviewForm)
class ReviewFormAdmin(admin.ModelAdmin):
    list_display = ("name", "version", "created_at")
    search_fields = ("name",)
    inlines = [ReviewCriterionInline]

    # A form that scored a sheet is frozen: a change is a new version (services.review_form_load).
    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_in_use)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_in_use)


class TrancheRuleInline(admin.TabularInline):
    model = TrancheRule
    extra = 0


@admin.register(FundingRound)
class FundingRoundAdmin(NoDeleteAdmin, admin.ModelAdmin):
    raw_id_fields = ("funder", "review_form", "community", "committee")
    list_display = ("name", "year", "funder", "total_budget", "per_project_cap", "per_community_cap", "opens_at",
                    "closes_at")
    list_filter = ("year", "funder")
    search_fields = ("name",)
    list_select_related = ("funder",)
    inlines = [TrancheRuleInline]


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = ApplicationAttachment
    extra = 0
    # Files are private media: linked through the app's download view, never MEDIA_URL (404).
    exclude = ("file",)
    readonly_fields = ("download", "name", "size", "content_type", "uploaded_by", "uploaded_at")

    @admin.display(description=_("文件"))
    def download(self, obj):
        if not obj.pk:
            return "—"
        url = reverse("projects:attachment_download", args=[obj.application_id, obj.pk])
        return render_to_string("includes/admin_file_link.html", {"url": url, "label": _("下载")})


@admin.register(Application)
class ApplicationAdmin(NoDeleteAdmin, admin.ModelAdmin):
    raw_id_fields = ("round", "created_by", "self_organization", "courtyard")
    list_display = ("title", "round", "organization", "community", "status", "requested_amount", "submitted_at")
    list_filter = ("status", "round", "leverage_point")
    search_fields = ("title", "organization__name", "community__name")
    list_select_related = ("round", "organization", "community")
    autocomplete_fields = ("organization", "community")
    # The workflow moves status; the admin does not.
    readonly_fields = ("status", "requested_amount", "submitted_at", "endorsed_by", "endorsed_at")
    inlines = [BudgetLineInline, AttachmentInline]


@admin.register(ApplicationRevision)
class ApplicationRevisionAdmin(admin.ModelAdmin):
    list_display = ("application", "number", "created_by", "created_at")
    search_fields = ("application__title",)
    list_select_related = ("application", "created_by")
    readonly_fields = ("application", "number", "content", "created_by", "created_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReviewScoreInline(admin.TabularInline):
    model = ReviewScore
    extra = 0
    readonly_fields = ("criterion", "score", "comment")
    can_delete = False


@admin.register(ReviewSheet)
class ReviewSheetAdmin(admin.ModelAdmin):
    raw_id_fields = ("application", "reviewer", "form", "assigned_by")
    list_display = ("application", "reviewer", "status", "recommendation", "total", "submitted_at")
    list_filter = ("status", "recommendation")
    search_fields = ("application__title", "reviewer__username", "reviewer__real_name")
    list_select_related = ("application", "reviewer")
    readonly_fields = ("status", "total", "submitted_at")
    inlines = [ReviewScoreInline]


class TrancheInline(admin.TabularInline):
    model = Tranche
    extra = 0
    readonly_fields = ("order", "trigger", "percent", "amount")
    can_delete = False


@admin.register(Project)
class ProjectAdmin(NoDeleteAdmin, admin.ModelAdmin):
    raw_id_fields = ("round", "organization", "community", "approved_by", "incubated")
    list_display = ("title", "round", "organization", "community", "approved_amount", "disbursed_amount", "status")
    list_filter = ("status", "round")
    search_fields = ("title", "organization__name", "community__name")
    list_select_related = ("round", "organization", "community")
    readonly_fields = ("application", "approved_amount", "disbursed_amount", "status")
    inlines = [TrancheInline]


@admin.register(Disbursement)
class DisbursementAdmin(admin.ModelAdmin):
    raw_id_fields = ("project", "tranche", "recorded_by", "reverses")
    list_display = ("project", "tranche", "amount", "paid_on", "voucher_number", "recorded_by")
    search_fields = ("project__title", "voucher_number")
    list_select_related = ("project", "tranche", "recorded_by")
    date_hierarchy = "paid_on"

    def has_change_permission(self, request, obj=None):
        return False


class ActivityInline(admin.TabularInline):
    raw_id_fields = ("community", "courtyard", "self_organizations")
    model = Activity
    extra = 0
    fields = ("held_on", "title", "kind", "direct_participations", "indirect_beneficiaries", "volunteers")


class ExpenseInline(admin.TabularInline):
    raw_id_fields = ("budget_line",)
    model = Expense
    extra = 0


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    raw_id_fields = ("project",)
    list_display = ("project", "number", "period_start", "period_end", "due_on", "status")
    list_filter = ("status",)
    search_fields = ("project__title",)
    list_select_related = ("project",)
    readonly_fields = ("status", "submitted_at", "reviewed_by", "reviewed_at")
    inlines = [ActivityInline, ExpenseInline]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    raw_id_fields = ("report", "community", "courtyard", "self_organizations")
    list_display = ("title", "held_on", "kind", "community", "direct_participations", "indirect_beneficiaries")
    # A date filter with fixed choices instead of date_hierarchy, whose year/month links
    # scan every activity (3.6 s at city scale under load); no second unfiltered count.
    list_filter = ("kind", "held_on")
    search_fields = ("title", "report__project__title")
    list_select_related = ("community",)
    show_full_result_count = False


@admin.register(SupervisorAssignment)
class SupervisorAssignmentAdmin(admin.ModelAdmin):
    raw_id_fields = ("project", "supervisor")
    list_display = ("project", "position", "supervisor")
    list_filter = ("position",)
    search_fields = ("project__title", "supervisor__username", "supervisor__real_name")
    list_select_related = ("project", "supervisor")


@admin.register(SupervisionVisit)
class SupervisionVisitAdmin(admin.ModelAdmin):
    raw_id_fields = ("project", "supervisor")
    list_display = ("project", "supervisor", "visited_on", "mode", "follow_up_due")
    list_filter = ("mode",)
    search_fields = ("project__title", "findings")
    list_select_related = ("project", "supervisor")


@admin.register(Rectification)
class RectificationAdmin(admin.ModelAdmin):
    raw_id_fields = ("community", "project", "visit", "raised_by")
    list_display = ("description", "community", "project", "source", "owner", "due_on", "status")
    list_filter = ("status", "source", "owner")
    search_fields = ("description", "community__name", "project__title")
    list_select_related = ("community", "project")
    readonly_fields = ("status", "verified_by", "verified_at")


@admin.register(ActivityPhoto)
class ActivityPhotoAdmin(admin.ModelAdmin):
    raw_id_fields = ("activity",)
    list_display = ("name", "activity", "size", "content_type", "view")
    search_fields = ("name", "activity__title")
    list_select_related = ("activity",)
    raw_id_fields = ("activity",)
    exclude = ("image",)
    readonly_fields = ("view",)

    @admin.display(description=_("照片"))
    def view(self, obj):
        # Private media: through the app's view, never MEDIA_URL (which answers 404).
        if not obj.pk:
            return "—"
        url = reverse("projects:activity_photo", args=[obj.activity.report_id, obj.pk])
        return render_to_string("includes/admin_file_link.html", {"url": url, "label": _("查看")})


@admin.register(Expense)
class ExpenseAdmin(admin.ModelAdmin):
    raw_id_fields = ("report", "budget_line")
    list_display = ("voucher", "report", "budget_line", "amount", "spent_on")
    search_fields = ("voucher", "report__project__title")
    list_select_related = ("report__project", "budget_line")
    date_hierarchy = "spent_on"


@admin.register(ProgressComment)
class ProgressCommentAdmin(admin.ModelAdmin):
    raw_id_fields = ("report", "author")
    list_display = ("report", "author", "created_at")
    search_fields = ("body", "report__project__title")
    list_select_related = ("report__project", "author")


@admin.register(SelfOrganizationUpdate)
class SelfOrganizationUpdateAdmin(admin.ModelAdmin):
    raw_id_fields = ("report", "self_organization")
    list_display = ("report", "self_organization", "stage", "members")
    list_filter = ("stage",)
    search_fields = ("self_organization__name",)
    list_select_related = ("report__project", "self_organization")


@admin.register(ParticipationRollup)
class ParticipationRollupAdmin(admin.ModelAdmin):
    """Kept by progress acceptance; read-only here."""

    list_display = ("district", "month", "activities", "direct_participations", "indirect_beneficiaries", "volunteers")
    list_filter = ("district",)
    list_select_related = ("district",)
    raw_id_fields = ("district",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


from . import contest_admin  # noqa: E402,F401  (contests' admin lives with them)
