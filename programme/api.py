"""The programme API: the same selectors and services as the pages."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from places.models import Community
from projects.access import get_application_for_management, get_project_for_finance
from projects.models import Project

from . import experts, library, selectors, services, stories
from .models import CaseStudy, CommunityStory, Expert, LearningRoute, RouteStop, TrainingCourse

# --- Coverage ---------------------------------------------------------------------

YEAR_PARAM = OpenApiParameter("year", int, description=gettext_lazy("年度（默认今年）"))
DISTRICT_PARAM = OpenApiParameter("district", int, description=gettext_lazy("区（市）县 id：给出其下各街道的覆盖率"))


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


# --- Expert pool --------------------------------------------------------------------


class ExpertSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.display_name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    regions = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    groups = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    reviews = serializers.IntegerField(read_only=True)
    supervisions = serializers.IntegerField(read_only=True)
    evaluations = serializers.IntegerField(read_only=True)
    workload = serializers.IntegerField(read_only=True)

    class Meta:
        model = Expert
        fields = ["id", "user", "name", "kind", "kind_label", "affiliation", "specialties", "categories", "regions",
                  "groups", "active", "reviews", "supervisions", "evaluations", "workload"]


class SuggestQuerySerializer(serializers.Serializer):
    role = serializers.ChoiceField(label=gettext_lazy("角色"), choices=sorted(experts.ROLES))
    project = serializers.IntegerField(label=gettext_lazy("项目 id"), required=False)
    application = serializers.IntegerField(label=gettext_lazy("申报书 id"), required=False)

    def validate(self, attrs):
        if bool(attrs.get("project")) == bool(attrs.get("application")):
            raise serializers.ValidationError(_("请给出项目或申报书（二选一）。"))
        if attrs["role"] == "reviewer" and not attrs.get("application"):
            raise serializers.ValidationError({"application": _("评审专家按申报书推荐。")})
        if attrs["role"] != "reviewer" and not attrs.get("project"):
            raise serializers.ValidationError({"project": _("督导和评估员按项目推荐。")})
        return attrs


class ExpertViewSet(viewsets.ReadOnlyModelViewSet):
    """The expert pool with current workload (bureau staff only)."""

    serializer_class = ExpertSerializer
    filterset_fields = ["kind", "active", "groups"]
    search_fields = ["user__real_name", "affiliation", "specialties"]
    ordering_fields = ["workload"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        experts.require_pool_viewer(request.user)

    def get_queryset(self):
        return experts.experts_for_user(self.request.user).order_by("workload", "pk")

    @extend_schema(parameters=[SuggestQuerySerializer], responses=ExpertSerializer(many=True))
    @action(detail=False)
    def suggest(self, request):
        """Who to assign: least busy first, conflicts of interest excluded."""
        query = SuggestQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        if data.get("application"):
            target = {"application": get_application_for_management(request.user, data["application"])}
        else:
            target = {"project": get_project_for_finance(request.user, data["project"])}
        found = experts.suggest_experts(role=data["role"], **target)
        return Response(ExpertSerializer(found, many=True).data)


class TeamSerializer(serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True)
    team_complete = serializers.BooleanField(read_only=True)
    missing = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = ["id", "title", "community", "community_name", "organization", "team_complete", "missing"]

    def get_missing(self, project) -> list[str]:
        return [p.value for p in experts.missing_positions(project)]


class IncompleteTeamsView(ListAPIView):
    """Running projects whose 1+1+1+1 supervision team is not complete."""

    serializer_class = TeamSerializer
    filter_backends = []

    def get(self, request, *args, **kwargs):
        experts.require_pool_viewer(request.user)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return experts.incomplete_teams(self.request.user)


# --- Community-building map ---------------------------------------------------------


class StorySerializer(serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True)
    street_name = serializers.CharField(source="community.street.name", read_only=True)
    district_name = serializers.CharField(source="community.street.parent.name", read_only=True)

    class Meta:
        model = CommunityStory
        fields = ["community", "community_name", "street_name", "district_name", "history", "culture", "specialties",
                  "resources", "outcomes", "lng", "lat", "updated_at"]
        read_only_fields = ["community", "updated_at"]


class StoryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
                   viewsets.GenericViewSet):
    """Community-building map pages, addressed by community id. Filters: `leverage`
    (营造支点), `dimension` (人文地景产), `q`. Its staff and the bureau covering it
    edit a community's page (PATCH)."""

    serializer_class = StorySerializer
    lookup_field = "community"
    http_method_names = ["get", "patch", "head", "options"]
    filter_backends = []

    def get_queryset(self):
        queryset = stories.stories_for_user(self.request.user)
        if self.action == "list":
            params = self.request.query_params
            queryset = stories.filter_stories(queryset, leverage=params.get("leverage", ""),
                                              dimension=params.get("dimension", ""), q=params.get("q", "")[:50])
        return queryset

    def update(self, request, *args, **kwargs):
        community = stories.get_community_for_story_edit(request.user, kwargs["community"])
        serializer = self.get_serializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        story = services.story_save(actor=request.user, community=community, data=serializer.validated_data)
        return Response(self.get_serializer(story).data)


