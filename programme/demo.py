"""The programme's part of the demo (seed 003): the coverage definition and the city's
yearly targets, relative to today so the demo holds on any day."""

from django.utils import timezone

from shequ.models import Region, User

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
