import pytest

from programme import demo as programme_demo
from programme.coverage import registered_sources
from tests.projects.fixtures import _eager_celery, build, funding_round, review_form, second_reviewer  # noqa: F401


@pytest.fixture
def rules(db):
    """The demo's coverage definition: funded projects, plus two sources no app provides yet."""
    programme_demo.seed({})
    registered_sources.cache_clear()
    yield
    registered_sources.cache_clear()
