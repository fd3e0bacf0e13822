"""Issue #13, generated: no API list answers depending on a field the caller may not see.

Walks every list endpoint under /api/ (from the URLconf), and for each one tries every
filter of its filterset (each choice, a few numbers, dataset ids, the hidden strings), every
ordering term its ordering filter accepts, and `search` with the hidden strings.

The hidden fields (the field rules of the access modules) are: review scores
(projects.access.can_see_scores), evaluation total and grade before publication
(assessments.access.can_see_results), organisations' contact details
(organizations.access.can_see_private) and reviewer identity
(projects.access.can_see_reviewer_identity). The dataset is built twice over in one
test: A, then B = A with the hidden values swapped between rows (an involution). A
request whose ids or order differ between A and B depends on a hidden field.

1. Probe: the city bureau, the funder (who sees every row), runs every parameter on A and B;
   the parameters whose answers differ are the sensitive ones. Every role reaches only
   rows the probe reaches (asserted), so a parameter whose answer doesn't move for the
   probe can't move for a role either.
2. Every demo role then runs each sensitive parameter on A and B (per hidden field):
   the answer is a 400 (refused), or identical, or the role may see that hidden field on
   every row of the dataset it can reach.
"""
import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django_filters import filters as df
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from assessments import access as assessment_access
from assessments.models import Evaluation
from organizations import access as org_access
from organizations.models import Organization
from projects import access as project_access
from projects.models import Application, ReviewSheet
from tests.assessments.fixtures import evaluation, evaluators, project, ratio, rubric, score_all  # noqa: F401
from tests.projects.fixtures import (  # noqa: F401
    _eager_celery,
    build,
    funding_round,
    review_form,
    score_sheet,
    second_reviewer,
)
from web.api import StrictOrderingFilter

pytestmark = pytest.mark.django_db
ROLES = ["city_bureau", "district_bureau", "other_district_bureau", "street", "community", "other_community",
         "agency", "other_agency", "reviewer", "second_reviewer", "supervisor", "evaluator", "evaluator2"]
PROBES = ["city_bureau"]
NUMBERS = ["0", "55", "70", "85", "100"]


def list_endpoints():
    """(path, viewset class) for every list route under /api/, from the URLconf."""
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern.callback

    found = {}
    for route, callback in walk(get_resolver().url_patterns):
        actions = getattr(callback, "actions", None) or {}
        if route.startswith("api/") and actions.get("get") == "list" and "(?P<format>" not in route:
            path = "/" + route.replace("^", "").replace("$", "")
            found[path] = callback.cls
    return sorted(found.items())


def _view(cls, user):
    view = cls()
    view.action, view.kwargs, view.format_kwarg = "list", {}, None
    view.request = Request(APIRequestFactory().get("/"))
    view.request.user = user
    return view


def parameters(cls, user, strings):
    """Every (name, value) the list's filters, ordering and search accept."""
    view = _view(cls, user)
    queryset = view.get_queryset()
    params = []
    filterset_class = DjangoFilterBackend().get_filterset_class(view, queryset)
    for name, flt in (filterset_class.base_filters.items() if filterset_class else []):
        if isinstance(flt, df.OrderingFilter):
            params += [(name, value) for value, _label in flt.extra["choices"]]
        elif isinstance(flt, df.ChoiceFilter | df.MultipleChoiceFilter) and "choices" in flt.extra:
            choices = flt.extra["choices"]
            params += [(name, value) for value, _label in (choices() if callable(choices) else choices) if value]
        elif isinstance(flt, df.ModelChoiceFilter | df.ModelMultipleChoiceFilter):
            related = flt.queryset(view.request) if callable(flt.queryset) else flt.queryset
            params += [(name, pk) for pk in related.order_by("-pk").values_list("pk", flat=True)[:3]]
        elif isinstance(flt, df.BooleanFilter):
            params += [(name, "true"), (name, "false")]
        elif isinstance(flt, df.NumberFilter):
            params += [(name, n) for n in NUMBERS]
        else:
            params += [(name, s) for s in strings]
    context = {"request": view.request}
    terms = {term for term, _label in StrictOrderingFilter().get_valid_fields(queryset, view, context)}
    if getattr(view, "serializer_class", None):  # and every serializer field, which DRF would order by
        terms |= {term for term, _label in OrderingFilter().get_default_valid_fields(queryset, view, context)}
    params += [("ordering", f"-{term}") for term in sorted(terms)]
    params += [("search", s) for s in strings]
    return params


def answer(client, path, params=None):
    response = client.get(path, params or {})
    if response.status_code == 400:
        return 400
    assert response.status_code == 200, (path, params, response.status_code, response.content[:300])
    body = response.json()
    rows = body["results"] if isinstance(body, dict) and "results" in body else body
    return [row.get("id", row.get("pk")) if isinstance(row, dict) else row for row in rows]


