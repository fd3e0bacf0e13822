from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from places.models import Region
from web.forms import DateInput
from web.limits import TEXT_MAX_LENGTH

from .access import can_waive_credit_check
from .models import Membership, Organization
from .services import ORGANIZATION_FIELDS
from .uscc import validate_credit_code


class OrganizationForm(forms.ModelForm):
    credit_code = forms.CharField(
        label=_("统一社会信用代码"), max_length=40,
        help_text=_("18 位，大小写和空格会自动规范；按 GB 32100-2015 校验。"),
    )
    credit_code_waiver = forms.CharField(
        label=_("校验位例外说明"), required=False, max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("仅当代码真实但未通过校验（早期试点地区颁发）时填写：说明核实依据。"),
    )

    class Meta:
        model = Organization
        fields = ("name", "credit_code", "credit_code_waiver", *[f for f in ORGANIZATION_FIELDS if f != "name"])
        widgets = {
            "established_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["region"].queryset = Region.objects.filter(
            level__in=[Region.Level.CITY, Region.Level.DISTRICT]).order_by("code")
        self.fields["community"].widget = forms.HiddenInput()
        self.fields["community"].required = False
        if not can_waive_credit_check(user):
            # Only bureau staff may record an exception or change the code.
            del self.fields["credit_code_waiver"]
            if self.instance.pk:
                self.fields["credit_code"].disabled = True

    def clean_credit_code(self):
        raw = self.cleaned_data["credit_code"]
        waiver = (self.data.get(self.add_prefix("credit_code_waiver")) or "").strip()
        # A failed check character is acceptable only with a bureau user's reason; the
        # service checks again, this is for a message at the field.
        return validate_credit_code(raw, accept_failed_check=bool(waiver) and can_waive_credit_check(self.user))

    def validate_unique(self):
        # The service checks uniqueness (and says which organisation holds the code).
        pass


class MembershipAddForm(forms.Form):
    username = forms.CharField(label=_("用户名"), help_text=_("对方在本平台登录用的用户名"))
    position = forms.ChoiceField(
        label=_("职务"), choices=Membership.Position.choices, initial=Membership.Position.STAFF
    )
    title = forms.CharField(label=_("岗位名称"), required=False)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise forms.ValidationError(_("没有用户名为“%(u)s”的用户。"), params={"u": username}) from None
