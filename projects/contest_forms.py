"""Forms of community contests and residents' review committees (Chinese labels,
bounded input). Services check the rules; these check the shape."""

import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from web.forms import DateInput

from .models import CommitteeMember, FundingRound, ReviewCommittee, ReviewForm

MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0.01"), "max_value": Decimal("9999999999")}
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ContestForm(forms.Form):
    name = forms.CharField(label=_("大赛名称"), max_length=200)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    funder_source = forms.ChoiceField(label=_("资金来源"), choices=[])
    committee = forms.ModelChoiceField(label=_("评审会"), queryset=ReviewCommittee.objects.none())
    review_form = forms.ModelChoiceField(label=_("评审表"), queryset=ReviewForm.objects.all())
    total_budget = forms.DecimalField(label=_("大赛总额（元）"), **MONEY)
    per_project_cap = forms.DecimalField(label=_("单项目上限（元）"), **MONEY)
    opens_at = forms.DateTimeField(label=_("申报开始"), widget=DATETIME)
    closes_at = forms.DateTimeField(label=_("申报截止"), widget=DATETIME)
    description = forms.CharField(label=_("说明（评审规则与标准）"), max_length=5000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, community, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = ReviewCommittee.objects.filter(community=community)
        labels = dict(FundingRound.FunderSource.choices)
        self.fields["funder_source"].choices = [(s, labels.get(s, s)) for s in sources]

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("申报截止须晚于申报开始。"))
        total, cap = data.get("total_budget"), data.get("per_project_cap")
        if total and cap and cap > total:
            self.add_error("per_project_cap", _("单项目上限不能超过大赛总额。"))
        return data


class ContestEditForm(forms.Form):
    """The short form; a returned application comes back through it."""

    title = forms.CharField(label=_("项目名称"), max_length=200)
    summary = forms.CharField(label=_("项目概述（做什么、谁参与、怎么做）"), max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 5}))
    requested_amount = forms.DecimalField(label=_("申请金额（元）"), **MONEY)


class ContestApplyForm(ContestEditForm):
    applicant = forms.ChoiceField(label=_("申报院落或自组织"), choices=[])
    field_order = ["applicant", "title", "summary", "requested_amount"]

    def __init__(self, *args, courtyards=(), selforgs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applicant"].choices = (
            [(f"courtyard:{c.pk}", _("院落：%(n)s") % {"n": c.name}) for c in courtyards]
            + [(f"selforg:{s.pk}", _("自组织：%(n)s") % {"n": s.name}) for s in selforgs])
        self._objects = {f"courtyard:{c.pk}": c for c in courtyards} | {f"selforg:{s.pk}": s for s in selforgs}

    def applicant_kwargs(self) -> dict:
        key = self.cleaned_data["applicant"]
        kind = "courtyard" if key.startswith("courtyard:") else "self_organization"
        return {kind: self._objects[key]}


class ScreenForm(forms.Form):
    passed = forms.TypedChoiceField(label=_("形式审查"), coerce=lambda v: v == "1",
                                    choices=[("1", _("通过，交评审会评审")), ("0", _("退回修改"))])
    reason = forms.CharField(label=_("说明"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=_("结论"), choices=[("approve", _("立项资助")), ("reject", _("不予资助")),
                                                          ("return", _("退回修改"))])
    amount = forms.DecimalField(label=_("资助金额（元，立项时填写；不填按申请金额）"), required=False, **MONEY)
    reason = forms.CharField(label=_("结论理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class CommitteeForm(forms.ModelForm):
    class Meta:
        model = ReviewCommittee
        fields = ["name", "formed_on", "max_members", "eligibility", "duties", "join_rule", "exit_rule"]
        widgets = {"formed_on": DateInput, "duties": forms.Textarea(attrs={"rows": 2}),
                   "join_rule": forms.Textarea(attrs={"rows": 2}), "exit_rule": forms.Textarea(attrs={"rows": 2})}


class JoinForm(forms.Form):
    phone = forms.CharField(label=_("成员手机号（平台账号）"), max_length=20)
    role = forms.ChoiceField(label=_("职务"), choices=CommitteeMember.Role.choices, initial="member")
    background = forms.CharField(label=_("身份"), max_length=100, required=False)
    joined_on = forms.DateField(label=_("加入日期"), widget=DateInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("joined_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        user = User.objects.filter(username=phone).first() or User.objects.filter(phone=phone).first()
        if user is None:
            raise forms.ValidationError(_("没有这个手机号的平台账号：请先在居民管理中登记。"))
        self.user = user
        return phone

    def clean_joined_on(self):
        day = self.cleaned_data["joined_on"]
        if not datetime.date(2000, 1, 1) <= day <= datetime.date(2100, 12, 31):
            raise forms.ValidationError(_("请填写 2000 至 2100 年之间的日期。"))
        return day


class ExitForm(forms.Form):
    left_on = forms.DateField(label=_("退出日期"), widget=DateInput)
    reason = forms.CharField(label=_("退出原因"), max_length=200)

    def clean_left_on(self):
        day = self.cleaned_data["left_on"]
        if not datetime.date(2000, 1, 1) <= day <= datetime.date(2100, 12, 31):
            raise forms.ValidationError(_("请填写 2000 至 2100 年之间的日期。"))
        return day


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("职务"), choices=CommitteeMember.Role.choices)
