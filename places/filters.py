import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Community, Region
from .selectors import districts_for_filter, streets_for_filter


class CommunityFilter(django_filters.FilterSet):
    """Filters for the community directory, shared by the page and the API. The choice
    lists only offer places inside the user's scope."""

    q = django_filters.CharFilter(label=_("名称/代码"), method="filter_q")
    district = django_filters.ModelChoiceFilter(
        label=_("区（市）县"), field_name="street__parent", queryset=Region.objects.none(), empty_label=_("全部区县")
    )
    street = django_filters.ModelChoiceFilter(
        label=_("街道/乡镇"), field_name="street", queryset=Region.objects.none(), empty_label=_("全部街道")
    )
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=Community.Kind.choices, empty_label=_("全部类型"))
    include_merged = django_filters.BooleanFilter(
        label=_("含已合并"), method="filter_include_merged", widget=forms.CheckboxInput
    )

    class Meta:
        model = Community
        fields = ["q", "district", "street", "kind"]

    def __init__(self, data=None, *args, user=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        districts = districts_for_filter(user=user)
        self.filters["district"].queryset = districts
        district = None
        if data and data.get("district"):
            district = (
                districts.filter(pk=data.get("district")).first() if str(data.get("district")).isdigit() else None
            )
        self.filters["street"].queryset = streets_for_filter(user=user, district=district)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(official_name__icontains=value) | Q(code__startswith=value))

    def filter_include_merged(self, queryset, name, value):
        return queryset

    @property
    def qs(self):
        queryset = super().qs
        if not self.form.cleaned_data.get("include_merged"):
            queryset = queryset.filter(merged_into__isnull=True)
        return queryset
