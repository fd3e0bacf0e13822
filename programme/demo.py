"""The programme's part of the demo (seed 003): the coverage definition and the city's
yearly targets, relative to today so the demo holds on any day."""

from django.utils import timezone

from shequ import services as place_services
from shequ.demo import DEMO_PASSWORD
from shequ.models import Region, Role, User

from . import services

CITY = "510100"

# Seed 003: more than 60 % of the 4,000+ communities have run 营造 actions; the city's
# goal is 90 % by 2020. The demo places the same steps on last year, this year, next year.
TARGET_STEPS = [(-1, 60, "全市超过60%的城乡社区开展了营造行动（种子资料003）"),
                (0, 80, "年度推进目标（示例）"),
                (1, 90, "到2020年全市90%的城乡社区开展总体营造行动（种子资料003，按今天顺延）")]

RULES = [
    ("funded_project", "资助项目", "当年有执行中或已结项的立项资助项目（项目周期与该年度有交集；已终止项目不计）。", True),
    ("micro_grant", "社区微创投/微项目大赛", "当年社区自行组织过微创投或院落美化大赛等微项目评审（种子资料002铁门社区）。", True),
    ("public_fund", "社区公共服务资金九步工作法", "当年社区按九步工作法完成了一轮公共服务资金项目的议定与实施。", True),
]


def seed(users: dict[str, User]) -> None:
    for order, (source, label, definition, active) in enumerate(RULES):
        services.coverage_rule_save(actor=None, source=source, label=label, definition=definition, active=active,
                                    order=order)
    city = Region.objects.get(code=CITY)
    year = timezone.localdate().year
    for offset, percent, _note in TARGET_STEPS:
        services.coverage_target_set(actor=None, year=year + offset, region=city, percent=percent)
    seed_experts()


# Seed 003: 15 experts in 5 mutual-help groups "by region and project category"; each
# group is one university expert, one senior supervisor and one social worker, so
# every group can staff a 1+1+1+1 team. The names are invented for the demo.
EXPERT_GROUPS = [
    ("第一督导互助小组（都江堰·社区产业）", "510181", "industry",
     [("university", "高校专家 杨教授", "四川大学", "社区产业、合作社"),
      ("senior_supervisor", "资深督导 罗老师", "成都市社区营造支持中心", "自组织培育、商居共治"),
      ("social_worker", "专业社工 邓社工", "都江堰市社工人才基地", "夜间经济、就业服务")]),
    ("第二督导互助小组（锦江·公共事务）", "510104", "public_affairs",
     [("university", "高校专家 唐教授", "西南财经大学", "社区协商、公共财政"),
      ("senior_supervisor", "资深督导 许老师", "锦江区社会组织学院", "议事会、院落自治"),
      ("social_worker", "专业社工 韩社工", "锦江区社工协会", "时间银行、志愿服务")]),
    ("第三督导互助小组（郫都·公共空间）", "510117", "public_space",
     [("university", "高校专家 曹教授", "西南交通大学", "社区规划、参与式设计"),
      ("senior_supervisor", "资深督导 彭老师", "城市社区学院", "院落美化、空间营运"),
      ("social_worker", "专业社工 曾社工", "郫都区社工中心", "老旧院落、居民动员")]),
    ("第四督导互助小组（青羊·社区文化）", "510105", "culture",
     [("university", "高校专家 萧教授", "四川师范大学", "社区历史、非遗保护"),
      ("senior_supervisor", "资深督导 田老师", "村政学院", "社区教育、文化活动"),
      ("social_worker", "专业社工 董社工", "青羊区社工协会", "儿童与青少年服务")]),
    ("第五督导互助小组（双流·服务需求）", "510116", "services",
     [("university", "高校专家 袁教授", "成都大学", "社会工作、参与式评估"),
      ("senior_supervisor", "资深督导 蒋老师", "社会组织学院", "项目管理、财务规范"),
      ("social_worker", "专业社工 蔡社工", "双流区社工人才基地", "长者服务、困境儿童")]),
]
# The platform roles each kind needs to be assigned: everyone supervises; university
# experts also review applications, senior supervisors also evaluate.
EXTRA_ROLES = {"university": Role.REVIEWER, "senior_supervisor": Role.EVALUATOR}


def seed_experts() -> list:
    groups = []
    number = 0
    for name, region_code, category, members in EXPERT_GROUPS:
        region = Region.objects.get(code=region_code)
        experts = []
        for kind, real_name, affiliation, specialties in members:
            number += 1
            user, created = User.objects.get_or_create(username=f"expert{number:02d}",
                                                       defaults={"real_name": real_name})
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            place_services.role_assign(user=user, role=Role.SUPERVISOR, actor=None)
            if kind in EXTRA_ROLES:
                place_services.role_assign(user=user, role=EXTRA_ROLES[kind], actor=None)
            experts.append(services.expert_save(actor=None, user=user, kind=kind, affiliation=affiliation,
                                                specialties=specialties, categories=[category], regions=[region]))
        groups.append(services.expert_group_save(actor=None, name=name, members=experts, region=region,
                                                 category=category, note="按区域和项目类别组建（种子资料003）"))
    return groups
