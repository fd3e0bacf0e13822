from django import forms
from django.utils.translation import gettext_lazy as _

from web.forms import DateInput

from .models import Ballot, Council, Proposal, Vote


class CouncilForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=Council.Kind.choices)
    group = forms.ModelChoiceField(label=_("居民小组（小组议事会）"), queryset=None, required=False)
    name = forms.CharField(label=_("名称"), max_length=100)
    term_start = forms.DateField(label=_("任期开始"), widget=DateInput())
    term_end = forms.DateField(label=_("任期结束"), widget=DateInput())

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = community.resident_groups.all()


class SeatForm(forms.Form):
    resident = forms.ModelChoiceField(label=_("居民"), queryset=None)

    def __init__(self, *args, residents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = residents
        self.fields["resident"].label_from_instance = lambda r: _("%(s)s（%(st)s）") % {
            "s": r.user.real_name, "st": r.group or "—"}


class OfficersForm(forms.Form):
    chair = forms.ModelChoiceField(label=_("议事长"), queryset=None)
    vice_chair = forms.ModelChoiceField(label=_("副议事长"), queryset=None, required=False)

    def __init__(self, *args, residents, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("chair", "vice_chair"):
            self.fields[name].queryset = residents
            self.fields[name].label_from_instance = lambda r: r.user.real_name


class ReplaceForm(forms.Form):
    resident = forms.ModelChoiceField(label=_("替补成员"), queryset=None)
    on = forms.DateField(label=_("替补日期"), widget=DateInput())
    reason = forms.CharField(label=_("原成员离任原因"), max_length=200)

    def __init__(self, *args, residents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = residents
        self.fields["resident"].label_from_instance = lambda r: _("%(s)s（%(st)s）") % {
            "s": r.user.real_name, "st": r.group or "—"}


class ProposalForm(forms.Form):
    route = forms.ChoiceField(label=_("提出方式"))
    title = forms.CharField(label=_("议题"), max_length=200)
    body = forms.CharField(label=_("内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, routes, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Proposal.Route.choices)
        self.fields["route"].choices = [(r, labels[r]) for r in routes]


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(label=_("并入议题"), queryset=None)
    reason = forms.CharField(label=_("理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = proposals


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("会议名称"), max_length=200)
    starts_at = forms.DateTimeField(label=_("开会时间"),
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                               format="%Y-%m-%dT%H:%M"))
    location = forms.CharField(label=_("地点"), max_length=200)
    proposals = forms.ModelMultipleChoiceField(label=_("议程（正式议题）"), queryset=None,
                                               widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = proposals


class VoteForm(forms.Form):
    proposal = forms.ModelChoiceField(label=_("表决议题"), queryset=None)
    mode = forms.ChoiceField(label=_("表决方式"), choices=Vote.Mode.choices, initial=Vote.Mode.SECRET)
    open_mode_basis = forms.CharField(label=_("记名表决依据"), max_length=200, required=False)

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"].queryset = proposals


class BallotForm(forms.Form):
    choice = forms.ChoiceField(label=_("您的意见"), choices=Ballot.Choice.choices, widget=forms.RadioSelect)


class CountsForm(forms.Form):
    yes = forms.IntegerField(label=_("赞成"), min_value=0, max_value=1000)
    no = forms.IntegerField(label=_("反对"), min_value=0, max_value=1000)
    abstain = forms.IntegerField(label=_("弃权"), min_value=0, max_value=1000)


class ExecutionForm(forms.Form):
    description = forms.CharField(label=_("执行事项"), max_length=300)
    owner = forms.CharField(label=_("责任人/单位"), max_length=100)
    due_on = forms.DateField(label=_("完成期限"), widget=DateInput())
    project = forms.ModelChoiceField(label=_("关联项目"), queryset=None, required=False)

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
