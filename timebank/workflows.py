from django.utils.translation import gettext_lazy as _

from workflow.engine import Machine, Transition, nobody, register

from . import access
from .models import Need, Redemption, Task

N = Need.Status
need_machine = register(Machine(
    name="need", model=Need, states=N, initial=N.OPEN, verbose_name=_("需求"), transitions=[
        Transition("match", frozenset({N.OPEN}), N.MATCHED, _("标记已对接"),
                   who=lambda user, need: access.can_keep(user, need.community),
                   refusal=_("只有社区工作人员可以对接需求。")),
        Transition("unmatch", frozenset({N.MATCHED}), N.OPEN, _("退回待对接"),
                   who=lambda user, need: access.can_keep(user, need.community),
                   refusal=_("只有社区工作人员可以退回需求。"), style="secondary"),
        Transition("meet", frozenset({N.OPEN, N.MATCHED}), N.MET, _("标记已解决"),
                   who=lambda user, need: access.can_keep(user, need.community),
                   refusal=_("只有社区工作人员可以标记需求已解决。"), style="success"),
        Transition("close", frozenset({N.OPEN, N.MATCHED}), N.CLOSED, _("关闭需求"),
                   who=lambda user, need: access.can_keep(user, need.community),
                   refusal=_("只有社区工作人员可以关闭需求。"), reason_required=True,
                   confirm=_("关闭后该需求不再出现在待对接清单中，确定吗？"), style="danger"),
    ]))

T = Task.Status
task_machine = register(Machine(
    name="task", model=Task, states=T, initial=T.PUBLISHED, verbose_name=_("任务"), transitions=[
        Transition("start", frozenset({T.PUBLISHED}), T.IN_PROGRESS, _("开始任务"), who=access.can_run_task,
                   refusal=_("只有发布方和社区工作人员可以开始任务。")),
        Transition("finish", frozenset({T.IN_PROGRESS}), T.DONE, _("完成任务"), who=access.can_run_task,
                   refusal=_("只有发布方和社区工作人员可以完成任务。"), style="success",
                   confirm=_("完成后不能再签到，确定吗？")),
        Transition("cancel", frozenset({T.PUBLISHED, T.IN_PROGRESS}), T.CANCELLED, _("取消任务"),
                   who=access.can_run_task, refusal=_("只有发布方和社区工作人员可以取消任务。"),
                   guards=(lambda task, user, ctx: _("已有确认的签到，不能取消；请完成任务。")
                           if task.checkins.filter(confirmed_at__isnull=False).exists() else None,),
                   reason_required=True, confirm=_("取消后志愿者不能再签到，确定吗？"), style="danger"),
    ]))

R = Redemption.Status
redemption_machine = register(Machine(
    name="redemption", model=Redemption, states=R, initial=R.PENDING, verbose_name=_("积分兑换"), transitions=[
        # Fired by services.redemption_confirm, which checks the merchant and moves the points.
        Transition("confirm", frozenset({R.PENDING}), R.CONFIRMED, _("核销"), who=nobody),
        Transition("cancel", frozenset({R.PENDING}), R.CANCELLED, _("取消兑换"), who=access.can_cancel_redemption,
                   refusal=_("只有申请的居民和该商家可以取消。"), style="secondary"),
    ]))
