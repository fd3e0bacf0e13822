from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from places.models import Community, Region
from projects.models import Dimension, LeveragePoint
from web.forms import DateInput

from .models import CaseStudy, CommunityStory, CoverageRule, Expert, TrainingCourse

ROUTE_STOPS = 8


class StoryForm(forms.ModelForm):
    class Meta:
        model = CommunityStory
        fields = ("history", "culture", "specialties", "resources", "outcomes", "lng", "lat")
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in
                   ("history", "culture", "specialties", "resources", "outcomes")}
        help_texts = {"lng": _("东经，成都市范围约 102.9–104.9；可在地图软件中长按取点。"),
                      "lat": _("北纬，成都市范围约 30.0–31.5。")}

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("lng") is None) != (cleaned.get("lat") is None) and not self.errors.get("lng") \
                and not self.errors.get("lat"):
            self.add_error("lat", _("经度和纬度须同时填写或同时留空。"))
        return cleaned


class StoryFilterForm(forms.Form):
    q = forms.CharField(label=_("关键词"), max_length=50, required=False)
    leverage = forms.ChoiceField(label=_("营造支点"), required=False,
                                 choices=[("", _("全部"))] + list(LeveragePoint.choices))
    dimension = forms.ChoiceField(label=_("营造维度"), required=False,
                                  choices=[("", _("全部"))] + list(Dimension.choices))


class RouteForm(forms.Form):
    name = forms.CharField(label=_("路线名称"), max_length=100)
    description = forms.CharField(label=_("说明"), max_length=500, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = Community.objects.filter(story__isnull=False).select_related("street__parent").order_by("code")
        for i in range(1, ROUTE_STOPS + 1):
            self.fields[f"stop_{i}"] = forms.ModelChoiceField(
                label=_("第 %(n)s 站") % {"n": i}, queryset=choices, required=i <= 2)
            self.fields[f"stop_{i}"].label_from_instance = lambda c: f"{c.street.parent.name} · {c.name}"
            self.fields[f"note_{i}"] = forms.CharField(label=_("看点"), max_length=200, required=False)

    def stops(self) -> tuple[list, list[str]]:
        stops, notes = [], []
        for i in range(1, ROUTE_STOPS + 1):
            community = self.cleaned_data.get(f"stop_{i}")
            if community is not None:
                stops.append(community)
                notes.append(self.cleaned_data.get(f"note_{i}", ""))
        return stops, notes

    @classmethod
    def initial_for(cls, route) -> dict:
        initial = {"name": route.name, "description": route.description}
        for stop in route.stops.all():
            initial[f"stop_{stop.order}"] = stop.community_id
            initial[f"note_{stop.order}"] = stop.note
        return initial


# --- Learning library ---------------------------------------------------------------


class CourseForm(forms.ModelForm):
    class Meta:
        model = TrainingCourse
        fields = ("title", "starts_on", "ends_on", "location", "organizer", "audience", "participants", "summary")
        widgets = {"starts_on": DateInput(), "ends_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 4})}


class MaterialForm(forms.Form):
    file = forms.FileField(label=_("资料文件"), help_text=_("PDF、Word、Excel、PPT 或图片，20 MB 以内"))


class AttendanceForm(forms.Form):
    lines = forms.CharField(label=_("签到名单"), max_length=100000, widget=forms.Textarea(attrs={"rows": 6}),
                            help_text=_("每行一人：姓名,单位,职务（可直接从表格粘贴）"))


class CaseForm(forms.ModelForm):
    upload = forms.FileField(label=_("文件"), required=False, help_text=_("PDF、Word、Excel、PPT 或图片，20 MB 以内"))

    class Meta:
        model = CaseStudy
        fields = ("kind", "title", "summary", "tags", "communities")
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communities"].queryset = Community.objects.filter(story__isnull=False).order_by("code")
        self.fields["communities"].required = False
        self.fields["communities"].widget = forms.CheckboxSelectMultiple()
        self.fields["communities"].choices = [(c.pk, c.name) for c in self.fields["communities"].queryset]


class CaseSearchForm(forms.Form):
    q = forms.CharField(label=_("关键词"), max_length=50, required=False)
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部"))] + list(CaseStudy.Kind.choices))
    tag = forms.CharField(label=_("标签"), max_length=30, required=False)


# --- Coverage settings --------------------------------------------------------------


class CoverageTargetForm(forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int)
    region = forms.ModelChoiceField(label=_("区划"), queryset=Region.objects.none())
    percent = forms.DecimalField(label=_("目标覆盖率（%）"), min_value=0, max_value=100, max_digits=5,
                                 decimal_places=2)

    def __init__(self, *args, years, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in years]
        self.fields["region"].queryset = regions


class CoverageRuleForm(forms.ModelForm):
    class Meta:
        model = CoverageRule
        fields = ("source", "label", "definition", "active", "order")
        widgets = {"definition": forms.Textarea(attrs={"rows": 2})}

    def validate_unique(self):
        """An existing source is updated by the service, not refused as a duplicate."""


# --- Expert pool --------------------------------------------------------------------


class ExpertForm(forms.Form):
    user = forms.ModelChoiceField(label=_("用户"), queryset=None,
                                  help_text=_("须已授予评审专家、督导或评估员角色"))
    kind = forms.ChoiceField(label=_("类别"), choices=Expert.Kind.choices)
    affiliation = forms.CharField(label=_("单位"), max_length=100, required=False)
    specialties = forms.CharField(label=_("专长"), max_length=200, required=False)
    categories = forms.MultipleChoiceField(label=_("擅长的项目类别"), choices=LeveragePoint.choices, required=False,
                                           widget=forms.CheckboxSelectMultiple)
    regions = forms.ModelMultipleChoiceField(label=_("服务区域"), required=False, widget=forms.CheckboxSelectMultiple,
                                             queryset=Region.objects.filter(level=Region.Level.DISTRICT))
    active = forms.BooleanField(label=_("在库"), required=False, initial=True)

    def __init__(self, *args, expert: Expert | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        users = User.objects.filter(role_assignments__role__in=[Role.REVIEWER, Role.SUPERVISOR, Role.EVALUATOR],
                                    is_active=True).distinct().order_by("real_name", "username")
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = lambda u: _("%(s)s（%(st)s）") % {
            "s": u.display_name, "st": u.username}
        if expert is not None:
            self.fields["user"].disabled = True
            self.initial.update({"user": expert.user_id, "kind": expert.kind, "affiliation": expert.affiliation,
                                 "specialties": expert.specialties, "categories": expert.categories,
                                 "regions": list(expert.regions.all()), "active": expert.active})
