"""The places part of the demo: the real Chengdu divisions and the profiles the
source texts give (佳宏路, 铁门, 高桥, and 静明路 merged into 佳宏路)."""

import datetime
from pathlib import Path

from django.conf import settings

from accounts.models import User

from . import services
from .models import Community, Courtyard

DIVISIONS_FILE = Path(settings.BASE_DIR) / "data" / "chengdu_divisions.csv"

# Codes named in the sources (seed 000, 002, 004).
GAOQIAO = "510181005009"  # 都江堰市银杏街道高桥社区
TIEMEN = "510117005005"  # 郫都区红光街道铁门社区
JIAHONGLU = "510104032009"  # 锦江区狮子山街道佳宏路社区
CITY = "510100"
DUJIANGYAN = "510181"
YINXING_STREET = "510181005"


def load_divisions() -> services.DivisionImportResult:
    return services.divisions_import(rows=services.read_division_file(DIVISIONS_FILE))


def _profiles(admin: User) -> None:
    jiahonglu = Community.objects.get(code=JIAHONGLU)
    # 佳宏路社区's profile as seed 004 reports it.
    services.community_update_profile(community=jiahonglu, actor=admin, data={
        "kind": Community.Kind.URBAN, "population": 12375, "floating_population": 6748, "grids": 17,
        "micro_grids": 40, "party_members": 245, "households": 4620,
    })
    for number in range(1, 6):
        Courtyard.objects.get_or_create(community=jiahonglu, name=f"佳宏路{number}号院落", defaults={"households": 120})
    # 静明路社区 was merged into 佳宏路 in 2017 (seed 004); it no longer appears in the
    # 2023 division codes, so the demo keeps a clearly marked historical record of it.
    jingminglu, _ = Community.objects.get_or_create(
        code="510104032990",
        defaults={"name": "静明路社区", "official_name": "静明路社区居委会（已撤并，示例数据）",
                  "street": jiahonglu.street, "kind": Community.Kind.URBAN, "population": 5200},
    )
    if jingminglu.is_active:
        services.community_merge(community=jingminglu, into=jiahonglu, merged_on=datetime.date(2017, 6, 30),
                                 actor=admin, reason="2017年社区调整，静明路社区并入佳宏路社区（示例数据）")
    tiemen = Community.objects.get(code=TIEMEN)
    if tiemen.population == 0:
        services.community_update_profile(community=tiemen, actor=admin, data={"population": 8600, "households": 2900,
                                                                                "grids": 9})
    gaoqiao = Community.objects.get(code=GAOQIAO)
    if gaoqiao.population == 0:
        services.community_update_profile(
            community=gaoqiao,
            actor=admin,
            data={"population": 10250, "households": 3680, "floating_population": 2100, "grids": 12},
        )


def seed(users: dict[str, User]) -> None:
    """This app's part of the demo: places and their profiles."""
    _profiles(users["admin"])
