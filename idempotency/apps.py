from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdempotencyConfig(AppConfig):
    """One-time tokens for create forms and Idempotency-Key for API creates: a replayed
    request gets the first answer instead of a second object. The lowest app: every
    page and API may use it, it imports none of ours."""

    name = "idempotency"
    verbose_name = _("防重复提交")
