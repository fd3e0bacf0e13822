from django import forms
from django.utils.translation import gettext_lazy as _

from .services import REASON_MAX_LENGTH


class ArchiveForm(forms.Form):
    reason = forms.CharField(label=_("归档原因"), max_length=REASON_MAX_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("写明为什么归档（如重复录入、误建），将记入操作记录。"))
