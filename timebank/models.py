"""The time bank (时间银行) and the community's needs, resources and tasks (seed 004,
佳宏路社区): residents earn points by checking in to tasks and redeem them with partner
merchants.

The points ledger is double entry. Every movement is one `Entry` that debits one
`Account` and credits another. The community pool is the issuer: its balance is the
points in circulation (debit-normal), while residents' and merchants' balances are the
points they hold (credit-normal). So every balance is a count that can never go below
zero, and the pool's balance always equals the sum of what residents and merchants
hold — issued minus redeemed-and-settled minus expired.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """What a need asks for and a resource offers; matching is by category and place."""

    ELDER_CARE = "elder_care", _("助老服务")
    CHILD_CARE = "child_care", _("儿童关爱")
    REPAIR = "repair", _("维修缝补")
    HAIRCUT = "haircut", _("义剪理发")
    HEALTH = "health", _("健康义诊")
    ENVIRONMENT = "environment", _("环境整治")
    SAFETY = "safety", _("安全巡查")
    CULTURE = "culture", _("文化学习")
    SPACE = "space", _("活动场地")
    GOODS = "goods", _("物资")
    OTHER = "other", _("其他")


class PointsRule(models.Model):
    """The community's rules, as data: points per check-in and how long points last."""

    community = models.OneToOneField("places.Community", verbose_name=_("社区"), on_delete=models.CASCADE,
                                     related_name="points_rule")
    points_per_checkin = models.PositiveIntegerField(_("每次签到积分"), default=50)
    expire_after_days = models.PositiveIntegerField(
        _("积分有效期（天）"), null=True, blank=True,
        help_text=_("留空表示积分不过期；超过有效期仍未使用的积分（先得先用）由系统按规则作废。"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")
        constraints = [
            models.CheckConstraint(condition=Q(points_per_checkin__gt=0, points_per_checkin__lte=10000),
                                   name="points_rule_checkin_range"),
            models.CheckConstraint(condition=Q(expire_after_days__isnull=True) | Q(expire_after_days__gte=30),
                                   name="points_rule_expiry_at_least_30_days"),
        ]

    def __str__(self):
        return f"{self.community} · {self.points_per_checkin}"


class Account(models.Model):
    class Kind(models.TextChoices):
        RESIDENT = "resident", _("居民")
        MERCHANT = "merchant", _("商家")
        POOL = "pool", _("社区积分池")

    community = models.ForeignKey("places.Community", verbose_name=_("社区"), on_delete=models.PROTECT,
                                  related_name="points_accounts")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    resident = models.ForeignKey("residents.Resident", verbose_name=_("居民"), on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="points_accounts")
    organization = models.ForeignKey("organizations.Organization", verbose_name=_("商家"), on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="points_accounts")
    balance = models.BigIntegerField(_("余额"), default=0)
    created_at = models.DateTimeField(_("开户时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("积分账户")
        verbose_name_plural = _("积分账户")
        ordering = ["community", "kind", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(balance__gte=0), name="account_balance_not_negative"),
            models.CheckConstraint(
                condition=(Q(kind="resident", resident__isnull=False, organization__isnull=True)
                           | Q(kind="merchant", resident__isnull=True, organization__isnull=False)
                           | Q(kind="pool", resident__isnull=True, organization__isnull=True)),
                name="account_holder_matches_kind"),
            models.UniqueConstraint(fields=["community", "resident"], condition=Q(kind="resident"),
                                    name="account_one_per_resident_community"),
            models.UniqueConstraint(fields=["community", "organization"], condition=Q(kind="merchant"),
                                    name="account_one_per_merchant_community"),
            models.UniqueConstraint(fields=["community"], condition=Q(kind="pool"),
                                    name="account_one_pool_per_community"),
        ]

    def __str__(self):
        holder = self.resident or self.organization or _("积分池")
        return f"{self.community} · {holder}"

    @property
    def debit_normal(self) -> bool:
        return self.kind == self.Kind.POOL


class Entry(models.Model):
    """One movement of points: `amount` leaves `debit`'s holder and reaches `credit`'s
    (for the pool the other way round: a debit issues, a credit retires). Never edited;
    a mistake is undone by a reversal entry pointing at it."""

    class Kind(models.TextChoices):
        ISSUE = "issue", _("志愿积分")
        AWARD = "award", _("奖励积分")
        REDEEM = "redeem", _("兑换")
        SETTLE = "settle", _("商家结算")
        EXPIRE = "expire", _("过期作废")
        REVERSAL = "reversal", _("冲正")

    community = models.ForeignKey("places.Community", verbose_name=_("社区"), on_delete=models.PROTECT,
                                  related_name="points_entries")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    debit = models.ForeignKey(Account, verbose_name=_("借方账户"), on_delete=models.PROTECT, related_name="debits")
    credit = models.ForeignKey(Account, verbose_name=_("贷方账户"), on_delete=models.PROTECT, related_name="credits")
    amount = models.PositiveIntegerField(_("积分"))
    memo = models.CharField(_("摘要"), max_length=200, blank=True)
    reverses = models.OneToOneField("self", verbose_name=_("冲正的分录"), on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="reversed_by")
    checkin = models.OneToOneField("CheckIn", verbose_name=_("签到"), on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="entry")
    redemption = models.OneToOneField("Redemption", verbose_name=_("兑换"), on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="entry")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("积分分录")
        verbose_name_plural = _("积分分录")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="entry_amount_positive"),
            models.CheckConstraint(condition=~Q(debit=F("credit")), name="entry_two_different_accounts"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"


class Need(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("待对接")
        MATCHED = "matched", _("已对接")
        MET = "met", _("已解决")
        CLOSED = "closed", _("已关闭")

    class Urgency(models.TextChoices):
        LOW = "low", _("一般")
        NORMAL = "normal", _("较急")
        HIGH = "high", _("紧急")

    class Source(models.TextChoices):
        PHONE = "phone", _("居民手机提交")
        MEETING = "meeting", _("坝坝会记录")
        VISIT = "visit", _("走访收集")

    community = models.ForeignKey("places.Community", verbose_name=_("社区"), on_delete=models.PROTECT,
                                  related_name="needs")
    courtyard = models.ForeignKey("places.Courtyard", verbose_name=_("院落/小区"), on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="needs")
    title = models.CharField(_("需求"), max_length=100)
    description = models.TextField(_("说明"), max_length=2000, blank=True)
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices)
    urgency = models.CharField(_("紧急程度"), max_length=8, choices=Urgency.choices, default=Urgency.LOW)
    beneficiaries = models.CharField(_("受益对象"), max_length=100, blank=True,
                                     help_text=_("如：独居老人、双职工家庭儿童"))
    beneficiary_count = models.PositiveIntegerField(_("受益人数"), default=1)
    source = models.CharField(_("来源"), max_length=8, choices=Source.choices, default=Source.PHONE)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提出/记录人"), on_delete=models.PROTECT,
                                  related_name="+")
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("需求")
        verbose_name_plural = _("需求清单")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(beneficiary_count__gte=1, beneficiary_count__lte=100000),
                                   name="need_beneficiary_count_range"),
        ]

    def __str__(self):
        return self.title


