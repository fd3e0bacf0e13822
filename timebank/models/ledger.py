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
