from django.contrib import admin

from .models import Resident


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin):
    list_display = ["user", "community", "household", "group", "is_cadre"]
    list_select_related = ["user", "community", "household", "group"]
    list_filter = ["is_cadre"]
    search_fields = ["user__real_name", "user__username", "household__number", "community__name"]
    raw_id_fields = ["user", "community", "household", "courtyard", "group", "registered_by"]
