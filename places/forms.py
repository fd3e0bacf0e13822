from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from web.forms import DateInput

from .models import Community
from .services import COMMUNITY_PROFILE_FIELDS


class CommunityProfileForm(forms.ModelForm):
    class Meta:
        model = Community
        fields = COMMUNITY_PROFILE_FIELDS


class CommunityMergeForm(forms.Form):
    into = forms.ModelChoiceField(label=_("并入社区"), queryset=Community.objects.none(),
                                  help_text=_("被合并社区的历史项目和数据保留，归档到该社区之下。"))
    merged_on = forms.DateField(label=_("合并日期"), widget=DateInput())
    reason = forms.CharField(label=_("合并依据"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("如区划调整批复文号。"))

    def __init__(self, *args, community: Community, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        # Merges happen between neighbours: offer the district's current communities.
        self.fields["into"].queryset = (
            candidates.filter(merged_into__isnull=True, street__parent_id=community.street.parent_id)
            .exclude(pk=community.pk)
            .select_related("street")
            .order_by("street__code", "code")
        )
        self.fields["into"].label_from_instance = lambda c: _("%(s)s（%(st)s）") % {
            "s": f"{c.street.name} · {c.name}", "st": c.code}
        self.fields["merged_on"].initial = timezone.localdate()
