"""The nine steps of a community's public-service fund for one year, as one machine:
宣传动员 → 收集意见 → 梳理讨论 → 决议公示 → 项目听证 → 组织实施 → 监督 → 评议完善 → 档案归集 → 已归档.
Each step moves on only with its evidence; the community's own staff move it."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflow.engine import Machine, Transition, register

from . import access
from .models import YearFund

S = YearFund.Status


def _keeper(user, fund) -> bool:
    return access.can_keep(user, fund.community_id)


def _notice(fund, user, ctx):
    if not fund.notice.strip() or not fund.notice_from or not fund.notice_until:
        return _("请先发布宣传动员通知（内容和起止日期）。")
    if fund.notice_until < fund.notice_from:
        return _("通知截止日期不能早于开始日期。")
    if not fund.collections.exists():
        return _("请先设置意见征集及候选项目。")
    return None


def _collection_closed(fund, user, ctx):
    if not fund.collections.exists() or fund.collections.filter(closed_at__isnull=True).exists():
        return _("意见征集尚未结束，请先结束征集。")
    return None


def _minutes(fund, user, ctx):
    if not fund.discussion_meeting_id or not fund.discussion_minutes.strip():
        return _("请先关联议事会会议并填写梳理讨论纪要。")
    if fund.discussion_meeting.council.community_id != fund.community_id:
        return _("关联的议事会会议不属于本社区。")
    if not fund.decision.strip():
        return _("请先填写拟实施项目方案。")
    return None


def _publicised(fund, user, ctx):
    if not fund.publicised_on:
        return _("方案尚未公示。")
    ends = fund.publicity_ends
    if timezone.localdate() < ends:
        return _("公示期 %(d)s 天，至 %(e)s 届满，届满后才能进入项目听证。") % {
            "d": fund.publicity_days, "e": ends.isoformat()}
    return None


def _hearing(fund, user, ctx):
    return None if fund.hearing_on and fund.hearing_record.strip() else _("请先填写听证日期和听证记录。")


def _items(fund, user, ctx):
    return None if fund.items.exists() else _("请先登记实施项目及预算。")


def _supervision(fund, user, ctx):
    return None if fund.supervision_record.strip() else _("请先填写监督记录。")


def _evaluation(fund, user, ctx):
    return None if fund.evaluation.strip() else _("请先填写居民评议意见。")


def _archive(fund, user, ctx):
    return None if fund.archive_note.strip() else _("请先填写档案目录。")


REFUSAL = _("只有本社区工作人员可以推进公共服务资金的环节。")

# (name, from, to, label, guard) — the evidence of the step being left.
STEPS = [
    ("collect", S.MOBILISING, S.COLLECTING, _("进入收集意见"), _notice),
    ("discuss", S.COLLECTING, S.DISCUSSING, _("进入梳理讨论"), _collection_closed),
    ("publicise", S.DISCUSSING, S.PUBLICISING, _("公示决议"), _minutes),
    ("hear", S.PUBLICISING, S.HEARING, _("进入项目听证"), _publicised),
    ("implement", S.HEARING, S.IMPLEMENTING, _("进入组织实施"), _hearing),
    ("supervise", S.IMPLEMENTING, S.SUPERVISING, _("进入监督"), _items),
    ("evaluate", S.SUPERVISING, S.EVALUATING, _("进入评议完善"), _supervision),
    ("archive", S.EVALUATING, S.ARCHIVING, _("进入档案归集"), _evaluation),
    ("close", S.ARCHIVING, S.ARCHIVED, _("归档"), _archive),
]
ORDER = [S.MOBILISING, S.COLLECTING, S.DISCUSSING, S.PUBLICISING, S.HEARING, S.IMPLEMENTING, S.SUPERVISING,
         S.EVALUATING, S.ARCHIVING, S.ARCHIVED]

fund_machine = register(Machine(
    name="public_fund", model=YearFund, states=S, initial=S.MOBILISING, verbose_name=_("社区公共服务资金"),
    transitions=[
        Transition(name, frozenset({source}), target, label, who=_keeper, refusal=REFUSAL, guards=(guard,),
                   confirm=_("确认完成“%(s)s”并%(a)s吗？") % {"s": source.label, "a": label})
        for name, source, target, label, guard in STEPS
    ]))
