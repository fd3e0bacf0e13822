"""社区公共服务资金: the city's allocation rules (data with effective dates), each
community's fund for a year (its nine-step cycle, its balance), the opinion collection
with one vote per household, the items residents decided and their spending."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

MONEY = dict(max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0")),
                                                         MaxValueValidator(Decimal("9999999999"))])
YEAR = dict(validators=[MinValueValidator(2000), MaxValueValidator(2100)])


class AllocationRule(models.Model):
    """The city's standard for one kind of community from a date on: yuan per 100
    households (urban) or a fixed amount (rural). Rates are rows, never constants."""

    kind = models.CharField(_("社区类型"), max_length=16, choices=[
        ("urban", _("城市社区")), ("rural", _("农村社区（村）")), ("converted", _("村改居社区")),
        ("mixed", _("商居混合社区"))])
    effective_from = models.DateField(_("执行日期"))
    per_100_households = models.DecimalField(_("每百户标准（元）"), null=True, blank=True, **MONEY)
    fixed_amount = models.DecimalField(_("每社区定额（元）"), null=True, blank=True, **MONEY)
    source = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("公共服务资金标准")
        verbose_name_plural = _("公共服务资金标准")
        ordering = ["kind", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "effective_from"], name="allocation_rule_unique_start"),
            models.CheckConstraint(
                condition=(Q(per_100_households__isnull=False, fixed_amount__isnull=True)
                           | Q(per_100_households__isnull=True, fixed_amount__isnull=False)),
                name="allocation_rule_one_basis"),
        ]

    def __str__(self):
        if self.per_100_households is not None:
            basis = gettext("每百户 %(a)s 元") % {"a": f"{self.per_100_households.normalize():f}"}
        else:
            basis = gettext("定额 %(a)s 元") % {"a": f"{self.fixed_amount.normalize():f}"}
        return gettext("%(kind)s %(d)s 起 %(basis)s") % {
            "kind": self.get_kind_display(), "d": f"{self.effective_from:%Y-%m-%d}", "basis": basis}


class YearFund(models.Model):
    """One community's public-service fund for one year, and its nine-step cycle."""

    class Status(models.TextChoices):
        MOBILISING = "mobilising", _("宣传动员")
        COLLECTING = "collecting", _("收集意见")
        DISCUSSING = "discussing", _("梳理讨论")
        PUBLICISING = "publicising", _("决议公示")
        HEARING = "hearing", _("项目听证")
        IMPLEMENTING = "implementing", _("组织实施")
        SUPERVISING = "supervising", _("监督")
        EVALUATING = "evaluating", _("评议完善")
        ARCHIVING = "archiving", _("档案归集")
        ARCHIVED = "archived", _("已归档")

    community = models.ForeignKey("places.Community", verbose_name=_("社区"), on_delete=models.PROTECT,
                                  related_name="public_funds")
    year = models.PositiveSmallIntegerField(_("年度"), **YEAR)
    status = models.CharField(_("环节"), max_length=16, choices=Status.choices, default=Status.MOBILISING)
    rule = models.ForeignKey(AllocationRule, verbose_name=_("适用标准"), on_delete=models.PROTECT, null=True,
                             blank=True, related_name="funds")
    allocated = models.DecimalField(_("按标准测算（元）"), **MONEY)
    calculation = models.CharField(_("测算过程"), max_length=300)
    override = models.DecimalField(_("核定金额（元）"), null=True, blank=True, **MONEY)
    override_reason = models.CharField(_("核定理由"), max_length=500, blank=True)
    spent = models.DecimalField(_("已支出（元）"), default=Decimal("0"), **MONEY)
    balance = models.DecimalField(_("余额（元）"), **MONEY)
    # Evidence of each step.
    notice = models.TextField(_("宣传动员通知"), max_length=5000, blank=True)
    notice_from = models.DateField(_("通知开始"), null=True, blank=True)
    notice_until = models.DateField(_("通知截止"), null=True, blank=True)
    discussion_meeting = models.ForeignKey("councils.Meeting", verbose_name=_("议事会会议"), on_delete=models.PROTECT,
                                           null=True, blank=True, related_name="public_funds")
    discussion_minutes = models.TextField(_("梳理讨论纪要"), max_length=10000, blank=True)
    decision = models.TextField(_("拟实施项目方案"), max_length=10000, blank=True)
    publicity_days = models.PositiveSmallIntegerField(_("公示天数"), default=7,
                                                      validators=[MinValueValidator(1), MaxValueValidator(60)])
    publicised_on = models.DateField(_("公示开始"), null=True, blank=True)
    hearing_on = models.DateField(_("听证日期"), null=True, blank=True)
    hearing_record = models.TextField(_("听证记录"), max_length=10000, blank=True)
    supervision_record = models.TextField(_("监督记录"), max_length=10000, blank=True)
    evaluation = models.TextField(_("居民评议"), max_length=10000, blank=True)
    archive_note = models.TextField(_("档案目录"), max_length=10000, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("社区公共服务资金")
        verbose_name_plural = _("社区公共服务资金")
        ordering = ["-year", "community__name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "year"], name="year_fund_one_per_community_year"),
            models.CheckConstraint(condition=Q(balance__gte=0), name="year_fund_balance_not_negative"),
            models.CheckConstraint(condition=Q(spent__gte=0), name="year_fund_spent_not_negative"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="year_fund_plausible_year"),
        ]

    def __str__(self):
        return gettext("%(c)s %(y)s 年公共服务资金") % {"c": self.community.name, "y": self.year}

    @property
    def amount(self) -> Decimal:
        """What the community may spend: the bureau's figure if it overrode, else the rule's."""
        return self.override if self.override is not None else self.allocated

    @property
    def publicity_ends(self):
        import datetime

        return self.publicised_on + datetime.timedelta(days=self.publicity_days) if self.publicised_on else None


class Collection(models.Model):
    """收集意见: one household, one vote among the candidate items."""

    fund = models.ForeignKey(YearFund, verbose_name=_("资金"), on_delete=models.CASCADE, related_name="collections")
    title = models.CharField(_("名称"), max_length=200)
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("截止日期"))
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    households_total = models.PositiveIntegerField(_("结束时总户数"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("意见征集")
        verbose_name_plural = _("意见征集")
        ordering = ["-opens_on"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="collection_dates_order"),
        ]

    def __str__(self):
        return self.title


class Option(models.Model):
    collection = models.ForeignKey(Collection, verbose_name=_("意见征集"), on_delete=models.CASCADE,
                                   related_name="options")
    title = models.CharField(_("候选项目"), max_length=200)
    estimate = models.DecimalField(_("估算（元）"), null=True, blank=True, **MONEY)

    class Meta:
        verbose_name = _("候选项目")
        verbose_name_plural = _("候选项目")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["collection", "title"], name="option_unique_title")]

    def __str__(self):
        return self.title


