"""Demo data shared by `seed_demo`, the tests and the benchmark: the real Chengdu
divisions, a few agencies with valid credit codes, and one user per role placed where
the source texts are set."""

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from . import services
from .models import Community, Courtyard, Region, Role, User

DEMO_PASSWORD = "shequ-demo-2026"
DIVISIONS_FILE = Path(settings.BASE_DIR) / "data" / "chengdu_divisions.csv"

# Codes named in the sources (seed 000, 002, 004).
GAOQIAO = "510181005009"  # 都江堰市银杏街道高桥社区
TIEMEN = "510117005005"  # 郫都区红光街道铁门社区
JIAHONGLU = "510104032009"  # 锦江区狮子山街道佳宏路社区
CITY = "510100"
DUJIANGYAN = "510181"
YINXING_STREET = "510181005"


@dataclass(frozen=True)
class DemoUser:
    username: str
    real_name: str
    role: str | None
    place: str | None = None  # a region or community code
    description: str = ""


DEMO_USERS = [
    DemoUser("admin", "系统管理员", Role.ADMIN, None, "系统管理员（可进后台）"),
    DemoUser("city_bureau", "成都市民政局 王科长", Role.BUREAU, CITY, "市民政局工作人员（全市）"),
    DemoUser("djy_bureau", "都江堰市民政局 李干事", Role.BUREAU, DUJIANGYAN, "区（市）县民政局工作人员（都江堰市）"),
    DemoUser("yinxing_street", "银杏街道 张主任", Role.STREET, YINXING_STREET, "街道工作人员（都江堰市银杏街道）"),
    DemoUser("gaoqiao", "高桥社区 陈书记", Role.COMMUNITY, GAOQIAO, "社区工作人员（高桥社区）"),
    DemoUser("nanqiao", "南桥社区 孙主任", Role.COMMUNITY, "510181004002", "社区工作人员（都江堰市灌口街道南桥社区）"),
    DemoUser("tiemen", "铁门社区 刘主任", Role.COMMUNITY, TIEMEN, "社区工作人员（铁门社区）"),
    DemoUser("jiahonglu", "佳宏路社区 赵书记", Role.COMMUNITY, JIAHONGLU, "社区工作人员（佳宏路社区）"),
    DemoUser("rongxiang", "融祥社工 周社工", None, None, "社工机构工作人员（都江堰市融祥社会工作服务中心负责人）"),
    DemoUser("lelin", "乐邻社工 钱社工", None, None, "社工机构工作人员（锦江区乐邻社会工作服务中心负责人）"),
    DemoUser("reviewer", "评审专家 孙教授", Role.REVIEWER, None, "评审专家"),
    DemoUser("reviewer2", "评审专家 何研究员", Role.REVIEWER, None, "评审专家"),
    DemoUser("supervisor", "督导 吴老师", Role.SUPERVISOR, None, "督导"),
    DemoUser("evaluator", "评估员 郑老师", Role.EVALUATOR, None, "参与式评估员（牵头）"),
    DemoUser("evaluator2", "评估员 冯老师", Role.EVALUATOR, None, "参与式评估员"),
    DemoUser("evaluator3", "评估员 陈老师", Role.EVALUATOR, None, "参与式评估员"),
]

# (name, kind, registration region, 17-character body of the credit code)
DEMO_ORGANIZATIONS = [
    ("都江堰市融祥社会工作服务中心", "social_work_agency", DUJIANGYAN, "52510181MJ0R1X1A0"),
    ("成都市锦江区乐邻社会工作服务中心", "social_work_agency", "510104", "52510104MJ1L2N3B4"),
    ("成都市郫都区红光社区营造促进会", "social_organization", "510117", "51510117MJ2H4C5D6"),
    ("成都市社区营造支持中心", "hub", CITY, "52510100MJ3Y7E8F9"),
    ("都江堰市社区发展基金会", "community_foundation", DUJIANGYAN, "53510181MJ4J0G1H2"),
]


def credit_code(body: str) -> str:
    from organizations.uscc import check_character

    return body + check_character(body)


def load_divisions() -> services.DivisionImportResult:
    return services.divisions_import(rows=services.read_division_file(DIVISIONS_FILE))


def _user(spec: DemoUser) -> User:
    user, created = User.objects.get_or_create(username=spec.username, defaults={"real_name": spec.real_name})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.is_staff = spec.role == Role.ADMIN
        user.is_superuser = spec.role == Role.ADMIN
        user.save()
    if spec.role:
        region = Region.objects.filter(code=spec.place).first() if spec.role in (Role.BUREAU, Role.STREET) else None
        community = Community.objects.filter(code=spec.place).first() if spec.role == Role.COMMUNITY else None
        services.role_assign(user=user, role=spec.role, actor=None, region=region, community=community)
    return user


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
        services.community_update_profile(community=gaoqiao, actor=admin, data={"population": 10250, "households": 3680,
                                                                                 "floating_population": 2100, "grids": 12})


def seed(users: dict[str, User]) -> None:
    """This app's part of the demo: places and their profiles."""
    _profiles(users["admin"])


@transaction.atomic
def seed_demo() -> list[DemoUser]:
    """Load the divisions and the demo users, then let every installed app that has a
    `demo` module add its part, lowest app first (dependencies point one way, so a
    lower app never has to know about a higher one)."""
    import importlib

    from django.apps import apps

    load_divisions()
    users = {spec.username: _user(spec) for spec in DEMO_USERS}
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        module.seed(users)
    return DEMO_USERS
