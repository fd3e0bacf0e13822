from tests.projects.fixtures import _eager_celery, build, funding_round, review_form, second_reviewer  # noqa: F401
