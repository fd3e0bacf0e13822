from django.contrib import admin

from .models import (
    CaseStudy,
    CommunityStory,
    CourseAttendee,
    CourseMaterial,
    CoverageRule,
    CoverageTarget,
    Expert,
    ExpertGroup,
    LearningRoute,
    RouteStop,
    TrainingCourse,
)


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


@admin.register(CommunityStory)
class CommunityStoryAdmin(admin.ModelAdmin):
    list_display = ["community", "lng", "lat", "updated_by", "updated_at"]
    search_fields = ["community__name", "community__code", "history", "outcomes"]
    list_select_related = ["community", "updated_by"]
    raw_id_fields = ["community", "updated_by"]


class RouteStopInline(admin.TabularInline):
    model = RouteStop
    raw_id_fields = ["community"]
    extra = 0


@admin.register(LearningRoute)
class LearningRouteAdmin(admin.ModelAdmin):
    list_display = ["name", "created_by", "updated_at"]
    search_fields = ["name", "description"]
    list_select_related = ["created_by"]
    raw_id_fields = ["created_by"]
    inlines = [RouteStopInline]


class CourseMaterialInline(admin.TabularInline):
    model = CourseMaterial
    fields = ["name", "size", "content_type", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(TrainingCourse)
class TrainingCourseAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_on", "ends_on", "participants"]
    search_fields = ["title", "audience", "summary"]
    date_hierarchy = "starts_on"
    raw_id_fields = ["created_by"]
    inlines = [CourseMaterialInline]


@admin.register(CourseAttendee)
class CourseAttendeeAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "position", "course"]
    search_fields = ["name", "organization"]
    list_select_related = ["course"]
    raw_id_fields = ["course"]


@admin.register(CaseStudy)
class CaseStudyAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "tags", "uploaded_at"]
    list_filter = ["kind"]
    search_fields = ["title", "summary", "tags"]
    raw_id_fields = ["uploaded_by"]
    filter_horizontal = ["communities"]
    autocomplete_fields = ["projects"]
    readonly_fields = ["file", "name", "size", "content_type"]
