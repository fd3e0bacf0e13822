"""Community micro-grant contests (微创投大赛) on the round engine: the residents' review
committee that scores them (e.g. 铁门社区's 10-member 院落美化评审会, seed 002) and the
grant a decided application receives. The contest itself is a FundingRound of kind
"contest", its applications are Applications and its scores ReviewSheets."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from places.models import Community
from web.limits import TEXT_MAX_LENGTH, plausible_date

from .choices import MONEY
from .funding import Application

__all__ = ["CommitteeMember", "ContestGrant", "ReviewCommittee"]


class ReviewCommittee(models.Model):
    """A residents' review committee, with its rules as data: how many members at most,
    who may join, and the agreed join and exit rules (团创会议)."""

    class Eligibility(models.TextChoices):
        RESIDENTS = "residents", _("仅本社区登记居民")
        RESIDENTS_AND_STAFF = "residents_and_staff", _("本社区登记居民和社区工作人员")

    community = models.ForeignKey(Community, verbose_name=_("社区"), on_delete=models.PROTECT,
                                  related_name="review_committees")
    name = models.CharField(_("名称"), max_length=100, help_text=_("如：院落美化评审会"))
    max_members = models.PositiveSmallIntegerField(_("成员上限"), default=10,
                                                   validators=[MinValueValidator(3), MaxValueValidator(50)])
    eligibility = models.CharField(_("可加入人员"), max_length=32, choices=Eligibility.choices,
                                   default=Eligibility.RESIDENTS_AND_STAFF)
    duties = models.TextField(_("职责"), max_length=TEXT_MAX_LENGTH, blank=True)
    join_rule = models.TextField(_("加入机制"), max_length=TEXT_MAX_LENGTH, blank=True)
    exit_rule = models.TextField(_("退出机制"), max_length=TEXT_MAX_LENGTH, blank=True)
    formed_on = models.DateField(_("成立日期"), validators=[plausible_date])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("居民评审会")
        verbose_name_plural = _("居民评审会")
        ordering = ["community", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="committee_unique_name_in_community"),
            models.CheckConstraint(condition=Q(max_members__gte=3, max_members__lte=50),
                                   name="committee_max_members_range"),
        ]

    def __str__(self):
        return self.name

    def members_on(self, day):
        """Members serving on `day` (joined on or before it, not yet left)."""
        return self.members.filter(joined_on__lte=day).filter(Q(left_on__isnull=True) | Q(left_on__gt=day))


class CommitteeMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("主席")
        VICE_CHAIR = "vice_chair", _("副主席")
        MEMBER = "member", _("成员")

    committee = models.ForeignKey(ReviewCommittee, verbose_name=_("评审会"), on_delete=models.CASCADE,
                                  related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("成员账号"), on_delete=models.PROTECT,
                             related_name="committee_seats")
    role = models.CharField(_("职务"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    background = models.CharField(_("身份"), max_length=100, blank=True, help_text=_("如：院落骨干、社区党员"))
    joined_on = models.DateField(_("加入日期"), validators=[plausible_date])
    left_on = models.DateField(_("退出日期"), validators=[plausible_date], null=True, blank=True)
    exit_reason = models.CharField(_("退出原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("评审会成员")
        verbose_name_plural = _("评审会成员")
        ordering = ["committee", "left_on", "role", "joined_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "user"], condition=Q(left_on__isnull=True),
                                    name="committee_member_one_active_seat"),
            models.UniqueConstraint(fields=["committee"], condition=Q(left_on__isnull=True, role="chair"),
                                    name="committee_one_chair"),
            models.UniqueConstraint(fields=["committee"], condition=Q(left_on__isnull=True, role="vice_chair"),
                                    name="committee_one_vice_chair"),
            models.CheckConstraint(condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                                   name="committee_member_left_after_joined"),
        ]

    def __str__(self):
        return f"{self.committee} · {self.user} ({self.get_role_display()})"

    def clean(self):
        if self.left_on and self.joined_on and self.left_on < self.joined_on:
            raise ValidationError({"left_on": _("退出日期不能早于加入日期。")})


class ContestGrant(models.Model):
    """What an approved contest application receives, and the ledger entry that paid it."""

    application = models.OneToOneField(Application, verbose_name=_("申报书"), on_delete=models.PROTECT,
                                       related_name="contest_grant")
    amount = models.DecimalField(_("资助金额（元）"), **MONEY)
    ledger_reference = models.CharField(_("账目凭证"), max_length=60, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("决定人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("决定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("微创投资助")
        verbose_name_plural = _("微创投资助")
        ordering = ["-amount", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=Decimal("0")), name="contest_grant_positive")]

    def __str__(self):
        return f"{self.application} {self.amount}"
