"""One page for a workflow step: GET shows what will happen and asks to confirm (with a
reason where the transition needs one); POST fires the step through its service. Views
do the access lookup first (404 out of scope), then hand over here."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .engine import machine_for


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
