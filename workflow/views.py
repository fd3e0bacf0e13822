"""One page for a workflow step: GET shows what will happen and asks to confirm (with a
reason where the transition needs one); POST fires the step through its service.

`step_view` is the one view for a model's steps, built from its machine: the app names
how the object is found for the user (its access layer: 404 out of scope), where the
user goes back to, and — where a step does more than fire — the service that takes it.
A view with a form of its own does the access lookup first, then hands over to
`transition_page`."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from web.views import run_step

from .engine import Machine, machine_for


class ConfirmForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("理由"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, reason_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required


def transition_page(request, obj, name: str, *, service, success: str, back_url: str, summary: list | None = None):
    """`service(actor=…, reason=…)` takes the step; `summary` lists (label, value) rows
    shown before confirming (amount, project, grade …)."""
    machine = machine_for(obj)
    transition = machine.by_name[name]
    if not transition.who(request.user, obj):
        raise PermissionDenied(transition.refusal or _("您没有权限办理。"))
    refusal = machine.refusal(obj, request.user, transition)  # wrong state or a guard: say why
    if refusal and request.method == "POST":
        messages.error(request, refusal)
        return redirect(back_url)
    # Bound on any POST, even an empty one (a confirm without a reason field posts nothing else).
    form = ConfirmForm(request.POST if request.method == "POST" else None, reason_required=transition.reason_required)
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, success)
            return redirect(back_url)
    return render(
        request,
        "workflow/confirm.html",
        {
            "object": obj,
            "transition": transition,
            "form": form,
            "refusal": refusal,
            "back_url": back_url,
            "summary": summary or [],
            "state_label": machine.state_label(machine.state_of(obj)),
            "target_label": machine.state_label(transition.target),
        },
        status=400 if form.errors else 200,
    )


def step_error(exc: ValidationError) -> str:
    return _("；").join(exc.messages) or _("操作未完成。")


def step_view(machine: Machine, *, lookup: Callable, back_url: Callable, names=None, keyword: str = "",
              services: dict | None = None, pages: dict | None = None, success=None, summary: Callable | None = None,
              name: str | None = None, unknown: str = "", confirm: bool = True):
    """The view for `machine`'s confirm-and-fire steps, at `<pk>/step/<name>/` (or at a
    URL of its own for the one step `name`). With `confirm=False` it is a button that
    posts without a confirm page: the step runs at once (a refusal becomes a message,
    an optional posted `reason` goes along) and the user goes back.

    `lookup(user, pk)` finds the object through the access layer (404 out of scope);
    `names` limits which transitions have a page (default: all of the machine's; any
    other name is a 404 with `unknown`); `services[name](actor=…, reason=…, <keyword>=obj)`
    takes a step that does more than fire (default: `machine.fire`); `pages[name](request,
    obj)` is the page of a step with a form of its own; `success` is the message (or
    a dict by name; default 已办理。); `back_url(obj)` is where both the page and the user go back to;
    `summary(obj)` gives the (label, value) rows shown before confirming."""
    allowed_names = frozenset(names) if names is not None else frozenset(machine.by_name)
    services, pages = services or {}, pages or {}

    @login_required
    @require_http_methods(["GET", "POST"] if confirm else ["POST"])
    def view(request, pk, name=name):
        obj = lookup(request.user, pk)
        if name not in allowed_names or name not in machine.by_name:
            raise Http404(unknown)
        if name in pages:
            return pages[name](request, obj)
        service = services.get(name)

        def step(*, actor, reason):
            if service is not None:
                return service(actor=actor, reason=reason, **{keyword: obj})
            return machine.fire(obj, name, actor=actor, reason=reason)

        message = str((success.get(name) if isinstance(success, dict) else success) or _("已办理。"))
        if not confirm:
            run_step(request, step, message, reason=request.POST.get("reason", ""))
            return redirect(back_url(obj))
        return transition_page(request, obj, name, service=step, success=message, back_url=back_url(obj),
                               summary=summary(obj) if summary else None)

    return view


def ignoring_reason(service: Callable) -> Callable:
    """For `step_view(services=…)`: a service that takes no reason (the page may post one)."""
    return lambda *, reason, **kwargs: service(**kwargs)
