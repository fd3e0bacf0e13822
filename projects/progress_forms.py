from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from organizations.models import SelfOrganization
from places.models import Courtyard
from web import uploads
from web.forms import DateInput

from .models import Activity, Expense, ProgressReport, Rectification, SupervisionVisit, SupervisorAssignment

DATE = DateInput()


class ReportNarrativeForm(forms.ModelForm):
    class Meta:
        model = ProgressReport
        fields = ("progress", "problems", "next_plan", "resident_voices")
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}


class ActivityForm(forms.ModelForm):
    photo = forms.FileField(label=_("照片"), required=False,
                            help_text=_("JPG/PNG/WebP，不超过 10 MB；保存时去除拍摄位置等信息"))

    class Meta:
        model = Activity
        fields = ("held_on", "title", "kind", "courtyard", "place", "direct_participations",
                  "indirect_beneficiaries", "volunteers", "self_organizations")
        widgets = {"held_on": DATE, "self_organizations": forms.CheckboxSelectMultiple}

    def __init__(self, *args, report: ProgressReport, **kwargs):
        super().__init__(*args, **kwargs)
        community = report.project.community
        self.fields["courtyard"].queryset = Courtyard.objects.filter(community=community)
        self.fields["self_organizations"].queryset = SelfOrganization.objects.filter(community=community)
        self.fields["held_on"].help_text = _("本期：%(s)s 至 %(e)s") % {"s": report.period_start,
                                                                     "e": report.period_end}

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo:
            uploads.check_upload(photo, kinds=(uploads.IMAGE,))
            photo.seek(0)
        return photo


class ExpenseForm(forms.ModelForm):
    class Meta:
        model = Expense
        fields = ("budget_line", "amount", "spent_on", "voucher", "description", "over_budget_explanation")
        widgets = {"spent_on": DATE, "over_budget_explanation": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, report: ProgressReport, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = report.project.application.budget_lines.all()
        self.fields["budget_line"].label_from_instance = lambda line: (
            f"{line.get_category_display()} · {line.description}")

    def clean_amount(self):
        # A field error here also keeps the model's check constraint from being
        # validated (Django skips constraints on fields that already failed), which would
        # otherwise surface as 约束 “expense_amount_positive” 是无效的.
        amount = self.cleaned_data.get("amount")
        if amount is not None and amount <= 0:
            raise forms.ValidationError(_("金额须大于 0。"))
        return amount


class SelfOrgUpdateForm(forms.Form):
    self_organization = forms.ModelChoiceField(label=_("居民自组织"), queryset=SelfOrganization.objects.none())
    stage = forms.ChoiceField(label=_("发展阶段"), choices=SelfOrganization.Stage.choices)
    members = forms.IntegerField(label=_("成员人数"), min_value=0)
    note = forms.CharField(label=_("说明"), required=False)

    def __init__(self, *args, report: ProgressReport, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["self_organization"].queryset = SelfOrganization.objects.filter(
            community=report.project.community)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回原因"), widget=forms.Textarea(attrs={"rows": 3}))


class CommentForm(forms.Form):
    body = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 2}))


class SupervisorAssignForm(forms.Form):
    supervisor = forms.ModelChoiceField(label=_("督导"), queryset=User.objects.none())
    position = forms.ChoiceField(label=_("角色"), choices=SupervisorAssignment.Position.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = User.objects.filter(
            role_assignments__role=Role.SUPERVISOR, is_active=True).distinct().order_by("real_name", "username")
        self.fields["supervisor"].label_from_instance = lambda u: u.display_name


class VisitForm(forms.ModelForm):
    class Meta:
        model = SupervisionVisit
        fields = ("visited_on", "mode", "findings", "advice", "follow_up_due")
        widgets = {"visited_on": DATE, "follow_up_due": DATE, "findings": forms.Textarea(attrs={"rows": 3}),
                   "advice": forms.Textarea(attrs={"rows": 3})}


class RectificationForm(forms.ModelForm):
    class Meta:
        model = Rectification
        fields = ("source", "owner", "description", "due_on")
        widgets = {"due_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def validate_constraints(self, exclude=None):
        pass


class RectificationRespondForm(forms.ModelForm):
    class Meta:
        model = Rectification
        fields = ("plan", "evidence")
        widgets = {"plan": forms.Textarea(attrs={"rows": 3}), "evidence": forms.Textarea(attrs={"rows": 3})}


class RectificationVerifyForm(forms.Form):
    result = forms.ChoiceField(label=_("核验结论"), widget=forms.RadioSelect,
                               choices=[("fixed", _("已整改")), ("not_fixed", _("未整改"))])
    note = forms.CharField(label=_("说明"), required=False)


class NewSelfOrgForm(forms.Form):
    """A group the agency is incubating, registered from its progress report."""

    name = forms.CharField(label=_("名称"), max_length=100)
    category = forms.ChoiceField(label=_("类别"), choices=SelfOrganization.Category.choices)
    members = forms.IntegerField(label=_("成员人数"), min_value=0, initial=0)
