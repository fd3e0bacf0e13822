"""The cast and the places every test shares.

The real Chengdu divisions are loaded once per test database; tests run inside a
transaction on top of them. The cast is one user per role, placed where the sources
are set: 都江堰市银杏街道高桥社区 is "our" community, 锦江区佳宏路社区 is elsewhere.
"""

import os
from dataclasses import dataclass

import pytest
from django.test import Client

from accounts import services
from accounts.models import Role, User
from organizations import services as org_services
from organizations.demo import DEMO_ORGANIZATIONS, credit_code
from organizations.models import Membership, Organization
from places.demo import load_divisions
from places.models import Community, Region

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made
# by the test itself are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "test-pass-123"


@pytest.fixture(scope="session", autouse=True)
def _own_celery_queue(worker_id):
    """Each parallel test worker publishes to and consumes from its own Celery queue.
    The tests that start a real Celery worker share one Redis: on the default queue one
    test worker's Celery worker took the other's report job, looked for the report in
    its own test database, and the report stayed queued. Started workers inherit the
    environment; this process's app is told directly (its configuration is read)."""
    from shequ.celery import app

    queue = f"shequ-test-{worker_id}"
    os.environ["CELERY_TASK_DEFAULT_QUEUE"] = queue
    app.conf.task_default_queue = queue


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_divisions()


@dataclass
class Places:
    city: Region
    dujiangyan: Region
    jinjiang: Region
    yinxing: Region
    gaoqiao: Community
    nanqiao: Community  # 灌口街道, same district, other street
    jiahonglu: Community  # another district


@pytest.fixture
def places(db) -> Places:
    if not Region.objects.exists():  # a transactional test flushed the tables
        load_divisions()
    return Places(
        city=Region.objects.get(code="510100"),
        dujiangyan=Region.objects.get(code="510181"),
        jinjiang=Region.objects.get(code="510104"),
        yinxing=Region.objects.get(code="510181005"),
        gaoqiao=Community.objects.get(code="510181005009"),
        nanqiao=Community.objects.get(code="510181004002"),
        jiahonglu=Community.objects.get(code="510104032009"),
    )


def make_user(username: str, **extra) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, real_name=extra.pop("real_name", username),
                                    **extra)
    return user


@pytest.fixture
def organizations(places, admin_user_obj) -> dict[str, Organization]:
    orgs = {}
    for key, (name, kind, region_code, body) in zip(["rongxiang", "lelin"], DEMO_ORGANIZATIONS[:2], strict=False):
        orgs[key] = org_services.organization_create(
            actor=admin_user_obj, credit_code=credit_code(body), name=name, kind=kind,
            region=Region.objects.get(code=region_code), contact_phone="028-88880000",
        )
    return orgs


@pytest.fixture
def admin_user_obj(db) -> User:
    return make_user("admin", is_superuser=True, is_staff=True)


ROLES = [
    "anonymous", "admin", "city_bureau", "district_bureau", "other_district_bureau", "street", "community",
    "other_community", "agency", "other_agency", "reviewer", "supervisor", "evaluator", "outsider",
]


@pytest.fixture
def cast(places, organizations, admin_user_obj) -> dict[str, User | None]:
    """One user per role. district_bureau, street and community all cover 高桥社区."""
    users = {"anonymous": None, "admin": admin_user_obj}

    def give(name, role, **place):
        users[name] = make_user(name)
        services.role_assign(user=users[name], role=role, actor=admin_user_obj, **place)

    give("city_bureau", Role.BUREAU, region=places.city)
    give("district_bureau", Role.BUREAU, region=places.dujiangyan)
    give("other_district_bureau", Role.BUREAU, region=places.jinjiang)
    give("street", Role.STREET, region=places.yinxing)
    give("community", Role.COMMUNITY, community=places.gaoqiao)
    give("other_community", Role.COMMUNITY, community=places.jiahonglu)
    give("reviewer", Role.REVIEWER)
    give("supervisor", Role.SUPERVISOR)
    give("evaluator", Role.EVALUATOR)
    for name, org in (("agency", organizations["rongxiang"]), ("other_agency", organizations["lelin"])):
        users[name] = make_user(name)
        org_services.membership_add(organization=org, user=users[name], actor=admin_user_obj,
                                    position=Membership.Position.LEADER)
    users["outsider"] = make_user("outsider")
    return users


@pytest.fixture
def client_for(cast):
    def build(role: str) -> Client:
        client = Client()
        if cast[role] is not None:
            client.force_login(cast[role])
        return client

    return build


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The real hasher is slow on purpose; tests create a dozen users each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    # Uploads from tests never land in the developer's var/media.
    settings.MEDIA_ROOT = tmp_path / "media"


def clear_throttles() -> None:
    """Reset the API throttles' counters, and only those: `cache.clear()` on Redis
    flushes the whole database the parallel test workers share — their sessions (a
    query-count test then read its session from the database: one query more) and the
    worker heartbeat."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        cache.clear()  # per process: nothing shared
        return
    client = cache._cache.get_client(write=True)
    for key in client.scan_iter(match=cache.make_key("throttle_*")):
        client.delete(key)
