import django_filters
from django.utils.translation import gettext_lazy as _

from places.models import Region

from .models import DIMENSION_FIELDS, Application, Dimension, FundingRound, LeveragePoint, Project


class ChineseOrderingFilter(django_filters.OrderingFilter):
    # django-filter's own "%s (descending)" has no Chinese catalogue.
    descending_fmt = _("%s（降序）")


class ApplicationFilter(django_filters.FilterSet):
    """The review queue's filters, shared by the page and the API."""

    q = django_filters.CharFilter(label=_("项目/机构"), method="filter_q")
    district = django_filters.ModelChoiceFilter(
        label=_("区（市）县"), field_name="community__street__parent",
        queryset=Region.objects.filter(level=Region.Level.DISTRICT).order_by("code"), empty_label=_("全部"))
    street = django_filters.ModelChoiceFilter(
        label=_("街道"), field_name="community__street",
        queryset=Region.objects.filter(level=Region.Level.STREET).order_by("code"), empty_label=_("全部"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Application.Status.choices, empty_label=_("全部"))
    dimension = django_filters.ChoiceFilter(label=_("维度"), choices=Dimension.choices, method="filter_dimension",
                                            empty_label=_("全部"))
    leverage_point = django_filters.ChoiceFilter(label=_("支点"), choices=LeveragePoint.choices,
                                                 empty_label=_("全部"))
    score_min = django_filters.NumberFilter(label=_("均分≥"), field_name="mean_total", lookup_expr="gte")
    score_max = django_filters.NumberFilter(label=_("均分≤"), field_name="mean_total", lookup_expr="lte")
    ordering = ChineseOrderingFilter(
        label=_("排序"),
        fields=(("mean_total", "score"), ("submitted_at", "submitted"), ("requested_amount", "amount")),
        field_labels={"mean_total": _("均分"), "submitted_at": _("提交时间"), "requested_amount": _("申请金额")},
        empty_label=_("默认"),
    )

    class Meta:
        model = Application
        fields = ["q", "district", "street", "status", "dimension", "leverage_point"]

    def filter_q(self, queryset, name, value):
        from .selectors import search_applications

        return search_applications(queryset, value)

    def filter_dimension(self, queryset, name, value):
        return queryset.filter(**{DIMENSION_FIELDS[value]: True}) if value in DIMENSION_FIELDS else queryset


class ProjectFilter(django_filters.FilterSet):
    """立项项目: by state, round and district (issue #16: the list had search only)."""

    status = django_filters.ChoiceFilter(label=_("状态"), choices=Project.Status.choices, empty_label=_("全部"))
    round = django_filters.ModelChoiceFilter(label=_("资助轮次"), queryset=FundingRound.objects.order_by("-year", "pk"),
                                             empty_label=_("全部"))
    district = django_filters.ModelChoiceFilter(
        label=_("区（市）县"), field_name="community__street__parent",
        queryset=Region.objects.filter(level=Region.Level.DISTRICT).order_by("code"), empty_label=_("全部"))

    class Meta:
        model = Project
        fields = ["status", "round", "district"]
