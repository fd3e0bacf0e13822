"""Writes of the programme app. Every one checks the actor, writes an audit row and
lets the database constraints be the final guard."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit import services as audit
from places.access import scope_for
from places.models import Community, Region
from projects.models import LeveragePoint

from .library import can_keep_library
from .models import (
    CaseStudy,
    CommunityStory,
    CourseAttendee,
    CourseMaterial,
    CoverageRule,
    CoverageTarget,
    Expert,
    ExpertGroup,
    LearningRoute,
    RouteStop,
    TrainingCourse,
)
from .selectors import coverage_years
from .stories import can_edit_route, can_edit_story, can_plan_routes
from .uploads import check_upload


def _require_city_bureau(actor: User) -> None:
    if not scope_for(actor).city_wide:
        raise PermissionDenied(_("只有市民政局工作人员可以修改全市口径与目标。"))


# --- Coverage ---------------------------------------------------------------------


@transaction.atomic
def coverage_rule_save(*, actor: User | None, source: str, label: str, definition: str, active: bool = True,
                       order: int = 0) -> CoverageRule:
    """Create or change the rule for one evidence source (the definition shown on the
    coverage page). A source no installed app provides may be recorded, and shows as
    pending until that app lands."""
    if actor is not None:
        _require_city_bureau(actor)
    if not source or not source.isascii() or not source.replace("_", "").isalnum() or len(source) > 32:
        raise ValidationError({"source": _("数据来源代码只能由英文字母、数字和下划线组成，最长 32 位。")})
    if not label.strip() or not definition.strip():
        raise ValidationError(_("名称和口径说明都必须填写。"))
    rule = CoverageRule.objects.select_for_update().filter(source=source).first()
    before = None if rule is None else ("on" if rule.active else "off")
    if rule is None:
        rule = CoverageRule(source=source)
    rule.label, rule.definition, rule.active, rule.order = label.strip()[:50], definition.strip()[:500], active, order
    rule.full_clean()
    rule.save()
    audit.record(actor=actor, obj=rule, action="coverage.rule", from_state=before or "",
                 to_state="on" if active else "off", data={"definition": rule.definition})
    return rule


@transaction.atomic
def coverage_target_set(*, actor: User | None, year: int, region: Region, percent) -> CoverageTarget:
    """Set (or change) a region's target for a year. The city sets its own and the
    districts'; a district's bureau staff may set their district's and its streets'."""
    if actor is not None:
        scope = scope_for(actor)
        district_id = region.pk if region.level == Region.Level.DISTRICT else region.parent_id
        if not (scope.city_wide or (region.level != Region.Level.CITY and scope.covers_district(district_id))):
            raise PermissionDenied(_("您只能设定本辖区的覆盖率目标。"))
    if year not in coverage_years():
        raise ValidationError({"year": _("年度须在 %(a)s–%(b)s 之间。") % {
            "a": coverage_years().start, "b": coverage_years().stop - 1}})
    try:
        value = Decimal(str(percent))
    except (InvalidOperation, ValueError):
        raise ValidationError({"percent": _("请输入 0–100 之间的数字。")}) from None
    if not value.is_finite() or not Decimal("0") <= value <= Decimal("100"):
        raise ValidationError({"percent": _("目标覆盖率须在 0–100 之间。")})
    target = CoverageTarget.objects.select_for_update().filter(year=year, region=region).first()
    before = "" if target is None else str(target.percent)
    try:
        with transaction.atomic():
            target, _created = CoverageTarget.objects.update_or_create(year=year, region=region,
                                                                       defaults={"percent": value})
    except IntegrityError:
        raise ValidationError(_("目标保存失败，请刷新后重试。")) from None
    audit.record(actor=actor, obj=target, action="coverage.target", from_state=before, to_state=str(value))
    return target


# --- Expert pool --------------------------------------------------------------------


@transaction.atomic
def expert_save(*, actor: User | None, user: User, kind: str, affiliation: str = "", specialties: str = "",
                categories: list[str] | None = None, regions=(), active: bool = True) -> Expert:
    """Put a user in the expert pool, or change their entry. The pool is the city's:
    city bureau staff keep it."""
    if actor is not None:
        _require_city_bureau(actor)
    if kind not in Expert.Kind.values:
        raise ValidationError({"kind": _("请选择专家类别。")})
    categories = list(dict.fromkeys(categories or []))
    if any(code not in LeveragePoint.values for code in categories):
        raise ValidationError({"categories": _("项目类别须是六个营造支点之一。")})
    regions = list(regions)
    if any(region.level != Region.Level.DISTRICT for region in regions):
        raise ValidationError({"regions": _("服务区域须是区（市）县。")})
    # The user's row lock makes two simultaneous first saves queue instead of one
    # failing on the one-to-one constraint.
    User.objects.select_for_update().filter(pk=user.pk).first()
    expert = Expert.objects.select_for_update().filter(user=user).first()
    before = "" if expert is None else expert.kind
    expert = expert or Expert(user=user)
    expert.kind, expert.affiliation, expert.specialties = kind, affiliation.strip(), specialties.strip()
    expert.categories, expert.active = categories, active
    expert.full_clean()
    expert.save()
    expert.regions.set(regions)
    audit.record(actor=actor, obj=expert, action="expert.save", from_state=before, to_state=kind,
                 data={"active": active, "regions": [r.code for r in regions], "categories": categories})
    return expert


@transaction.atomic
def expert_group_save(*, actor: User | None, name: str, members, region: Region | None = None,
                      category: str = "", note: str = "") -> ExpertGroup:
    """Form (or re-form) a mutual-help group by region and project category."""
    if actor is not None:
        _require_city_bureau(actor)
    if not name.strip() or len(name.strip()) > 50:
        raise ValidationError({"name": _("小组名称须为 1–50 个字。")})
    if category and category not in LeveragePoint.values:
        raise ValidationError({"category": _("项目类别须是六个营造支点之一。")})
    if region is not None and region.level != Region.Level.DISTRICT:
        raise ValidationError({"region": _("小组区域须是区（市）县。")})
    members = list(members)
    if any(not m.active for m in members):
        raise ValidationError({"members": _("已出库的专家不能加入小组。")})
    group, _created = ExpertGroup.objects.select_for_update().get_or_create(name=name.strip())
    group.region, group.category, group.note = region, category, note.strip()[:200]
    group.full_clean()
    group.save()
    group.members.set(members)
    audit.record(actor=actor, obj=group, action="expert_group.save",
                 data={"members": [m.user.username for m in members], "category": category,
                       "region": getattr(region, "code", None)})
    return group


# --- Community-building map ---------------------------------------------------------

STORY_FIELDS = ("history", "culture", "specialties", "resources", "outcomes", "lng", "lat")


@transaction.atomic
def story_save(*, actor: User | None, community: Community, data: dict) -> CommunityStory:
    """Write a community's map page. Its staff and the bureau covering it keep it; a
    point must be inside Chengdu and come with both coordinates."""
    if actor is not None and not can_edit_story(actor, community):
        raise PermissionDenied(_("只有本社区工作人员和管辖的民政局工作人员可以编辑营造地图档案。"))
    if not community.is_active:
        raise ValidationError(_("已并入其他社区的社区不能再编辑营造地图档案。"))
    Community.objects.select_for_update().filter(pk=community.pk).first()
    story = CommunityStory.objects.filter(community=community).first() or CommunityStory(community=community)
    changed = []
    for field in STORY_FIELDS:
        if field in data:
            value = data[field]
            if isinstance(value, str):
                value = value.strip()
            if getattr(story, field) != value:
                changed.append(field)
            setattr(story, field, value)
    if (story.lng is None) != (story.lat is None):
        raise ValidationError({"lat": _("经度和纬度须同时填写或同时留空。")})
    story.updated_by = actor
    story.full_clean()
    story.save()
    audit.record(actor=actor, obj=story, action="story.save", data={"fields": changed})
    return story


@transaction.atomic
def route_save(*, actor: User | None, name: str, communities: list, description: str = "",
               notes: list[str] | None = None, route: LearningRoute | None = None) -> LearningRoute:
    """Create a learning route, or replace an existing route's stops, in the order given."""
    if actor is not None:
        if route is None and not can_plan_routes(actor):
            raise PermissionDenied(_("只有民政局和街道工作人员可以编排学习路线。"))
        if route is not None and not can_edit_route(actor, route):
            raise PermissionDenied(_("只有路线编排人和市民政局工作人员可以修改路线。"))
    name = name.strip()
    if not name or len(name) > 100:
        raise ValidationError({"name": _("路线名称须为 1–100 个字。")})
    communities = list(communities)
    if not 2 <= len(communities) <= 12:
        raise ValidationError({"communities": _("一条路线须包含 2–12 个社区。")})
    if len({c.pk for c in communities}) != len(communities):
        raise ValidationError({"communities": _("同一社区在路线中只能出现一次。")})
    without_story = [c.name for c in communities if not CommunityStory.objects.filter(community=c).exists()]
    if without_story:
        raise ValidationError({"communities": _("以下社区还没有营造地图档案：%(names)s。") % {
            "names": _("、").join(without_story)}})
    notes = list(notes or [])
    if route is None:
        route = LearningRoute(created_by=actor)
    else:
        route = LearningRoute.objects.select_for_update().get(pk=route.pk)
    route.name, route.description = name, description.strip()[:500]
    route.full_clean()
    route.save()
    route.stops.all().delete()
    RouteStop.objects.bulk_create(RouteStop(route=route, community=c, order=i + 1,
                                            note=(notes[i] if i < len(notes) else "").strip()[:200])
                                  for i, c in enumerate(communities))
    audit.record(actor=actor, obj=route, action="route.save", data={"stops": [c.code for c in communities]})
    return route


