from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from .services import MOBILE


class ResidentForm(forms.Form):
    real_name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("手机号"), max_length=20,
                            help_text=_("居民用手机号登录。"))
    household_number = forms.CharField(label=_("户号"), max_length=32)
    address = forms.CharField(label=_("住址"), max_length=200, required=False)
    courtyard_name = forms.ChoiceField(label=_("院落/小区"), required=False)
    group_name = forms.ChoiceField(label=_("居民小组"), required=False)
    is_cadre = forms.BooleanField(label=_("社区或小组干部"), required=False)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        blank = [("", "—")]
        self.fields["courtyard_name"].choices = blank + [(c, c) for c in
                                                         community.courtyards.values_list("name", flat=True)]
        self.fields["group_name"].choices = blank + [(g, g) for g in
                                                     community.resident_groups.values_list("name", flat=True)]

    def clean_phone(self):
        phone = self.cleaned_data["phone"].replace(" ", "").replace("-", "")
        if not MOBILE.match(phone):
            raise forms.ValidationError(_("手机号应为 11 位大陆手机号码。"))
        return phone


class ImportForm(forms.Form):
    file = forms.FileField(label=_("居民名册（Excel .xlsx）"),
                           help_text=_("第一行为表头：姓名、手机号、户号、住址、院落/小区、居民小组、干部（是/否）。"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("文件不能超过 5 MB。"))
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的 Excel 表格。"))
        return upload


class JoinCodeForm(forms.Form):
    code = forms.CharField(label=_("邀请码"), max_length=40)


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(label=_("设置密码"), max_length=128, widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("再次输入密码"), max_length=128, widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif data.get("password1"):
            try:
                validate_password(data["password1"])
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class PhoneForm(forms.Form):
    phone = forms.CharField(label=_("手机号"), max_length=20)


class CodeForm(forms.Form):
    phone = forms.CharField(label=_("手机号"), max_length=20, widget=forms.HiddenInput)
    code = forms.CharField(label=_("短信验证码"), max_length=6, min_length=6)
