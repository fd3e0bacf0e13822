from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimebankConfig(AppConfig):
    name = "timebank"
    verbose_name = _("时间银行")

    def ready(self):
        from audit.registry import register_actions
        from notifications.registry import register_kinds

        register_actions({
            "points.issue": _("志愿积分入账"),
            "points.award": _("奖励积分入账"),
            "points.redeem": _("积分兑换扣减"),
            "points.settle": _("商家积分结算"),
            "points.expire": _("积分过期作废"),
            "points.reversal": _("积分冲正"),
            "need.create": _("登记需求"),
            "resource.create": _("登记资源"),
            "task.create": _("发布任务"),
            "task.respond": _("商家/组织响应任务"),
            "checkin.scan": _("扫码签到"),
            "checkin.confirm": _("确认签到"),
            "partner.join": _("商家加入时间银行"),
            "partner.leave": _("商家退出时间银行"),
            "reward.create": _("上架兑换项目"),
            "redemption.create": _("申请兑换"),
            "redemption_day.announce": _("发布积分兑换日"),
        })
        register_kinds({
            "timebank_redemption_day": _("积分兑换日"),
            "timebank_task_response": _("任务有商家响应"),
        })