class Resource(models.Model):
    class Kind(models.TextChoices):
        SKILL = "skill", _("技能")
        SPACE = "space", _("场地")
        GOODS = "goods", _("物资")
        SERVICE = "service", _("服务")

    community = models.ForeignKey("places.Community", verbose_name=_("社区"), on_delete=models.PROTECT,
                                  related_name="resources")
    courtyard = models.ForeignKey("places.Courtyard", verbose_name=_("院落/小区"), on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="resources")
    title = models.CharField(_("资源"), max_length=100)
    kind = models.CharField(_("形式"), max_length=8, choices=Kind.choices)
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices)
    description = models.TextField(_("说明"), max_length=2000, blank=True)
    availability = models.CharField(_("可提供时间"), max_length=100, blank=True, help_text=_("如：每月第一个周六上午"))
    organization = models.ForeignKey("organizations.Organization", verbose_name=_("提供组织/商家"),
                                     on_delete=models.PROTECT, null=True, blank=True, related_name="timebank_resources")
    resident = models.ForeignKey("residents.Resident", verbose_name=_("提供居民"), on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="resources")
    is_active = models.BooleanField(_("可用"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("资源")
        verbose_name_plural = _("资源清单")
        ordering = ["community", "category", "title"]

    def __str__(self):
        return self.title

    @property
    def provider(self):
        return self.organization or self.resident or ""


class Task(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", _("已发布")
        IN_PROGRESS = "in_progress", _("进行中")
        DONE = "done", _("已完成")
        CANCELLED = "cancelled", _("已取消")

    community = models.ForeignKey("places.Community", verbose_name=_("社区"), on_delete=models.PROTECT,
                                  related_name="timebank_tasks")
    courtyard = models.ForeignKey("places.Courtyard", verbose_name=_("院落/小区"), on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="timebank_tasks")
    title = models.CharField(_("任务"), max_length=100)
    description = models.TextField(_("说明"), max_length=2000, blank=True)
    place = models.CharField(_("地点"), max_length=100)
    starts_at = models.DateTimeField(_("开始时间"))
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=4, decimal_places=1, default=2)
    slots = models.PositiveIntegerField(_("志愿者名额"), default=10)
    points = models.PositiveIntegerField(_("每次签到积分"), help_text=_("默认取社区积分规则"))
    needs = models.ManyToManyField(Need, verbose_name=_("服务的需求"), blank=True, related_name="tasks")
    resources = models.ManyToManyField(Resource, verbose_name=_("使用的资源"), blank=True, related_name="tasks")
    publisher_organization = models.ForeignKey("organizations.Organization", verbose_name=_("发布组织/商家"),
                                               on_delete=models.PROTECT, null=True, blank=True,
                                               related_name="timebank_tasks")
    team = models.ForeignKey("organizations.SelfOrganization", verbose_name=_("志愿服务队"), on_delete=models.PROTECT,
                             null=True, blank=True, related_name="timebank_tasks")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PUBLISHED)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT,
                                     related_name="+")
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("任务")
        verbose_name_plural = _("任务清单")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(slots__gte=1, slots__lte=1000), name="task_slots_range"),
            models.CheckConstraint(condition=Q(points__gte=1, points__lte=10000), name="task_points_range"),
            models.CheckConstraint(condition=Q(hours__gt=0, hours__lte=24), name="task_hours_range"),
        ]

    def __str__(self):
        return self.title


