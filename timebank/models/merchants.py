"""Partner merchants, the rewards they offer for points, redemptions and the community's
redemption days."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
