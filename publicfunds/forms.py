from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from web.forms import DateInput

from .models import FundItem, YearFund

MONEY = dict(max_digits=12, decimal_places=2, min_value=Decimal("0.01"), max_value=Decimal("9999999999"))


class FundForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)


class OverrideForm(forms.Form):
    amount = forms.DecimalField(label=_("核定金额（元）"), max_digits=12, decimal_places=2, min_value=Decimal("0"),
                                max_value=Decimal("9999999999"))
    reason = forms.CharField(label=_("核定理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class EvidenceForm(forms.ModelForm):
    """The fields of the fund's current step only."""

    class Meta:
        model = YearFund
        fields = ["notice", "notice_from", "notice_until", "discussion_meeting", "discussion_minutes", "decision",
                  "publicity_days", "hearing_on", "hearing_record", "supervision_record", "evaluation",
                  "archive_note"]
        widgets = {name: DateInput() for name in ("notice_from", "notice_until", "hearing_on")} | {
            name: forms.Textarea(attrs={"rows": 4}) for name in (
                "notice", "discussion_minutes", "decision", "hearing_record", "supervision_record", "evaluation",
                "archive_note")}

    def __init__(self, *args, fields, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in fields:
                del self.fields[name]
            else:
                self.fields[name].required = True
        if "discussion_meeting" in self.fields:
            self.fields["discussion_meeting"].queryset = meetings
            self.fields["discussion_meeting"].label_from_instance = lambda m: _("%(s)s（%(st)s）") % {
                "s": m.title, "st": f"{m.starts_at:%Y-%m-%d}"}


class CollectionForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=200)
    opens_on = forms.DateField(label=_("开始日期"), widget=DateInput())
    closes_on = forms.DateField(label=_("截止日期"), widget=DateInput())
    options = forms.CharField(label=_("候选项目"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=_("每行一个，可在后面加“，估算金额”，如：3 号院充电棚，60000"))

    def clean_options(self):
        rows = []
        for line in self.cleaned_data["options"].splitlines():
            line = line.strip()
            if not line:
                continue
            title, _sep, estimate = line.replace(",", "，").partition("，")
            try:
                value = Decimal(estimate.strip()) if estimate.strip() else None
            except ArithmeticError:
                raise forms.ValidationError(_("“%(l)s”的估算金额不是数字。") % {"l": line}) from None
            if value is not None and (not value.is_finite() or not 0 <= value <= Decimal("9999999999")):
                raise forms.ValidationError(_("“%(l)s”的估算金额不合理。") % {"l": line})
            rows.append((title.strip(), value))
        if len(rows) > 30:
            raise forms.ValidationError(_("候选项目不超过 30 个。"))
        return rows


class VoteForm(forms.Form):
    option = forms.ModelChoiceField(label=_("我家选择"), queryset=None, widget=forms.RadioSelect, empty_label=None)

    def __init__(self, *args, collection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["option"].queryset = collection.options.all()


class PaperVoteForm(VoteForm):
    household_number = forms.CharField(label=_("户号"), max_length=32)
    field_order = ["household_number", "option"]


class ItemForm(forms.Form):
    title = forms.CharField(label=_("项目"), max_length=200)
    use = forms.ChoiceField(label=_("用途"), choices=FundItem._meta.get_field("use").choices)
    budget = forms.DecimalField(label=_("预算（元）"), **MONEY)
    option = forms.ModelChoiceField(label=_("来自候选项目"), queryset=None, required=False)
    project = forms.ModelChoiceField(label=_("配套的社区营造项目"), queryset=None, required=False)

    def __init__(self, *args, options, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["option"].queryset = options
        self.fields["project"].queryset = projects


class SpendingForm(forms.Form):
    amount = forms.DecimalField(label=_("金额（元）"), **MONEY)
    voucher = forms.CharField(label=_("凭证号"), max_length=40)
    spent_on = forms.DateField(label=_("支出日期"), widget=DateInput())
    purpose = forms.CharField(label=_("摘要"), max_length=200, required=False)
