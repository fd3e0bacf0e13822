from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from web.forms import DateInput

from .models import CourtyardEntry, CourtyardMember

MONEY = dict(max_digits=12, decimal_places=2, min_value=Decimal("0.01"), max_value=Decimal("9999999999"))


class BodyForm(forms.Form):
    name = forms.CharField(label=_("自治组织名称"), max_length=100)
    founded_on = forms.DateField(label=_("成立日期"), required=False, widget=DateInput())
    rules = forms.CharField(label=_("议事与加入退出规则"), max_length=5000, required=False,
                            widget=forms.Textarea(attrs={"rows": 4}))


class MemberForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    role = forms.ChoiceField(label=_("职务"), choices=CourtyardMember.Role.choices)
    joined_on = forms.DateField(label=_("加入日期"), widget=DateInput())


class CompactForm(forms.Form):
    text = forms.CharField(label=_("公约全文"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8}))
    adopted_on = forms.DateField(label=_("通过日期"), widget=DateInput())
    adopted_by = forms.CharField(label=_("通过方式"), max_length=100, help_text=_("如：院落居民大会，到会 46 户"))


class ActivityForm(forms.Form):
    held_on = forms.DateField(label=_("活动日期"), widget=DateInput())
    title = forms.CharField(label=_("活动"), max_length=200)
    participants = forms.IntegerField(label=_("参与人次"), min_value=0, max_value=100000)
    description = forms.CharField(label=_("活动简述"), max_length=5000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.FileField(label=_("照片"), required=False)


class EntryForm(forms.Form):
    direction = forms.ChoiceField(label=_("收支"), choices=CourtyardEntry.Direction.choices)
    amount = forms.DecimalField(label=_("金额（元）"), **MONEY)
    voucher = forms.CharField(label=_("凭证号"), max_length=40)
    entry_on = forms.DateField(label=_("日期"), widget=DateInput())
    purpose = forms.CharField(label=_("摘要"), max_length=200)


class DonationForm(forms.Form):
    donor = forms.ModelChoiceField(label=_("捐赠的社会企业"), queryset=None)
    amount = forms.DecimalField(label=_("金额（元）"), **MONEY)
    entry_on = forms.DateField(label=_("日期"), widget=DateInput())
    reason = forms.CharField(label=_("摘要"), max_length=200, required=False)

    def __init__(self, *args, donors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["donor"].queryset = donors


class GrantForm(forms.Form):
    selforg = forms.ModelChoiceField(label=_("受资助的居民自组织"), queryset=None)
    amount = forms.DecimalField(label=_("金额（元）"), **MONEY)
    purpose = forms.CharField(label=_("资助事项"), max_length=200)
    entry_on = forms.DateField(label=_("日期"), widget=DateInput())

    def __init__(self, *args, selforgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selforg"].queryset = selforgs
