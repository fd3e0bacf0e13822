"""Reads of the learning library. Courses, materials and cases are for everyone
signed in to learn from; a course's attendance list names people, so only bureau
staff read it."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from places.access import scope_for

from .models import CaseStudy, CourseMaterial, TrainingCourse


def _signed_in(user) -> bool:
    return getattr(user, "is_authenticated", False)


def courses_for_user(user) -> QuerySet[TrainingCourse]:
    if not _signed_in(user):
        return TrainingCourse.objects.none()
    return TrainingCourse.objects.annotate(material_count=Count("materials", distinct=True)).order_by(
        "-starts_on", "-pk"
    )


def get_course_for_user(user, pk) -> TrainingCourse:
    try:
        return courses_for_user(user).get(pk=pk)
    except (TrainingCourse.DoesNotExist, ValueError, TypeError):
        raise Http404(_("未找到该研修班。")) from None


def can_keep_library(user) -> bool:
    return scope_for(user).is_bureau


def require_library_keeper(user) -> None:
    if not can_keep_library(user):
        raise PermissionDenied(_("只有民政局工作人员可以登记研修班和案例。"))


def can_see_attendance(user) -> bool:
    return can_keep_library(user)


def get_course_for_edit(user, pk) -> TrainingCourse:
    course = get_course_for_user(user, pk)
    require_library_keeper(user)
    return course


def get_material_for_user(user, course_pk, pk) -> CourseMaterial:
    course = get_course_for_user(user, course_pk)
    try:
        return course.materials.get(pk=pk)
    except (CourseMaterial.DoesNotExist, ValueError, TypeError):
        raise Http404(_("未找到该资料。")) from None


def cases_for_user(user) -> QuerySet[CaseStudy]:
    if not _signed_in(user):
        return CaseStudy.objects.none()
    return CaseStudy.objects.prefetch_related("communities")


def search_cases(queryset: QuerySet[CaseStudy], *, q: str = "", kind: str = "", tag: str = "") -> QuerySet[CaseStudy]:
    if q:
        queryset = queryset.filter(Q(title__icontains=q) | Q(summary__icontains=q) | Q(tags__icontains=q)
                                   | Q(communities__name__icontains=q)).distinct()
    if kind in CaseStudy.Kind.values:
        queryset = queryset.filter(kind=kind)
    if tag:
        queryset = queryset.filter(tags__icontains=tag)
    return queryset


def get_case_for_user(user, pk) -> CaseStudy:
    try:
        return cases_for_user(user).get(pk=pk)
    except (CaseStudy.DoesNotExist, ValueError, TypeError):
        raise Http404(_("未找到该案例。")) from None
