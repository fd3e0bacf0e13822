from django.contrib import admin

from .models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    raw_id_fields = ("user",)
    list_display = ("created_at", "user", "kind", "title", "read_at", "emailed_at")
    list_filter = ("kind",)
    search_fields = ("title", "user__username", "user__real_name")
    list_select_related = ("user",)


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    raw_id_fields = ("user",)
    list_display = ("user", "kind", "email")
    list_filter = ("kind", "email")
    search_fields = ("user__username",)
    list_select_related = ("user",)
