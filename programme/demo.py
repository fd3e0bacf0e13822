"""The programme's part of the demo (seed 003): the coverage definition and the city's
yearly targets, relative to today so the demo holds on any day."""

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts import services as account_services
from accounts.demo import DEMO_PASSWORD
from accounts.models import Role, User
from places.models import Region

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
    seed_map()
    seed_library()


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
            account_services.role_assign(user=user, role=Role.SUPERVISOR, actor=None)
            if kind in EXTRA_ROLES:
                account_services.role_assign(user=user, role=EXTRA_ROLES[kind], actor=None)
            experts.append(services.expert_save(actor=None, user=user, kind=kind, affiliation=affiliation,
                                                specialties=specialties, categories=[category], regions=[region]))
        groups.append(services.expert_group_save(actor=None, name=name, members=experts, region=region,
                                                 category=category, note="按区域和项目类别组建（种子资料003）"))
    return groups


# The sources' communities on the community-building map. Text condensed from the
# seeds (000: 高桥, 南桥; 002: 铁门; 004: 佳宏路); the points are approximate.
STORIES = {
    "510181005009": {  # 都江堰市银杏街道高桥社区
        "history": "2012年新成立的村改居城市社区，总人口12835人。多个安居工程投入使用后，常住人口及周边辐射人口骤增至约3万人，人员结构多元，社区矛盾较突出。",
        "culture": "“乐享高桥 活力夜市”：夜市承载城市烟火气，社区以党建为引领，“多元参与 协同共治”为理念，陪伴居民、商家和自组织民主协商、共同参与商居治理。",
        "specialties": "高桥便民夜市的小吃与夜间消费：现有商户353家（固定摊位260个，流动摊位约100个）。",
        "resources": "便民夜市、商户与自组织；融祥社工陪伴，开展“赋能成长”能力提升工作坊，搭建民主协商议事平台。",
        "outcomes": "2014年设立便民夜市，解决失地人员就业，创造就业岗位500余个；2020年与融祥社工联合申报“活力夜经济 治理新动能”商居发展治理项目，在自组织培育、夜市品质提升、商居共融三方面展开行动。",
        "lng": "103.641200", "lat": "30.998600",
    },
    "510181004002": {  # 都江堰市灌口街道南桥社区
        "history": "位于都江堰古城灌口街道，南桥一带是古城的老街区，承载着几代居民的记忆。",
        "culture": "“留住古城的根”：发掘社区历史，活化古城文化，创造社区集体记忆。",
        "specialties": "古城老街的传统小吃与手艺。",
        "resources": "古城街巷、老居民的口述历史、在地文化骨干。",
        "outcomes": "灌口街道南桥社区“留住古城的根”社区营造项目由成都市民政局资金支持，受到相关政府部门的肯定（种子资料000）。",
        "lng": "103.616500", "lat": "30.995800",
    },
    "510117005005": {  # 郫都区红光街道铁门社区
        "history": "铁门村撤村建居而来，2020年6月与原八圣社区合并；辖区有商品房小区5个、安置小区1个、划地安置点1个及老旧院落5个。",
        "culture": "老旧院落居民从“没接触过社工”到自己组建“院落美化评审会”，自定规则、申报时间与标准，评议申报、接受结果。",
        "specialties": "院落美化大赛中居民自己打造的花园院落：启明花园、碧水苑、红原农行小区。",
        "resources": "院落美化评审会（老旧院落骨干、社区党员、商住小区骨干、社区工作人员共10人）；五场院落宣讲会建立的联系。",
        "outcomes": "通过宣讲—走访—参访—招募—团创—培训—平台同参与层层递进培育自组织，居民参与院落美化大赛，启明花园30人参与院落美化行动。",
        "lng": "103.930500", "lat": "30.763200",
    },
    "510104032009": {  # 锦江区狮子山街道佳宏路社区
        "history": "成立于2014年1月1日，2017年1月与静明路社区合并，辖区面积0.31平方公里；常住12375人，流动人口6748人；下辖五个院落、17个网格、40个微网格。",
        "culture": "以“佳宏路社区变迁发展时间轴”为核心：时间广场、时间胶囊、时间银行、时间长廊、时间驿站，让居民“人在其中”。",
        "specialties": "商居共建：华西奶业、伊利奶业、红旗超市等13家商铺入驻时间银行兑换平台。",
        "resources": "“美好家园·党建商圈联盟”首批7家成员单位；“时间银行”志愿服务品牌，7支志愿者队伍；便民服务中心、就业超市、匠人集中地。",
        "outcomes": "搭建“1+1+5”社区治理服务体系，形成“点线面体”协同、多元多维共治的商居共建模式；2023年通过2022年成都市示范社区验收。",
        "lng": "104.108700", "lat": "30.624300",
    },
}
ROUTE = ("都江堰—郫都—锦江 社区营造游学路线",
         "按图索骥、菜单式自选学习对象（种子资料003）：从村改居社区的夜市治理，到古城文化、院落自治，再到商居共建。",
         [("510181005009", "夜市商居共治：自组织参与夜市品质提升"),
          ("510181004002", "“留住古城的根”：社区历史与文化营造"),
          ("510117005005", "院落美化评审会：居民自定规则的微项目大赛"),
          ("510104032009", "时间银行与党建商圈联盟")])


