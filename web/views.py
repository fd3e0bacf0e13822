from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

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


class _DryRun(Exception):
    pass


def dry_run(step) -> None:
    """Run a service and roll it back: its ValidationError (the real refusal, with the
    figures) comes out, nothing it wrote stays, and the side effects it queued with
    on_commit are discarded with the savepoint."""
    try:
        with transaction.atomic():
            step()
            raise _DryRun
    except _DryRun:
        pass


def confirm_first(request, *, title: str, summary: list, back_url: str, warning: str = "", step=None):
    """The first POST of an irreversible form shows what will happen (summary rows:
    amount, project, tranche, grade …) with the posted data carried in hidden fields; the
    confirming POST (confirmed=1) returns None and the view goes on. With `step`, the
    service is tried first (and rolled back), so a refusal shows at once at its field."""
    if request.POST.get("confirmed") == "1":
        return None
    if step is not None:
        dry_run(step)  # a ValidationError goes back to the view's form
    hidden = [(key, value) for key in request.POST if key not in ("csrfmiddlewaretoken", "confirmed")
              for value in request.POST.getlist(key)]
    return render(request, "includes/confirm_post.html", {
        "title": title, "summary": summary, "warning": warning, "back_url": back_url, "hidden": hidden,
        "action": request.get_full_path()})


def _api_error(request, status: int, detail: str):
    return JsonResponse({"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False})


def locked_out(request, credentials, *args, **kwargs):
    """django-axes: too many wrong passwords for this account or from this address."""
    message = _("登录失败次数过多，账号或来源地址已被暂时锁定，请 1 小时后再试或联系管理员。")
    if request.path.startswith("/api/"):
        return _api_error(request, 429, message)
    return HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
