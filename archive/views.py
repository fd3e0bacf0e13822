"""The 已归档 list (bureau staff, with restore buttons) and the archive confirm page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from web import archive as registry
from web.forms import add_service_error
from web.views import paginate

from . import access, services
from .forms import ArchiveForm


@login_required
def archived_list(request):
    access.require_archive_list(request.user)
    kinds = registry.kinds()
    current = registry.get_kind(request.GET.get("kind", "")) or kinds[0]
    tabs = [(entry, access.archived_for_user(request.user, entry).count()) for entry in kinds]
    page = paginate(request, access.archived_for_user(request.user, current))
    return render(request, "archive/archived_list.html", {
        "tabs": tabs, "current": current, "page": page, "query": f"kind={current.kind}",
    })


@login_required
@require_http_methods(["GET", "POST"])
def archive_object(request, kind, pk):
    obj = access.get_for_archive(request.user, kind, pk)
    entry = registry.get_kind(kind)
    form = ArchiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.archive(obj=obj, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已归档“%(obj)s”。民政局工作人员可在“已归档”中恢复。") % {"obj": obj})
            return redirect(f"{_list_url()}?kind={kind}")
    return render(request, "archive/archive_form.html", {
        "obj": obj, "entry": entry, "form": form, "cancel_url": entry.url(obj) if entry.url else _list_url(),
    })


@login_required
@require_POST
def restore_object(request, kind, pk):
    obj = access.get_for_restore(request.user, kind, pk)
    entry = registry.get_kind(kind)
    try:
        obj = services.restore(obj=obj, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(f"{_list_url()}?kind={kind}")
    messages.success(request, _("已恢复“%(obj)s”。") % {"obj": obj})
    return redirect(entry.url(obj) if entry.url else f"{_list_url()}?kind={kind}")


def _list_url():
    return reverse("archive:archived_list")
