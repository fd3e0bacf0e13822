import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from places.models import Region
from web.search import clean_query, search

from .models import Organization


class OrganizationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称/信用代码"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=Organization.Kind.choices, empty_label=_("全部类型"))
    region = django_filters.ModelChoiceFilter(
        label=_("登记地"),
        queryset=Region.objects.filter(level__in=[Region.Level.CITY, Region.Level.DISTRICT]).order_by("code"),
        empty_label=_("全部"),
    )

    class Meta:
        model = Organization
        fields = ["q", "kind", "region"]

    def filter_q(self, queryset, name, value):
        return search(queryset, value, ["name"], extra=Q(credit_code__startswith=clean_query(value).upper()))
