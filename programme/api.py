"""The programme API: the same selectors and services as the pages."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from shequ.models import Community

from . import selectors

# --- Coverage ---------------------------------------------------------------------

YEAR_PARAM = OpenApiParameter("year", int, description="年度（默认今年）")
DISTRICT_PARAM = OpenApiParameter("district", int, description="区（市）县 id：给出其下各街道的覆盖率")


def _district(request):
    value = request.query_params.get("district", "")
    if not value.isdigit():
        return None
    return selectors.districts_in_scope(request.user).filter(pk=value).first()


class CoverageView(APIView):
    """Coverage of the caller's place: the definition, the scope's total, each district
    and (with `district`) each street, against the year's targets."""

    @extend_schema(parameters=[YEAR_PARAM, DISTRICT_PARAM], responses=dict)
    def get(self, request):
        selectors.require_coverage_viewer(request.user)
        year = selectors.parse_year(request.query_params.get("year"))
        report = selectors.coverage_report(user=request.user, year=year, district=_district(request))
        return Response({
            "year": report.year,
            "definition": [{"source": r.source, "label": r.label, "definition": r.definition,
                            "available": r.available} for r in report.rules],
            "total": report.city.as_dict(),
            "districts": [row.as_dict() for row in report.districts],
            "streets": [row.as_dict() for row in report.streets],
            "history": [{"year": int(row.code), **row.as_dict()} for row in report.history],
        })


class UncoveredCommunitySerializer(serializers.ModelSerializer):
    street_name = serializers.CharField(source="street.name", read_only=True)
    district_name = serializers.CharField(source="street.parent.name", read_only=True)

    class Meta:
        model = Community
        fields = ["id", "code", "name", "street", "street_name", "district_name"]


class UncoveredCommunitiesView(ListAPIView):
    """Communities in the caller's place with no 营造 action in the year."""

    serializer_class = UncoveredCommunitySerializer
    filter_backends = []

    @extend_schema(parameters=[YEAR_PARAM, DISTRICT_PARAM])
    def get(self, request, *args, **kwargs):
        selectors.require_coverage_viewer(request.user)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        year = selectors.parse_year(self.request.query_params.get("year"))
        return selectors.uncovered_communities(user=self.request.user, year=year, district=_district(self.request))
