"""Admin behaviour every app shares."""


class NoDeleteAdmin:
    """For workflow objects (organisations, rounds, applications, projects, evaluations,
    report jobs): the admin never deletes them — a delete cascades through reports,
    scores and money and leaves no audit row. Mix in before admin.ModelAdmin."""

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class ReadOnlyInline:
    """An inline that shows rows but neither adds, edits nor deletes them (the changes
    go through a service that checks and audits)."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