# --- Learning library ---------------------------------------------------------------


def _require_keeper(actor: User | None) -> None:
    if actor is not None and not can_keep_library(actor):
        raise PermissionDenied(_("只有民政局工作人员可以登记研修班和案例。"))


@transaction.atomic
def course_save(*, actor: User | None, title: str, starts_on, ends_on, audience: str, participants: int = 0,
                location: str = "", organizer: str = "", summary: str = "",
                course: TrainingCourse | None = None) -> TrainingCourse:
    _require_keeper(actor)
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})
    if starts_on and not datetime.date(2000, 1, 1) <= starts_on <= timezone.localdate() + datetime.timedelta(days=730):
        raise ValidationError({"starts_on": _("开始日期不合理（2000 年至今后两年之间）。")})
    if ends_on and starts_on and (ends_on - starts_on).days > 366:
        raise ValidationError({"ends_on": _("一期研修班不超过一年。")})
    course = course or TrainingCourse(created_by=actor)
    before = "" if course.pk is None else course.title
    course.title, course.starts_on, course.ends_on = title.strip(), starts_on, ends_on
    course.audience, course.participants = audience.strip(), participants
    course.location, course.organizer, course.summary = location.strip(), organizer.strip(), summary.strip()
    course.full_clean()
    course.save()
    audit.record(actor=actor, obj=course, action="course.save", from_state=before[:32],
                 data={"participants": participants, "starts_on": str(starts_on), "ends_on": str(ends_on)})
    return course


