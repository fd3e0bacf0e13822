from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User

from . import roles


class RoleFilterForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"), required=False, choices=[("", _("全部角色"))] + list(Role.choices))
    q = forms.CharField(label=_("用户或区划"), required=False, max_length=50)


class RoleGrantForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150, help_text=_("被授权人的登录用户名。"))
    role = forms.ChoiceField(label=_("角色"))
    region = forms.ModelChoiceField(label=_("管辖区划"), required=False, queryset=None,
                                    help_text=_("民政局工作人员选市或区（市）县；街道工作人员选街道/乡镇。"))
    community_code = forms.CharField(label=_("社区代码"), required=False, max_length=12, min_length=12,
                                     help_text=_("社区工作人员填所属社区的 12 位区划代码。"))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["role"].choices = roles.grantable_roles(actor)
        self.fields["region"].queryset = roles.regions_for_grant(actor).order_by("code")

    def clean_username(self):
        user = User.objects.filter(username=self.cleaned_data["username"].strip()).first()
        if user is None:
            raise forms.ValidationError(_("没有这个用户名。"))
        return user

    def clean_community_code(self):
        code = self.cleaned_data["community_code"].strip()
        if not code:
            return None
        community = roles.communities_for_grant(self.actor).filter(code=code).first()
        if community is None:
            raise forms.ValidationError(_("没有这个社区，或不在您的管辖范围内。"))
        return community


class RoleRevokeForm(forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=roles.REASON_MAX_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 3}), help_text=_("将记入操作记录。"))
