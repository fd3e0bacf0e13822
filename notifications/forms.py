from django import forms
from django.utils.translation import gettext_lazy as _

from .registry import kind_choices


class NotificationSettingsForm(forms.Form):
    email_kinds = forms.MultipleChoiceField(
        label=_("同时发送邮件的通知"), choices=kind_choices, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("站内通知总会保留；这里只决定是否另发邮件。"))
