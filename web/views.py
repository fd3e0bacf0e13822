from django.contrib import messages
from django.core.exceptions import ValidationError

from .pagination import IdsFirstPaginator


def paginate(request, queryset, per_page=25):
    return IdsFirstPaginator(queryset, per_page).get_page(request.GET.get("page"))


def run_step(request, step, success: str, **kwargs) -> bool:
    """Run a workflow service for a button that posts no form: success or refusal
    becomes a message on the page the user goes back to."""
    try:
        step(actor=request.user, **kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True
