from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from web.forms import DateInput

from .models import Evaluation, FeedbackPoint, Rubric


class EvaluationForm(forms.Form):
    stage = forms.ChoiceField(label=_("评估阶段"), choices=Evaluation.Stage.choices)
    rubric = forms.ModelChoiceField(label=_("评估体系"), queryset=Rubric.objects.none())
    scheduled_on = forms.DateField(label=_("评估日期"), widget=DateInput(), initial=timezone.localdate)
    place = forms.CharField(label=_("地点"), required=False)
    evaluators = forms.ModelMultipleChoiceField(label=_("评估员（通常 3 名）"), queryset=User.objects.none(),
                                                widget=forms.CheckboxSelectMultiple)
    lead_evaluator = forms.ModelChoiceField(label=_("牵头评估员"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rubric"].queryset = Rubric.objects.exclude(status=Rubric.Status.RETIRED).order_by("-created_at")
        self.fields["rubric"].initial = self.fields["rubric"].queryset.filter(status=Rubric.Status.ACTIVE).first()
        evaluators = User.objects.filter(role_assignments__role=Role.EVALUATOR, is_active=True).distinct().order_by(
            "real_name", "username")
        for name in ("evaluators", "lead_evaluator"):
            self.fields[name].queryset = evaluators
            self.fields[name].label_from_instance = lambda u: u.display_name


class FeedbackForm(forms.ModelForm):
    class Meta:
        model = FeedbackPoint
        fields = ("kind", "text")
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("机构回应"), widget=forms.Textarea(attrs={"rows": 2}))


class RectificationFromFeedbackForm(forms.Form):
    due_on = forms.DateField(label=_("整改期限"), widget=DateInput())


class PublishForm(forms.Form):
    feedback = forms.CharField(label=_("综合反馈"), widget=forms.Textarea(attrs={"rows": 4}))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("资助决定"), widget=forms.RadioSelect,
                                 choices=[c for c in Evaluation.Decision.choices if c[0]])
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))
