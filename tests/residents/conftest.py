import pytest

from places.models import ResidentGroup
from residents import services


@pytest.fixture
def groups(places):
    return [ResidentGroup.objects.create(community=places.gaoqiao, name=f"第{n}居民小组") for n in range(1, 4)]


@pytest.fixture
def make_resident(cast, places):
    """Register a resident of 高桥社区 through the service; `password` activates the account."""
    counter = iter(range(10 ** 6))

    def make(name=None, *, group=None, is_cadre=False, community=None, password=None):
        n = next(counter)
        actor = cast["community"] if community in (None, places.gaoqiao) else cast["admin"]
        resident = services.resident_register(
            actor=actor, community=community or places.gaoqiao, real_name=name or f"居民{n}",
            phone=f"139{n:08d}", household_number=f"H{n:03d}", group_name=group.name if group else "",
            is_cadre=is_cadre)
        if password:
            resident.user.set_password(password)
            resident.user.save()
        return resident

    return make
