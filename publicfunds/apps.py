from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicfundsConfig(AppConfig):
    name = "publicfunds"
    verbose_name = _("社区公共服务资金")

    def ready(self):
        from audit.registry import register_actions
        from projects import contest_funders
        from web import sections

        # tasks: imported to register the dossier task the service queues by name.
        from . import contests, report_kinds, tasks  # noqa: F401

        register_actions({
            "public_fund.open": _("设立年度公共服务资金"),
            "public_fund.override": _("核定公共服务资金金额"),
            "public_fund.evidence": _("登记环节材料"),
            "public_fund.collection_open": _("发起意见征集"),
            "public_fund.collection_close": _("结束意见征集"),
            "public_fund.vote_online": _("一户一票（线上）"),
            "public_fund.vote_paper": _("一户一票（纸质录入）"),
            "public_fund.item_add": _("登记资金项目"),
            "public_fund.spend": _("资金支出记账"),
            "public_fund.dossier_request": _("生成档案归集 PDF"),
            "public_fund.contest_grant": _("微创投资助支出"),
        })
        report_kinds.register()
        contest_funders.register(contests.SOURCE, contests.debit, contests.balance)
        contest_funders.register(contests.COMMUNITY_FUND, contests.community_fund_debit,
                                 contests.community_fund_balance)
        sections.register(page="resident_home", slot="main", template="publicfunds/_resident_home.html",
                          context=_resident_home)


def _resident_home(*, user, resident):
    from .selectors import resident_home

    return resident_home(user, resident)
