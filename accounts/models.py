"""Users and the roles they hold. A role's place (region or community) is a string
reference to the places app, which sits above this one."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

phone_validator = RegexValidator(r"^\+?[0-9\-]{7,20}$", _("请输入有效的电话号码（数字，可含 - 或 +）。"))


class User(AbstractUser):
    real_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True, validators=[phone_validator])

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.real_name or self.username

    @property
    def display_name(self) -> str:
        return self.real_name or self.get_full_name() or self.username



class Role(models.TextChoices):
    """Platform roles. Agency staff are not listed: belonging to an organisation
    (organizations.Membership) is what makes someone agency staff."""

    ADMIN = "admin", _("系统管理员")
    BUREAU = "bureau", _("民政局工作人员")
    STREET = "street", _("街道/乡镇工作人员")
    COMMUNITY = "community", _("社区工作人员")
    REVIEWER = "reviewer", _("评审专家")
    SUPERVISOR = "supervisor", _("督导")
    EVALUATOR = "evaluator", _("参与式评估员")


class RoleAssignment(models.Model):
    """A role held by a user, with its place where the role has one.

    bureau → the city or one district; street → one street; community → one community;
    the expert roles carry no place (they see what they are assigned).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    region = models.ForeignKey(
        "places.Region", verbose_name=_("管辖区划"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    community = models.ForeignKey(
        "places.Community",
        verbose_name=_("所属社区"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("授予时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=["bureau", "street"], region__isnull=False, community__isnull=True)
                    | Q(role="community", region__isnull=True, community__isnull=False)
                    | Q(
                        role__in=["admin", "reviewer", "supervisor", "evaluator"],
                        region__isnull=True,
                        community__isnull=True,
                    )
                ),
                name="role_assignment_scope_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region"], condition=Q(region__isnull=False), name="role_unique_region"
            ),
            models.UniqueConstraint(
                fields=["user", "role", "community"],
                condition=Q(community__isnull=False),
                name="role_unique_community",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(region__isnull=True, community__isnull=True),
                name="role_unique_placeless",
            ),
        ]

    def __str__(self):
        place = self.region or self.community
        return f"{self.user} · {self.get_role_display()}" + (f" · {place}" if place else "")