@pytest.fixture
def dataset(build, cast, places, organizations, second_reviewer, evaluation, evaluators):  # noqa: F811
    """Two scored applications in review, two evaluations with draft results, two
    organisations with contacts, two named reviewers — each pair swappable."""
    from assessments import services as assessment_services

    low = build(Application.Status.IN_REVIEW, title="低分", reviewers=[cast["reviewer"], second_reviewer])
    high = build(Application.Status.IN_REVIEW, title="高分", community=places.nanqiao,
                 reviewers=[cast["reviewer"], second_reviewer])
    score_sheet(low.review_sheets.get(reviewer=cast["reviewer"]), 5)
    score_sheet(high.review_sheets.get(reviewer=cast["reviewer"]), 9)
    for e in evaluators:
        score_all(evaluation.sheets.get(evaluator=e), ratio("0.8"))
    first = assessment_services.evaluation_close_scoring(evaluation=evaluation, actor=evaluators[0])
    second = Evaluation.objects.create(project=first.project, rubric=first.rubric, stage=Evaluation.Stage.FINAL,
                                       status=Evaluation.Status.FEEDBACK, scheduled_on=datetime.date(2016, 12, 1),
                                       total=Decimal("62.50"), grade="pass" if first.grade != "pass" else "good")
    rongxiang, lelin = organizations["rongxiang"], organizations["lelin"]
    Organization.objects.filter(pk=rongxiang.pk).update(contact_name="甲联系人", contact_phone="13800000001")
    Organization.objects.filter(pk=lelin.pk).update(contact_name="乙联系人", contact_phone="13900000002")
    for user, name in ((cast["reviewer"], "评审甲"), (second_reviewer, "评审乙")):
        user.real_name = name
        user.save(update_fields=["real_name"])
    sheets = [low.review_sheets.get(reviewer=cast["reviewer"]), high.review_sheets.get(reviewer=cast["reviewer"])]
    return {"applications": [low, high], "sheets": sheets, "evaluations": [first, second],
            "organizations": [rongxiang, lelin], "reviewers": [cast["reviewer"], second_reviewer]}


def _swap(model, rows, fields):
    a, b = (model.objects.get(pk=row.pk) for row in rows)
    for field in fields:
        va, vb = getattr(a, field), getattr(b, field)
        model.objects.filter(pk=a.pk).update(**{field: vb})
        model.objects.filter(pk=b.pk).update(**{field: va})


def _reachable(queryset, rows):
    ids = set(queryset.filter(pk__in=[r.pk for r in rows]).values_list("pk", flat=True))
    return [row for row in rows if row.pk in ids]


HIDDEN = {
    "review scores": (
        lambda d: _swap(ReviewSheet, d["sheets"], ["total"]),
        lambda user, d: all(project_access.can_see_scores(user, a) for a in _reachable(
            project_access.applications_for_user(user), d["applications"]))),
    "evaluation results": (
        lambda d: _swap(Evaluation, d["evaluations"], ["total", "grade", "category_scores"]),
        lambda user, d: all(assessment_access.can_see_results(user, e) for e in _reachable(
            assessment_access.evaluations_for_user(user), d["evaluations"]))),
    "contact details": (
        lambda d: _swap(Organization, d["organizations"], ["contact_name", "contact_phone"]),
        lambda user, d: all(org_access.can_see_private(user, o) for o in d["organizations"])),
    "reviewer identity": (
        lambda d: _swap(type(d["reviewers"][0]), d["reviewers"], ["real_name"]),
        lambda user, d: all(project_access.can_see_reviewer_identity(user, a) for a in _reachable(
            project_access.applications_for_user(user), d["applications"]))),
}
STRINGS = ["甲联系人", "13800000001", "评审甲", "甲"]


def test_no_list_answer_depends_on_a_field_the_caller_cannot_see(dataset, cast, second_reviewer):
    users = {**cast, "second_reviewer": second_reviewer,
             "evaluator2": type(second_reviewer).objects.get(username="evaluator2")}
    clients = {}
    for role in set(ROLES) | set(PROBES):
        clients[role] = Client()
        clients[role].force_login(users[role])
    endpoints = list_endpoints()
    assert len(endpoints) >= 25, endpoints
    candidates = {path: parameters(cls, users["admin"], STRINGS) for path, cls in endpoints}
    assert sum(map(len, candidates.values())) > 100

    # Every role reaches only rows the probe reaches.
    for path, cls in endpoints:
        probe_rows = set().union(*(set(_view(cls, users[p]).get_queryset().values_list("pk", flat=True))
                                   for p in PROBES))
        for role in ROLES:
            rows = set(_view(cls, users[role]).get_queryset().values_list("pk", flat=True))
            assert rows <= probe_rows, (role, path, rows - probe_rows)

    def probe_all():
        return {(p, path, param): answer(clients[p], path, dict([param]))
                for path, params in candidates.items() for param in params for p in PROBES}

    def swap_all():
        for swap, _visible in HIDDEN.values():
            swap(dataset)

    before = probe_all()
    swap_all()
    after = probe_all()
    swap_all()
    sensitive = sorted({(path, param) for (p, path, param), ids in before.items() if after[(p, path, param)] != ids})
    # The method sees what it must: scores and grades do move the funder's answers.
    assert ("/api/applications/", ("ordering", "-score")) in sensitive, sensitive
    assert any(path == "/api/evaluations/" and param[0] == "grade" for path, param in sensitive), sensitive

    leaks = []
    for name, (swap, visible) in HIDDEN.items():
        may_see = {role: visible(users[role], dataset) for role in ROLES}
        a = {(role, key): answer(clients[role], key[0], dict([key[1]])) for role in ROLES for key in sensitive}
        swap(dataset)
        b = {(role, key): answer(clients[role], key[0], dict([key[1]])) for role in ROLES for key in sensitive}
        swap(dataset)
        leaks += [(name, role, path, param) for (role, (path, param)), ids in a.items()
                  if ids != b[(role, (path, param))] and not may_see[role]]
    assert leaks == [], leaks
