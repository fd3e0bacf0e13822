import pytest

from programme import demo as programme_demo
from programme.coverage import registered_sources
from projects import services as project_services
from projects.models import Application, Project
from tests.projects import fixtures as project_fixtures
from tests.projects.fixtures import _eager_celery, funding_round, review_form, second_reviewer  # noqa: F401


@pytest.fixture
def build_application(cast, places, organizations, funding_round, second_reviewer):  # noqa: F811
    return project_fixtures.build.__wrapped__(cast, places, organizations, funding_round, second_reviewer)


@pytest.fixture
def build(build_application, cast):
    """Approved projects here are running ones: coverage counts projects in progress, so
    the agreement is signed (on the project's start) as the bureau would."""

    def _build(status=Application.Status.DRAFT, **kwargs):
        application = build_application(status, **kwargs)
        if status == Application.Status.APPROVED:
            project = Project.objects.get(application=application)
            project_services.agreement_sign(project=project, actor=cast["city_bureau"], signed_on=project.starts_on)
        return application

    return _build


@pytest.fixture
def rules(db):
    """The demo's coverage definition: funded projects, plus two sources no app provides yet."""
    programme_demo.seed({})
    registered_sources.cache_clear()
    yield
    registered_sources.cache_clear()
