"""Every named URL × every role → the expected status, for GET.

The list of URLs comes from the URLconf itself: a new pattern that is not listed in
EXPECTED fails `test_every_url_is_in_the_matrix`, so nobody adds a page without
deciding who may open it. 302 = sent to log in, 403 = may see but not do (or no such
role), 404 = outside the user's scope, 405 = the URL only takes POST.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import ROLES

# Parts of the URLconf that are not ours to decide: Django's admin checks is_staff
# itself, set_language is a POST-only Django view.
EXCLUDED_PREFIXES = ("admin:",)
EXCLUDED_NAMES = {"set_language"}


def named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}{pattern.namespace}:"
            yield from named_patterns(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def everyone(status, **overrides):
    row = {role: status for role in ROLES}
    row["anonymous"] = overrides.pop("anonymous", 302)
    row.update(overrides)
    return row


PLACE_ROLES_200 = dict(admin=200, city_bureau=200, district_bureau=200, street=200, community=200)
NOT_IN_SCOPE_404 = dict(other_district_bureau=404, other_community=404, agency=404, other_agency=404,
                        reviewer=404, supervisor=404, evaluator=404, outsider=404)
DIRECTORY_403 = dict(agency=403, other_agency=403, reviewer=403, supervisor=403, evaluator=403, outsider=403)
ORG_PRIVATE_200 = dict(admin=200, city_bureau=200, district_bureau=200, agency=200)
ORG_PRIVATE_404 = dict(other_district_bureau=404, street=404, community=404, other_community=404,
                       other_agency=404, reviewer=404, supervisor=404, evaluator=404, outsider=404)
BUREAU_ONLY = dict(admin=200, city_bureau=200, district_bureau=200, other_district_bureau=200)

# name → (kwargs builder key, {role: status}[, "post"]). POST-only URLs are tried with
# an empty POST, after every GET, since a permitted POST changes data.
EXPECTED = {
    "home": (None, everyone(200)),
    "login": (None, everyone(302, anonymous=200)),
    "logout": (None, everyone(405, anonymous=405)),
    "password_change": (None, everyone(200)),
    "password_change_done": (None, everyone(200)),
    "shequ:community_list": (None, everyone(200, **DIRECTORY_403)),
    "shequ:community_detail": ("community", everyone(200, **NOT_IN_SCOPE_404)),
    "shequ:community_edit": ("community", everyone(200, street=403, **NOT_IN_SCOPE_404)),
    "shequ:community_merge": ("community", everyone(200, street=403, community=403, **NOT_IN_SCOPE_404)),
    "organizations:organization_list": (None, everyone(200)),
    "organizations:organization_create": (None, everyone(403, **BUREAU_ONLY)),
    "organizations:organization_detail": ("organization", everyone(200)),
    "organizations:organization_edit": ("organization", everyone(200, **ORG_PRIVATE_404)),
    "organizations:organization_members": ("organization", everyone(200, **ORG_PRIVATE_404)),
    "organizations:membership_remove": ("membership", everyone(302, **ORG_PRIVATE_404), "post"),
    # The API answers 403 (not a login redirect) to anonymous callers.
    "api:me": (None, everyone(200, anonymous=403)),
    "api:token": (None, everyone(405, anonymous=405)),
    "api:schema": (None, everyone(200, anonymous=403)),
    "api:docs": (None, everyone(200, anonymous=403)),
    "api:redoc": (None, everyone(200, anonymous=403)),
    "api:api-root": (None, everyone(200, anonymous=403)),
    "api:region-list": (None, everyone(200, anonymous=403)),
    "api:region-detail": ("region", everyone(200, anonymous=403)),
    "api:community-list": (None, everyone(200, anonymous=403, **DIRECTORY_403)),
    "api:community-detail": ("community", everyone(200, anonymous=403, **NOT_IN_SCOPE_404)),
    # An empty POST: allowed callers get the service's 400, not a merge.
    "api:community-merge": ("community", everyone(400, anonymous=403, street=403, community=403, **NOT_IN_SCOPE_404),
                            "post"),
    "api:organization-list": (None, everyone(200, anonymous=403)),
    "api:organization-detail": ("organization", everyone(200, anonymous=403)),
    "api:organization-members": ("organization", everyone(200, anonymous=403, **ORG_PRIVATE_404)),
}
for _name, (_key, _row, *_method) in EXPECTED.items():
    assert set(_row) == set(ROLES), _name


def test_every_url_is_in_the_matrix():
    names = {name for name, _ in named_patterns() if not name.startswith(EXCLUDED_PREFIXES)}
    names -= EXCLUDED_NAMES
    missing = sorted(names - set(EXPECTED))
    stale = sorted(set(EXPECTED) - names)
    assert not missing, f"URL patterns with no row in the permission matrix: {missing}"
    assert not stale, f"Matrix rows for URLs that no longer exist: {stale}"


@pytest.fixture
def url_kwargs(places, organizations, cast):
    rongxiang = organizations["rongxiang"]
    return {
        None: {},
        "community": {"pk": places.gaoqiao.pk},
        "organization": {"pk": rongxiang.pk},
        "membership": {"pk": rongxiang.pk, "membership_pk": rongxiang.memberships.get().pk},
        "region": {"pk": places.dujiangyan.pk},
    }


@pytest.mark.parametrize("role", ROLES)
def test_matrix(role, client_for, url_kwargs):
    client = client_for(role)
    failures = []
    rows = sorted(EXPECTED.items(), key=lambda item: len(item[1]) == 3)
    for name, (key, row, *method) in rows:
        url = reverse(name, kwargs=url_kwargs[key])
        response = client.post(url) if method else client.get(url)
        if response.status_code != row[role]:
            failures.append(f"{name}: expected {row[role]}, got {response.status_code}")
    assert not failures, f"{role}:\n" + "\n".join(failures)
