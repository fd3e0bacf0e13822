from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _


def paginate(request, queryset, per_page=25):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


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


def _api_error(request, status: int, detail: str):
    return JsonResponse({"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False})


def locked_out(request, credentials, *args, **kwargs):
    """django-axes: too many wrong passwords for this account or from this address."""
    message = _("登录失败次数过多，账号或来源地址已被暂时锁定，请 1 小时后再试或联系管理员。")
    if request.path.startswith("/api/"):
        return _api_error(request, 429, message)
    return HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
