from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from web.views import paginate

from .forms import NotificationSettingsForm
from .registry import kind_codes
from .services import set_email_preferences


@login_required
def notification_list(request):
    notifications = request.user.notifications.all()
    return render(request, "notifications/notification_list.html",
                  {"page": paginate(request, notifications), "query": ""})


@login_required
@require_http_methods(["POST"])
def notification_read_all(request):
    request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    messages.success(request, _("已全部标为已读。"))
    return redirect("notifications:notification_list")


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    muted = set(request.user.notification_preferences.filter(email=False).values_list("kind", flat=True))
    form = NotificationSettingsForm(request.POST or None,
                                    initial={"email_kinds": [k for k in kind_codes() if k not in muted]})
    if request.method == "POST" and form.is_valid():
        set_email_preferences(user=request.user, enabled_kinds=set(form.cleaned_data["email_kinds"]))
        messages.success(request, _("通知设置已保存。"))
        return redirect("notifications:notification_list")
    return render(request, "notifications/notification_settings.html", {"form": form})
