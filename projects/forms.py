from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from places.models import Community, Region
from web import uploads
from web.forms import DateInput

from .models import (
    Application,
    BudgetLine,
    Dimension,
    FundingRound,
    NeedsMethod,
    ReviewForm,
    ReviewSheet,
    TrancheRule,
)

DATE = DateInput()
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class RoundForm(forms.ModelForm):
    class Meta:
        model = FundingRound
        fields = ("name", "year", "funder", "description", "total_budget", "per_project_cap", "per_community_cap",
                  "opens_at", "closes_at", "report_frequency", "review_form", "score_spread_gap",
                  "endorsement_wait_days")
        widgets = {"opens_at": DATETIME, "closes_at": DATETIME, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, funders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = funders
        self.fields["review_form"].queryset = ReviewForm.objects.order_by("name", "-version")
        for name in ("opens_at", "closes_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("截止时间须晚于开始时间。"))
        if data.get("per_project_cap") and data.get("per_community_cap") and \
                data["per_project_cap"] > data["per_community_cap"]:
            self.add_error("per_project_cap", _("单项目上限不能高于单社区上限。"))
        return data

    def validate_constraints(self, exclude=None):
        # clean() says the same things at the right fields.
        pass


class TrancheRuleForm(forms.Form):
    percent = forms.DecimalField(label=_("比例（%）"), min_value=Decimal("0.01"), max_value=Decimal("100"),
                                 decimal_places=2)
    trigger = forms.ChoiceField(label=_("拨付条件"), choices=TrancheRule.Trigger.choices)


class BaseTrancheFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        rows = [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        total = sum((row["percent"] for row in rows), Decimal("0"))
        if total != 100:
            raise forms.ValidationError(_("各拨付批次比例之和应为 100%%，当前为 %(t)s%%。") % {"t": total})

    def tranches(self):
        return [(f.cleaned_data["percent"], f.cleaned_data["trigger"]) for f in self.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")]


TrancheFormSet = forms.formset_factory(TrancheRuleForm, formset=BaseTrancheFormSet, extra=0, min_num=1,
                                       validate_min=True, can_delete=True)
DEFAULT_TRANCHES = [
    {"percent": Decimal("50"), "trigger": TrancheRule.Trigger.AGREEMENT},
    {"percent": Decimal("30"), "trigger": TrancheRule.Trigger.MIDTERM},
    {"percent": Decimal("20"), "trigger": TrancheRule.Trigger.FINAL},
]


class ApplicationStartForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("申报机构"), queryset=None)
    district = forms.ModelChoiceField(label=_("区（市）县"), queryset=Region.objects.none(), required=False)
    community = forms.ModelChoiceField(label=_("实施社区"), queryset=Community.objects.none())
    title = forms.CharField(label=_("项目名称"), max_length=200)

    def __init__(self, *args, organizations, communities, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        if organizations.count() == 1:
            self.fields["organization"].initial = organizations.first()
        self.fields["district"].queryset = districts
        self.fields["community"].queryset = communities
        self.fields["community"].label_from_instance = lambda c: f"{c.street.name} · {c.name}"
        self.fields["district"].widget.attrs.update({"data-reload-param": "district", "hx-get": "",
                                                     "hx-target": "#id_community", "hx-trigger": "change",
                                                     "hx-include": "this"})


class ApplicationForm(forms.ModelForm):
    dimensions = forms.MultipleChoiceField(label=_("营造维度（人文地景产）"), choices=Dimension.choices, required=False,
                                           widget=forms.CheckboxSelectMultiple)
    needs_methods = forms.MultipleChoiceField(label=_("需求调研方法"), choices=NeedsMethod.choices, required=False,
                                              widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Application
        fields = ("title", "summary", "dimensions", "leverage_point", "needs_methods", "needs_findings", "goals",
                  "strategy", "activity_plan", "planned_activities", "planned_participations", "starts_on",
                  "ends_on", "project_lead", "social_workers", "university_expert", "senior_supervisor")
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "needs_findings": forms.Textarea(attrs={"rows": 3}),
            "goals": forms.Textarea(attrs={"rows": 3}),
            "strategy": forms.Textarea(attrs={"rows": 3}),
            "activity_plan": forms.Textarea(
                attrs={"rows": 4, "placeholder": _("如：3月 坝坝会收集需求；4-6月 夜市筹备……")}
            ),
            "starts_on": DATE,
            "ends_on": DATE,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["dimensions"] = self.instance.dimensions
        self.fields["title"].required = True

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("结束日期不能早于开始日期。"))
        return data


class BudgetLineForm(forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ("category", "description", "amount", "cofunding_amount", "cofunding_source")

    def clean(self):
        data = super().clean()
        if data.get("cofunding_amount") and not data.get("cofunding_source"):
            self.add_error("cofunding_source", _("有配套资金时请选择来源。"))
        if data.get("amount") is not None and data["amount"] < 0:
            self.add_error("amount", _("金额不能为负数。"))
        return data

    def validate_constraints(self, exclude=None):
        pass


BudgetLineFormSet = forms.modelformset_factory(BudgetLine, form=BudgetLineForm, extra=1, can_delete=True)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("附件"), help_text=_("PDF、图片或办公文档（Word、Excel、PPT），单个不超过 10 MB。"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        uploads.check_upload(upload, kinds=(uploads.DOCUMENT, uploads.IMAGE))
        upload.seek(0)
        return upload


class EndorseForm(forms.Form):
    endorsement = forms.ChoiceField(label=_("社区意见"), choices=[c for c in Application.Endorsement.choices if c[0]],
                                    widget=forms.RadioSelect)
    endorsement_text = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ScreeningForm(forms.Form):
    result = forms.ChoiceField(label=_("形式审查结论"), widget=forms.RadioSelect,
                               choices=[("pass", _("通过，进入专家评审")), ("return", _("退回修改"))])
    reason = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("退回时必填：写明需要修改的内容。"))


class AssignReviewersForm(forms.Form):
    reviewers = forms.ModelMultipleChoiceField(label=_("评审专家"), queryset=User.objects.none(),
                                               widget=forms.CheckboxSelectMultiple)
    applications = forms.ModelMultipleChoiceField(queryset=Application.objects.none(), required=False,
                                                  widget=forms.MultipleHiddenInput)

    def __init__(self, *args, applications=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = User.objects.filter(
            role_assignments__role=Role.REVIEWER, is_active=True).order_by("real_name", "username").distinct()
        self.fields["reviewers"].label_from_instance = lambda u: u.display_name
        if applications is not None:
            self.fields["applications"].queryset = applications


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("结论"), widget=forms.RadioSelect, choices=[
        ("approve", _("立项")), ("return", _("退回修改")), ("reject", _("不予立项"))])
    approved_amount = forms.DecimalField(label=_("立项金额（元）"), required=False, min_value=Decimal("0.01"),
                                         decimal_places=2, help_text=_("不填则按申请金额。"))
    agreement_signed_on = forms.DateField(label=_("协议签订日期"), required=False, widget=DATE)
    reason = forms.CharField(label=_("结论理由"), widget=forms.Textarea(attrs={"rows": 3}))


class ReviewSheetForm(forms.Form):
    """One score and comment per criterion of the sheet's (frozen) form version."""

    recommendation = forms.ChoiceField(label=_("评审建议"), required=False, widget=forms.RadioSelect,
                                       choices=ReviewSheet.Recommendation.choices)
    comment = forms.CharField(label=_("总体意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, sheet: ReviewSheet, scores, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for score in scores:
            criterion = score.criterion
            score_name, comment_name = f"score_{criterion.pk}", f"comment_{criterion.pk}"
            self.fields[score_name] = forms.DecimalField(
                label=_("%(name)s（0–%(max)s，权重 %(w)s%%）") % {
                    "name": criterion.name, "max": criterion.max_score, "w": f"{criterion.weight:g}"},
                required=False, min_value=0, max_value=criterion.max_score, decimal_places=2,
                initial=score.score, help_text=criterion.guidance,
                widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}))
            self.fields[comment_name] = forms.CharField(label=_("意见"), required=False, initial=score.comment,
                                                        widget=forms.Textarea(attrs={"rows": 2}))
            self.rows.append((criterion, score_name, comment_name))
        self.fields["recommendation"].initial = sheet.recommendation
        self.fields["comment"].initial = sheet.comment

    def scores(self) -> dict[int, tuple]:
        return {c.pk: (self.cleaned_data.get(s), self.cleaned_data.get(n, "")) for c, s, n in self.rows}


class AgreementForm(forms.Form):
    signed_on = forms.DateField(label=_("协议签订日期"), widget=DATE, initial=timezone.localdate)


class DisbursementForm(forms.Form):
    tranche = forms.ModelChoiceField(label=_("拨付批次"), queryset=None)
    amount = forms.DecimalField(label=_("金额（元）"), min_value=Decimal("0.01"), decimal_places=2)
    paid_on = forms.DateField(label=_("拨付日期"), widget=DATE, initial=timezone.localdate)
    voucher_number = forms.CharField(label=_("凭证号"), max_length=50)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tranche"].queryset = project.tranches.order_by("order")


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("冲销原因"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("例如：金额登记错误、凭证号填错。冲销记录和原因都会留档。"))