def seed_map() -> None:
    from places.models import Community

    from .models import LearningRoute

    for code, data in STORIES.items():
        community = Community.objects.get(code=code)
        services.story_save(actor=None, community=community, data={**data, "lng": Decimal(data["lng"]),
                                                                   "lat": Decimal(data["lat"])})
    name, description, stops = ROUTE
    communities = [Community.objects.get(code=code) for code, _note in stops]
    route = LearningRoute.objects.filter(name=name).first()
    services.route_save(actor=None, route=route, name=name, description=description, communities=communities,
                        notes=[note for _code, note in stops])


# Seed 003: "2016年成都市举办‘社区营造高级研修班’……300余人……为期三天的扫盲培训". The
# month and day are not in the source; the demo dates it in April 2016.
COURSE = {
    "title": "社区营造高级研修班",
    "starts_on": datetime.date(2016, 4, 11), "ends_on": datetime.date(2016, 4, 13),
    "location": "成都市（示例）",
    "organizer": "成都市民政局；清华大学社区营造研究中心专家授课",
    "audience": "全市民政系统从事社区建设的政府工作人员、部分街道乡镇主管社区建设的主官、社区书记、社会组织负责人",
    "participants": 300,
    "summary": "重点讲解何谓社区营造、为何要进行社区营造、如何进行社区营造，为期三天的扫盲培训。"
               "2016年5月，成都市民政局印发关于开展城乡社区可持续总体营造行动的通知，拉开了全域社区营造的序幕。",
}
ATTENDEES = "\n".join([
    "陈书记,都江堰市银杏街道高桥社区,社区党委书记",
    "孙主任,都江堰市灌口街道南桥社区,社区居委会主任",
    "刘主任,郫都区红光街道铁门社区,社区居委会主任",
    "赵书记,锦江区狮子山街道佳宏路社区,社区党委书记",
    "张主任,都江堰市银杏街道办事处,社区建设主管",
    "周社工,都江堰市融祥社会工作服务中心,负责人",
])
# A one-page PDF, so the demo has a material to download.
HANDOUT = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
           b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
CASES = [
    ("case", "活力夜经济 治理新动能——高桥社区商居发展治理", "510181005009",
     "高桥便民夜市现有商户353家，创造就业岗位500余个；社工以组织协调、资源整合、社区参与式规划为主题开展“赋能成长”工作坊，"
     "在自组织培育、夜市品质提升、商居共融三个方面展开行动（种子资料000）。", "夜市,商居共治,社区产业,自组织"),
    ("action_research", "院落美化评审会：铁门社区居民参与的行动研究", "510117005005",
     "从宣讲、走访、参访、招募、团创、培训到平台同参与，层层递进地培育自组织，居民自定院落美化大赛的规则与标准（种子资料002）。",
     "院落自治,微项目,居民参与,公共空间"),
    ("case", "“点线面体”协同、多元多维共治——佳宏路社区商居共建", "510104032009",
     "以“时间银行”为载体，志愿服务积分在商家兑换；“美好家园·党建商圈联盟”首批7家成员单位（种子资料004）。",
     "时间银行,商居共建,党建引领,志愿服务"),
]


def seed_library() -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from places.models import Community

    from .models import CaseStudy, TrainingCourse

    course = TrainingCourse.objects.filter(title=COURSE["title"]).first()
    course = services.course_save(actor=None, course=course, **COURSE)
    services.course_attendance_add(actor=None, course=course, text=ATTENDEES)
    if not course.materials.exists():
        services.course_material_add(actor=None, course=course, upload=SimpleUploadedFile(
            "社区营造高级研修班讲义（示例）.pdf", HANDOUT, content_type="application/pdf"))
    for kind, title, code, summary, tags in CASES:
        community = Community.objects.get(code=code)
        case = CaseStudy.objects.filter(title=title).first()
        projects = [p for p in community.projects.all()]
        services.case_save(actor=None, case=case, kind=kind, title=title, summary=summary, tags=tags,
                           communities=[community], projects=projects)
