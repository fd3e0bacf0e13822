"""Who may request and download which reports.

City-wide and district reports are the bureau's: a report covers a region (the city or
one district) and is readable by bureau staff whose scope covers that region. A project
dossier is readable by whoever can see the project. Outside: 404.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from places.access import scope_for
from places.models import Region
from projects.access import projects_for_user
from web.access import get_in_scope
from web.archive import LIVE

from .models import Report


def reports_for_user(user) -> QuerySet[Report]:
    if not getattr(user, "is_authenticated", False):
        return Report.objects.none()
    scope = scope_for(user)
    q = Q(requested_by=user)
    if scope.city_wide:
        q |= Q(project__isnull=True)
    elif scope.bureau_district_ids:
        q |= Q(project__isnull=True, scope_region_id__in=scope.bureau_district_ids)
    q |= Q(project__in=projects_for_user(user).values("pk"))
    return Report.objects.filter(q, LIVE)


def reports_managed_by(user) -> QuerySet[Report]:
    """Reports (archived or not) bureau staff may archive: the bureau's own scope —
    city-wide or district reports of its regions, and reports they requested."""
    scope = scope_for(user)
    if not scope.is_bureau:
        return Report.objects.none()
    if scope.city_wide:
        return Report.objects.all()
    return Report.objects.filter(Q(requested_by=user) | Q(scope_region_id__in=scope.bureau_district_ids))


def register_archive() -> None:
    from django.urls import reverse
    from django.utils.translation import gettext_lazy

    from web import archive

    archive.register(Report, kind="report", label=gettext_lazy("报表"), order=60,
                     visible=reports_for_user, managed=reports_managed_by,
                     url=lambda r: reverse("reports:report_detail", args=[r.pk]))


def get_report_for_user(user, pk) -> Report:
    return get_in_scope(
        reports_for_user(user).select_related("scope_region", "requested_by"),
        pk,
        _("未找到该报表，或不在您的权限范围内。"),
    )


def report_regions_for_user(user) -> QuerySet[Region]:
    """The regions a user may request reports for."""
    scope = scope_for(user)
    regions = Region.objects.filter(level__in=[Region.Level.CITY, Region.Level.DISTRICT])
    if scope.city_wide:
        return regions.order_by("code")
    return regions.filter(pk__in=scope.bureau_district_ids).order_by("code")


def require_report_region(user, region: Region) -> None:
    if not report_regions_for_user(user).filter(pk=region.pk).exists():
        raise PermissionDenied(_("您只能申请本级民政局管辖范围的报表。"))