class HouseholdVote(models.Model):
    """One row per household per collection: the unique constraint is the real guard."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("线上")
        PAPER = "paper", _("纸质表录入")

    collection = models.ForeignKey(Collection, verbose_name=_("意见征集"), on_delete=models.CASCADE,
                                   related_name="votes")
    household = models.ForeignKey("places.Household", verbose_name=_("户"), on_delete=models.PROTECT,
                                  related_name="fund_votes")
    option = models.ForeignKey(Option, verbose_name=_("选择"), on_delete=models.PROTECT, related_name="votes")
    channel = models.CharField(_("方式"), max_length=8, choices=Channel.choices)
    cast_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("投票/录入人"), on_delete=models.PROTECT,
                                related_name="+")
    cast_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("一户一票")
        verbose_name_plural = _("一户一票")
        constraints = [
            models.UniqueConstraint(fields=["collection", "household"], name="household_vote_one_per_collection"),
        ]

    def __str__(self):
        return f"{self.collection} · {self.household.number}"


class FundItem(models.Model):
    """A project the residents decided, with its budget; optionally co-funded by a bureau project."""

    fund = models.ForeignKey(YearFund, verbose_name=_("资金"), on_delete=models.PROTECT, related_name="items")
    title = models.CharField(_("项目"), max_length=200)
    use = models.CharField(_("用途"), max_length=16, choices=[
        ("selforg", _("培育发展社区社会组织")), ("volunteer", _("社区志愿服务")),
        ("facilities", _("社区基础设施维护和维修")), ("culture", _("社区文体公益活动")),
        ("education", _("社区教育培训")), ("environment", _("社区和院落环境治理")), ("other", _("其他"))])
    option = models.ForeignKey(Option, verbose_name=_("来自候选项目"), on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="items")
    project = models.ForeignKey("projects.Project", verbose_name=_("配套项目"), on_delete=models.PROTECT, null=True,
                                blank=True, related_name="public_fund_items")
    budget = models.DecimalField(_("预算（元）"), **MONEY)
    spent = models.DecimalField(_("已支出（元）"), default=Decimal("0"), **MONEY)

    class Meta:
        verbose_name = _("资金项目")
        verbose_name_plural = _("资金项目")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(spent__lte=models.F("budget")), name="fund_item_within_budget"),
            models.CheckConstraint(condition=Q(budget__gt=0), name="fund_item_budget_positive"),
        ]

    def __str__(self):
        return self.title


class Spending(models.Model):
    item = models.ForeignKey(FundItem, verbose_name=_("资金项目"), on_delete=models.PROTECT, related_name="spendings")
    fund = models.ForeignKey(YearFund, verbose_name=_("资金"), on_delete=models.PROTECT, related_name="spendings")
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0.01")),
                                             MaxValueValidator(Decimal("9999999999"))])
    voucher = models.CharField(_("凭证号"), max_length=40)
    spent_on = models.DateField(_("支出日期"))
    purpose = models.CharField(_("摘要"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记账人"), on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("记账时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("支出")
        verbose_name_plural = _("支出")
        ordering = ["-spent_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "voucher"], name="spending_unique_voucher_in_fund"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="spending_amount_positive"),
        ]

    def __str__(self):
        return f"{self.voucher} {self.amount}"