@transaction.atomic
def course_material_add(*, actor: User | None, course: TrainingCourse, upload) -> CourseMaterial:
    _require_keeper(actor)
    content_type = check_upload(upload)
    course = TrainingCourse.objects.select_for_update().get(pk=course.pk)
    material = CourseMaterial.objects.create(course=course, file=upload, name=upload.name[:200], size=upload.size,
                                             content_type=content_type, uploaded_by=actor)
    audit.record(actor=actor, obj=course, action="course.material", data={"file": material.name})
    return material


MAX_ATTENDEE_LINES = 1000


def parse_attendance(text: str) -> list[tuple[str, str, str]]:
    """Lines of "姓名,单位,职务" (Chinese or ASCII commas, or tabs pasted from a sheet)."""
    rows, errors = [], []
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) > MAX_ATTENDEE_LINES:
        raise ValidationError({"lines": _("一次最多登记 %(n)s 人。") % {"n": MAX_ATTENDEE_LINES}})
    for number, line in enumerate(lines, start=1):
        parts = [p.strip() for p in line.replace("，", ",").replace("\t", ",").split(",")]
        name, organization, position = (parts + ["", "", ""])[:3]
        if not name or len(name) > 50 or len(organization) > 100 or len(position) > 50 or len(parts) > 3:
            errors.append(str(number))
            continue
        rows.append((name, organization, position))
    if errors:
        raise ValidationError({"lines": _("第 %(lines)s 行格式不对：每行“姓名,单位,职务”，姓名必填且不超过 50 字。") % {
            "lines": _("、").join(errors[:10])}})
    return rows


@transaction.atomic
def course_attendance_add(*, actor: User | None, course: TrainingCourse, text: str) -> int:
    """Add names to the attendance list; a name already listed for the same unit is
    skipped, so pasting the same sheet twice changes nothing. Returns how many were new."""
    _require_keeper(actor)
    rows = parse_attendance(text)
    course = TrainingCourse.objects.select_for_update().get(pk=course.pk)
    existing = set(course.attendees.values_list("name", "organization"))
    new = []
    for name, organization, position in rows:
        if (name, organization) not in existing:
            existing.add((name, organization))
            new.append(CourseAttendee(course=course, name=name, organization=organization, position=position))
    CourseAttendee.objects.bulk_create(new, ignore_conflicts=True)
    audit.record(actor=actor, obj=course, action="course.attendance", data={"added": len(new)})
    return len(new)


@transaction.atomic
def case_save(*, actor: User | None, title: str, summary: str, kind: str = CaseStudy.Kind.CASE, tags: str = "",
              communities=(), projects=(), upload=None, case: CaseStudy | None = None) -> CaseStudy:
    _require_keeper(actor)
    if kind not in CaseStudy.Kind.values:
        raise ValidationError({"kind": _("请选择类型。")})
    content_type = check_upload(upload, field="upload") if upload is not None else None
    case = case or CaseStudy(uploaded_by=actor)
    case.kind, case.title, case.summary, case.tags = kind, title.strip(), summary.strip(), tags.strip()
    if upload is not None:
        case.file, case.name, case.size, case.content_type = upload, upload.name[:200], upload.size, content_type
    case.full_clean(exclude=["file"])
    case.save()
    case.communities.set(list(communities))
    case.projects.set(list(projects))
    audit.record(actor=actor, obj=case, action="case.save", data={"file": case.name, "tags": case.tags})
    return case