class TaskResponse(models.Model):
    """A merchant or organisation answering a published task in one step."""

    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="responses")
    organization = models.ForeignKey("organizations.Organization", verbose_name=_("响应组织/商家"),
                                     on_delete=models.PROTECT, related_name="task_responses")
    note = models.CharField(_("提供什么"), max_length=200, blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("响应人"), on_delete=models.PROTECT,
                                     related_name="+")
    created_at = models.DateTimeField(_("响应时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("任务响应")
        verbose_name_plural = _("任务响应")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["task", "organization"], name="task_response_once_per_org"),
        ]

    def __str__(self):
        return f"{self.organization} → {self.task}"


class CheckIn(models.Model):
    """A volunteer at a task: scanned on the phone (or ticked from the list by the
    organiser), then confirmed by the organiser, which credits the points once."""

    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.PROTECT, related_name="checkins")
    resident = models.ForeignKey("residents.Resident", verbose_name=_("志愿者"), on_delete=models.PROTECT,
                                 related_name="checkins")
    scanned_at = models.DateTimeField(_("签到时间"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("确认人"), on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("签到")
        verbose_name_plural = _("签到")
        ordering = ["task", "scanned_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["task", "resident"], name="checkin_once_per_volunteer_task"),
        ]

    def __str__(self):
        return f"{self.resident} @ {self.task}"


class TeamMember(models.Model):
    """A volunteer in a volunteer team (a residents' self-organisation)."""

    team = models.ForeignKey("organizations.SelfOrganization", verbose_name=_("志愿服务队"), on_delete=models.CASCADE,
                             related_name="timebank_members")
    resident = models.ForeignKey("residents.Resident", verbose_name=_("志愿者"), on_delete=models.CASCADE,
                                 related_name="teams")
    joined_on = models.DateField(_("加入日期"))

    class Meta:
        verbose_name = _("服务队队员")
        verbose_name_plural = _("服务队队员")
        constraints = [
            models.UniqueConstraint(fields=["team", "resident"], name="team_member_once"),
        ]

    def __str__(self):
        return f"{self.resident} @ {self.team}"


class Partner(models.Model):
    """A merchant in a community's time bank. Leaving deactivates, never deletes: the
    redemptions and statements stay."""

    community = models.ForeignKey("places.Community", verbose_name=_("社区"), on_delete=models.PROTECT,
                                  related_name="timebank_partners")
    organization = models.ForeignKey("organizations.Organization", verbose_name=_("商家"), on_delete=models.PROTECT,
                                     related_name="timebank_partnerships")
    joined_on = models.DateField(_("加入日期"))
    left_on = models.DateField(_("退出日期"), null=True, blank=True)
    is_active = models.BooleanField(_("在册"), default=True)

    class Meta:
        verbose_name = _("合作商家")
        verbose_name_plural = _("合作商家")
        ordering = ["community", "organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "organization"], name="partner_once_per_community"),
        ]

    def __str__(self):
        return str(self.organization)


class Reward(models.Model):
    partner = models.ForeignKey(Partner, verbose_name=_("商家"), on_delete=models.PROTECT, related_name="rewards")
    name = models.CharField(_("兑换项目"), max_length=100)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    points = models.PositiveIntegerField(_("所需积分"))
    stock = models.IntegerField(_("库存"), default=0)
    is_active = models.BooleanField(_("上架"), default=True)

    class Meta:
        verbose_name = _("兑换项目")
        verbose_name_plural = _("兑换目录")
        ordering = ["partner", "points", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="reward_stock_not_negative"),
            models.CheckConstraint(condition=Q(points__gte=1, points__lte=100000), name="reward_points_range"),
        ]

    def __str__(self):
        return self.name


class Redemption(models.Model):
    """A resident's request to redeem a reward: shows a one-time code on the phone; the
    merchant confirms it, which checks stock and balance under lock and moves the points."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待核销")
        CONFIRMED = "confirmed", _("已核销")
        CANCELLED = "cancelled", _("已取消")

    reward = models.ForeignKey(Reward, verbose_name=_("兑换项目"), on_delete=models.PROTECT, related_name="redemptions")
    resident = models.ForeignKey("residents.Resident", verbose_name=_("居民"), on_delete=models.PROTECT,
                                 related_name="redemptions")
    points = models.PositiveIntegerField(_("积分"))
    code = models.CharField(_("核销码"), max_length=8, unique=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("核销时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("核销人"), on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("积分兑换")
        verbose_name_plural = _("积分兑换")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(points__gt=0), name="redemption_points_positive"),
        ]

    def __str__(self):
        return f"{self.resident} · {self.reward}"


class RedemptionDay(models.Model):
    """A day the community holds redemptions in person (存取平衡: 定期开展积分兑换)."""

    community = models.ForeignKey("places.Community", verbose_name=_("社区"), on_delete=models.PROTECT,
                                  related_name="redemption_days")
    held_on = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=100)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    announced_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT,
                                     related_name="+")
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("积分兑换日")
        verbose_name_plural = _("积分兑换日")
        ordering = ["-held_on"]

    def __str__(self):
        return f"{self.community} {self.held_on}"
