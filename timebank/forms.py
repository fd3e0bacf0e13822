import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from places.models import Courtyard
from web.forms import DateInput

from .models import Category, Need, Resource


class CommunityChoiceMixin:
    """A community field limited to what the user may use, and courtyards of those communities."""

    def _limit(self, communities):
        self.fields["community"].queryset = communities
        self.fields["community"].empty_label = None
        if "courtyard" in self.fields:
            self.fields["courtyard"].queryset = Courtyard.objects.filter(community__in=communities).order_by("name")


class NeedForm(CommunityChoiceMixin, forms.Form):
    community = forms.ModelChoiceField(label=_("社区"), queryset=None)
    courtyard = forms.ModelChoiceField(label=_("院落/小区"), queryset=None, required=False)
    title = forms.CharField(label=_("需求"), max_length=100)
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Need.Urgency.choices, initial=Need.Urgency.LOW)
    beneficiaries = forms.CharField(label=_("受益对象"), max_length=100, required=False,
                                    help_text=_("如：独居老人、双职工家庭儿童"))
    beneficiary_count = forms.IntegerField(label=_("受益人数"), min_value=1, max_value=100000, initial=1)
    description = forms.CharField(label=_("说明"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.ChoiceField(label=_("来源"), choices=Need.Source.choices, initial=Need.Source.MEETING)

    def __init__(self, *args, communities, staff: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit(communities)
        if not staff:
            del self.fields["source"]


class ResourceForm(CommunityChoiceMixin, forms.Form):
    community = forms.ModelChoiceField(label=_("社区"), queryset=None)
    courtyard = forms.ModelChoiceField(label=_("院落/小区"), queryset=None, required=False)
    title = forms.CharField(label=_("资源"), max_length=100)
    kind = forms.ChoiceField(label=_("形式"), choices=Resource.Kind.choices)
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    availability = forms.CharField(label=_("可提供时间"), max_length=100, required=False)
    description = forms.CharField(label=_("说明"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    organization = forms.ModelChoiceField(label=_("提供组织/商家"), queryset=None, required=False,
                                          help_text=_("留空表示由您本人（居民）提供"))

    def __init__(self, *args, communities, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit(communities)
        self.fields["organization"].queryset = organizations


class TaskForm(CommunityChoiceMixin, forms.Form):
    community = forms.ModelChoiceField(label=_("社区"), queryset=None)
    courtyard = forms.ModelChoiceField(label=_("院落/小区"), queryset=None, required=False)
    title = forms.CharField(label=_("任务"), max_length=100)
    place = forms.CharField(label=_("地点"), max_length=100)
    starts_at = forms.DateTimeField(label=_("开始时间"),
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                               format="%Y-%m-%dT%H:%M"))
    hours = forms.DecimalField(label=_("服务时长（小时）"), min_value=Decimal("0.5"), max_value=24, decimal_places=1,
                               max_digits=4, initial=2)
    slots = forms.IntegerField(label=_("志愿者名额"), min_value=1, max_value=1000, initial=10)
    points = forms.IntegerField(label=_("每次签到积分"), min_value=1, max_value=10000, required=False,
                                help_text=_("留空取社区积分规则（默认 50 分）"))
    needs = forms.ModelMultipleChoiceField(label=_("服务的需求"), queryset=None, required=False,
                                           widget=forms.CheckboxSelectMultiple)
    team = forms.ModelChoiceField(label=_("志愿服务队"), queryset=None, required=False)
    description = forms.CharField(label=_("说明"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, communities, needs, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit(communities)
        self.fields["needs"].queryset = needs
        self.fields["team"].queryset = teams

    def clean_starts_at(self):
        value = self.cleaned_data["starts_at"]
        if not 2000 <= value.year <= 2100:
            raise forms.ValidationError(_("请填写 2000—2100 年之间的时间。"))
        return value


class RespondForm(forms.Form):
    note = forms.CharField(label=_("提供什么"), max_length=200, required=False,
                           help_text=_("如：提供 20 瓶矿泉水、派 2 名店员"))


class CodeForm(forms.Form):
    code = forms.RegexField(label=_("核销码"), regex=r"^\d{8}$", max_length=8,
                            error_messages={"invalid": _("核销码为 8 位数字。")},
                            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))


class CheckinAddForm(forms.Form):
    resident = forms.ModelChoiceField(label=_("志愿者"), queryset=None)

    def __init__(self, *args, residents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = residents


class RewardForm(forms.Form):
    name = forms.CharField(label=_("兑换项目"), max_length=100)
    points = forms.IntegerField(label=_("所需积分"), min_value=1, max_value=100000)
    stock = forms.IntegerField(label=_("库存"), min_value=0, max_value=100000)
    description = forms.CharField(label=_("说明"), max_length=300, required=False)


class RedemptionDayForm(forms.Form):
    held_on = forms.DateField(label=_("日期"), widget=DateInput())
    place = forms.CharField(label=_("地点"), max_length=100, initial=_("时间胶囊"))
    note = forms.CharField(label=_("说明"), max_length=300, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def clean_held_on(self):
        value = self.cleaned_data["held_on"]
        if not timezone.localdate() <= value <= timezone.localdate() + datetime.timedelta(days=366):
            raise forms.ValidationError(_("请填写今天起一年内的日期。"))
        return value