class RouteStopSerializer(serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True)

    class Meta:
        model = RouteStop
        fields = ["order", "community", "community_name", "note"]


class RouteSerializer(serializers.ModelSerializer):
    stops = RouteStopSerializer(many=True, read_only=True)
    communities = serializers.PrimaryKeyRelatedField(queryset=Community.objects.all(), many=True, write_only=True,
                                                     label=gettext_lazy("社区 id（按顺序）"))
    notes = serializers.ListField(child=serializers.CharField(max_length=200, allow_blank=True), required=False,
                                  write_only=True, max_length=12)

    class Meta:
        model = LearningRoute
        fields = ["id", "name", "description", "stops", "communities", "notes", "updated_at"]


class RouteViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   viewsets.GenericViewSet):
    """Peer-learning routes: everyone reads them; bureau and street staff plan them."""

    serializer_class = RouteSerializer
    filter_backends = []

    def get_queryset(self):
        return stories.routes_for_user(self.request.user)

    def create(self, request, *args, **kwargs):
        stories.require_route_planner(request.user)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        route = services.route_save(actor=request.user, name=data["name"], description=data.get("description", ""),
                                    communities=data["communities"], notes=data.get("notes"))
        return Response(self.get_serializer(stories.get_route_for_user(request.user, route.pk)).data, status=201)


# --- Learning library ---------------------------------------------------------------


class CourseSerializer(serializers.ModelSerializer):
    days = serializers.IntegerField(read_only=True)
    materials = serializers.SerializerMethodField()

    class Meta:
        model = TrainingCourse
        fields = ["id", "title", "starts_on", "ends_on", "days", "location", "organizer", "audience", "participants",
                  "summary", "materials"]

    def get_materials(self, course) -> list[dict]:
        from django.urls import reverse

        return [{"name": m.name, "size": m.size, "url": reverse("programme:material_download", args=[course.pk, m.pk])}
                for m in course.materials.all()]


class CourseViewSet(viewsets.ReadOnlyModelViewSet):
    """Training courses (研修班) with their materials; the attendance list stays on the page for bureau staff."""

    serializer_class = CourseSerializer
    search_fields = ["title", "audience", "summary"]

    def get_queryset(self):
        return library.courses_for_user(self.request.user).prefetch_related("materials")


class CaseSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    tags = serializers.ListField(source="tag_list", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = CaseStudy
        fields = ["id", "kind", "kind_label", "title", "summary", "tags", "communities", "name", "size",
                  "download_url", "uploaded_at"]

    def get_download_url(self, case) -> str | None:
        from django.urls import reverse

        return reverse("programme:case_download", args=[case.pk]) if case.file else None


class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    """Cases and action-research reports. Filters: `q` (title, summary, tags,
    community), `kind`, `tag`."""

    serializer_class = CaseSerializer
    filter_backends = []

    def get_queryset(self):
        queryset = library.cases_for_user(self.request.user)
        if self.action == "list":
            params = self.request.query_params
            queryset = library.search_cases(queryset, q=params.get("q", "")[:50], kind=params.get("kind", ""),
                                            tag=params.get("tag", "")[:30])
        return queryset
