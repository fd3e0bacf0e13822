"""The API face of the engine: detail responses list the transitions the caller may
fire now (`actions`), from the same `allowed()` the pages draw their buttons from."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .engine import actions_for


class ActionSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="transition identifier, e.g. submit")
    label = serializers.CharField(help_text=gettext_lazy("按钮文字"))
    confirm = serializers.CharField(help_text=gettext_lazy("需要确认时的提示；空表示无需确认"))
    reason_required = serializers.BooleanField()
    style = serializers.CharField()


@extend_schema_field(ActionSerializer(many=True))
class ActionsField(serializers.Field):
    """Read-only. Filled on detail responses only (context `with_actions`): on lists it
    would cost queries per row."""

    def __init__(self, **kwargs):
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, obj):
        request = self.context.get("request")
        if not self.context.get("with_actions") or request is None:
            return []
        return actions_for(obj, request.user)


class DetailActionsMixin:
    """For viewsets: `retrieve` responses carry `actions`."""

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "action", None) not in ("list", None):
            context["with_actions"] = True
        return context
