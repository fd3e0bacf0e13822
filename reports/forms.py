from django import forms
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization
from places.reporting import report_kinds
from projects.models import FundingRound
from web.forms import DateInput

from .models import Report


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("报表"), choices=[])
    format = forms.ChoiceField(label=_("格式"), choices=Report.Format.choices, initial="xlsx")
    region = forms.ModelChoiceField(label=_("范围"), queryset=None, empty_label=None)
    round = forms.ModelChoiceField(label=_("资助轮次"), queryset=FundingRound.objects.order_by("-year", "name"),
                                   required=False, empty_label=_("全部轮次"))
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    # By credit code, not a <select>: a province has 6,000 agencies, and rendering every
    # one as an option was most of this page's time (docs/benchmarks.md).
    agency = forms.ModelChoiceField(
        label=_("机构"), queryset=Organization.objects.all(), required=False, to_field_name="credit_code",
        widget=forms.TextInput(attrs={"maxlength": 18, "placeholder": _("统一社会信用代码（留空为全部机构）")}),
        help_text=_("只看一个机构时，填写它的 18 位统一社会信用代码。"),
        error_messages={"invalid_choice": _("没有这个统一社会信用代码的机构。")})
    period_start = forms.DateField(label=_("期间开始"), required=False, widget=DateInput())
    period_end = forms.DateField(label=_("期间结束"), required=False, widget=DateInput())

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        # Region-wide kinds from the registry; a dossier is asked for from its project's page.
        self.fields["kind"].choices = [(k.code, k.label) for k in report_kinds(per_project=False)]

    def clean(self):
        data = super().clean()
        if data.get("period_start") and data.get("period_end") and data["period_end"] < data["period_start"]:
            self.add_error("period_end", _("结束日期不能早于开始日期。"))
        return data
