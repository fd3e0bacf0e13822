from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    """The browser's date picker; it needs ISO dates whatever the page's language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def add_service_error(form: forms.Form, exc) -> None:
    """Show a service's ValidationError on the form: at the field it names when the
    form has that field, otherwise above the form. What the user typed stays."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class SpreadsheetUploadForm(forms.Form):
    """One .xlsx file for a bulk import; what it is is decided from its bytes (web.spreadsheet)."""

    file = forms.FileField(label=_("Excel 文件（.xlsx）"), max_length=200,
                           help_text=_("请使用下载的模板；最多 2000 行、10 MB。"),
                           widget=forms.ClearableFileInput(attrs={
                               "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}))
