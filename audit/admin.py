from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    raw_id_fields = ("actor",)
    list_display = ("created_at", "actor", "action", "object_type", "object_repr", "from_state", "to_state")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "reason", "actor__username", "actor__real_name")
    list_select_related = ("actor",)
    date_hierarchy = "created_at"

    # The audit trail is evidence: nobody edits or deletes it, not even in the admin.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
