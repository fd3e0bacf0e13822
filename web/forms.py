from django import forms


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
