from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from places.models import Community
from web.forms import DateInput

from .models import SelfOrganization, SelfOrganizationLeader


class SelfOrganizationForm(forms.ModelForm):
    community = forms.ModelChoiceField(label=_("社区"), queryset=Community.objects.none())
    leaders = forms.CharField(
        label=_("骨干"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一人：姓名 或 姓名,角色（负责人 / 副主任 / 骨干），不写角色即为骨干"))

    class Meta:
        model = SelfOrganization
        fields = ("community", "name", "category", "stage", "members", "founded_on", "description")
        widgets = {"founded_on": DateInput(),
                   "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities

    def clean_leaders(self):
        rows = []
        # Chinese role names as shown on the page; the stored codes still work for old habits.
        roles = {value: value for value in SelfOrganizationLeader.Role.values}
        roles.update({str(label): value for value, label in SelfOrganizationLeader.Role.choices})
        roles.update({"负责人": SelfOrganizationLeader.Role.CHAIR, "主任": SelfOrganizationLeader.Role.CHAIR})
        for number, line in enumerate(self.cleaned_data["leaders"].splitlines(), start=1):
            if not line.strip():
                continue
            name, _sep, role = line.replace("，", ",").partition(",")
            role = role.strip() or SelfOrganizationLeader.Role.CORE
            if role not in roles:
                raise forms.ValidationError(_("第 %(n)s 行的角色“%(r)s”无效：应为负责人、副主任或骨干。") % {
                    "n": number, "r": role[:20]})
            rows.append((name.strip(), roles[role]))
        return rows

    def validate_unique(self):
        pass


class SelfOrganizationProgressForm(forms.Form):
    stage = forms.ChoiceField(label=_("发展阶段"), choices=SelfOrganization.Stage.choices)
    members = forms.IntegerField(label=_("成员人数"), min_value=0)
    on = forms.DateField(label=_("日期"), initial=timezone.localdate,
                         widget=DateInput())
    note = forms.CharField(label=_("说明"), required=False)
