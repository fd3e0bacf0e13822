from django.contrib import admin

from .models import IdempotencyKey


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "path", "status_code", "key")
    list_filter = ("status_code",)
    search_fields = ("path", "key", "user__username")
    raw_id_fields = ("user",)
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
