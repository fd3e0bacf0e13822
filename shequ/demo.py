"""Demo data shared by `seed_demo`, the tests and the benchmark: one user per role
placed where the source texts are set; every app adds its own part from its `demo`
module (places: the real Chengdu divisions; organizations: agencies with valid credit
codes; …)."""

from dataclasses import dataclass

from django.db import transaction

from accounts.demo import DEMO_PASSWORD  # noqa: F401  (re-exported: seed_demo prints it)
from accounts.models import Role, User
from accounts.services import role_assign
from places.demo import CITY, DUJIANGYAN, GAOQIAO, JIAHONGLU, TIEMEN, YINXING_STREET, load_divisions
from places.models import Community, Region


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
        role_assign(user=user, role=spec.role, actor=None, region=region, community=community)
    return user


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
        seed = getattr(module, "seed", None)
        if seed is not None:  # this module itself has no part of its own
            seed(users)
    return DEMO_USERS
