"""The programme's rows of the permission matrix (tests/test_permission_matrix.py
merges them), and the objects those rows open."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import ROLES


def everyone(status, **overrides):
    row = {role: status for role in ROLES}
    row["anonymous"] = overrides.pop("anonymous", 302)
    row.update(overrides)
    return row


PLACE_ROLES = ("admin", "city_bureau", "district_bureau", "other_district_bureau", "street", "community",
               "other_community")
PLACES_200 = {role: 200 for role in PLACE_ROLES}

BUREAU_200 = {role: 200 for role in ("admin", "city_bureau", "district_bureau", "other_district_bureau")}
# Project P of the main matrix: hidden from these roles (404); its funder is the city.
PROJECT_HIDDEN = ("other_district_bureau", "other_community", "other_agency", "reviewer", "outsider")
FUNDER = ("admin", "city_bureau")


def project_row(*, funder, visible=403, anonymous=302):
    row = {role: visible for role in ROLES}
    row.update({role: 404 for role in PROJECT_HIDDEN})
    row.update({role: funder for role in FUNDER})
    row["anonymous"] = anonymous
    return row


PROGRAMME_EXPECTED = {
    # Coverage: staff of a place see their place's figures; roles without a place 403.
    "programme:coverage": (None, everyone(403, **PLACES_200)),
    "programme:coverage_settings": (None, everyone(403, **BUREAU_200)),
    "api:coverage": (None, everyone(403, anonymous=401, **PLACES_200)),
    "api:coverage-uncovered": (None, everyone(403, anonymous=401, **PLACES_200)),
    # The expert pool and its workload: bureau staff.
    "programme:expert_list": (None, everyone(403, **BUREAU_200)),
    "programme:expert_create": (None, everyone(403, admin=200, city_bureau=200)),
    "programme:expert_edit": ("programme_expert", everyone(403, admin=200, city_bureau=200)),
    "programme:team_list": (None, everyone(403, **BUREAU_200)),
    "programme:team_detail": ("project", project_row(funder=200)),
    "api:expert-list": (None, everyone(403, anonymous=401, **BUREAU_200)),
    "api:expert-detail": ("programme_expert", everyone(403, anonymous=401, **BUREAU_200)),
    # No role/project given: the bureau gets the 400 with field errors.
    "api:expert-suggest": (None, everyone(403, anonymous=401, **{r: 400 for r in BUREAU_200})),
    "api:team-incomplete": (None, everyone(403, anonymous=401, **BUREAU_200)),
    # The map is for peer learning: every signed-in user reads it. 高桥's staff and the
    # bureau covering it keep its page; out of their scope 404, street staff 403.
    "programme:story_map": (None, everyone(200)),
    "programme:story_detail": ("programme_story", everyone(200)),
    "programme:story_edit": ("programme_story", everyone(404, admin=200, city_bureau=200, district_bureau=200,
                                                         community=200, street=403)),
    "programme:route_detail": ("programme_route", everyone(200)),
    "programme:route_create": (None, everyone(403, street=200, **BUREAU_200)),
    "programme:route_edit": ("programme_route", everyone(403, admin=200, city_bureau=200)),
    "api:story-list": (None, everyone(200, anonymous=401)),
    "api:story-detail": ("programme_api_story", everyone(200, anonymous=401)),
    "api:route-list": (None, everyone(200, anonymous=401)),
    "api:route-detail": ("programme_route", everyone(200, anonymous=401)),
    # The library: everyone signed in learns from it; bureau staff keep it.
    "programme:library": (None, everyone(200)),
    "programme:course_create": (None, everyone(403, **BUREAU_200)),
    "programme:course_detail": ("programme_course", everyone(200)),
    "programme:material_download": ("programme_material", everyone(200)),
    "programme:case_create": (None, everyone(403, **BUREAU_200)),
    "programme:case_detail": ("programme_case", everyone(200)),
    "programme:case_download": ("programme_case", everyone(200)),
    "api:course-list": (None, everyone(200, anonymous=401)),
    "api:course-detail": ("programme_course", everyone(200, anonymous=401)),
    "api:case-list": (None, everyone(200, anonymous=401)),
    "api:case-detail": ("programme_case", everyone(200, anonymous=401)),
    # Empty POSTs: the keeper is sent back with a message (302) or gets the form again (400).
    "programme:course_material_add": ("programme_course", everyone(403, **{r: 302 for r in BUREAU_200}), "post"),
    "programme:course_attendance_add": ("programme_course", everyone(403, **{r: 400 for r in BUREAU_200}), "post"),
}


def programme_url_kwargs(*, places, cast, project) -> dict:
    from programme import services

    expert = services.expert_save(actor=cast["city_bureau"], user=cast["supervisor"], kind="social_worker",
                                  regions=[places.dujiangyan])
    for community in (places.gaoqiao, places.nanqiao):
        services.story_save(actor=None, community=community, data={"history": "示例"})
    route = services.route_save(actor=cast["city_bureau"], name="路线", communities=[places.gaoqiao, places.nanqiao])
    course = services.course_save(actor=cast["city_bureau"], title="研修班", audience="社区书记", participants=300,
                                  starts_on=datetime.date(2016, 4, 11), ends_on=datetime.date(2016, 4, 13))
    material = services.course_material_add(actor=cast["city_bureau"], course=course,
                                            upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"))
    case = services.case_save(actor=cast["city_bureau"], title="案例", summary="摘要",
                              upload=SimpleUploadedFile("b.pdf", b"%PDF-1.4 y"))
    return {
        "programme_course": {"pk": course.pk},
        "programme_material": {"pk": course.pk, "material_pk": material.pk},
        "programme_case": {"pk": case.pk},
        "programme_expert": {"pk": expert.pk},
        "programme_story": {"community_pk": places.gaoqiao.pk},
        "programme_api_story": {"community": places.gaoqiao.pk},
        "programme_route": {"pk": route.pk},
    }
