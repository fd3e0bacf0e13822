"""The programme's rows of the permission matrix (tests/test_permission_matrix.py
merges them), and the objects those rows open."""

from tests.conftest import ROLES


def everyone(status, **overrides):
    row = {role: status for role in ROLES}
    row["anonymous"] = overrides.pop("anonymous", 302)
    row.update(overrides)
    return row


PLACE_ROLES = ("admin", "city_bureau", "district_bureau", "other_district_bureau", "street", "community",
               "other_community")
PLACES_200 = {role: 200 for role in PLACE_ROLES}

PROGRAMME_EXPECTED = {
    # Coverage: staff of a place see their place's figures; roles without a place 403.
    "programme:coverage": (None, everyone(403, **PLACES_200)),
    "api:coverage": (None, everyone(403, anonymous=403, **PLACES_200)),
    "api:coverage-uncovered": (None, everyone(403, anonymous=403, **PLACES_200)),
}


def programme_url_kwargs(*, places, cast, project) -> dict:
    return {}
