"""Residents as users. A resident belongs to one community and one household, and
optionally to a courtyard and a resident group. Being a resident grants no staff scope
(places.access.PlaceScope knows nothing of residents): what a resident may see is
decided by `residents.access`, built on this profile."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Resident(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.PROTECT,
                                related_name="resident")
    community = models.ForeignKey("places.Community", verbose_name=_("社区"), on_delete=models.PROTECT,
                                  related_name="residents")
    household = models.ForeignKey("places.Household", verbose_name=_("户"), on_delete=models.PROTECT,
                                  related_name="residents")
    courtyard = models.ForeignKey("places.Courtyard", verbose_name=_("院落/小区"), on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="residents")
    group = models.ForeignKey("places.ResidentGroup", verbose_name=_("居民小组"), on_delete=models.SET_NULL,
                              null=True, blank=True, related_name="residents")
    is_cadre = models.BooleanField(_("社区或小组干部"), default=False,
                                   help_text=_("议事会中干部席位不超过一半，按此计算。"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                      null=True, blank=True, related_name="+")
    registered_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("居民")
        verbose_name_plural = _("居民")
        ordering = ["community", "household__number", "pk"]

    def __str__(self):
        return str(self.user)


class InviteCode(models.Model):
    """A one-time code with which a registered resident sets a password on their phone.
    Only a hash is stored: the code itself exists on the printed sheet and nowhere else."""

    resident = models.ForeignKey(Resident, verbose_name=_("居民"), on_delete=models.CASCADE, related_name="invites")
    code_hash = models.CharField(_("邀请码摘要"), max_length=64, unique=True)
    expires_at = models.DateTimeField(_("失效时间"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发放人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("发放时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("邀请码")
        verbose_name_plural = _("邀请码")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["resident", "used_at"], name="invite_resident_used_idx")]

    def __str__(self):
        return f"{self.resident} · {self.expires_at:%Y-%m-%d}"


class SignInCode(models.Model):
    """A one-time sign-in code sent by SMS. Six digits are guessable, so the hash is
    keyed (HMAC with the secret key and the user) and attempts are counted."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE,
                             related_name="signin_codes")
    code_hash = models.CharField(_("验证码摘要"), max_length=64)
    expires_at = models.DateTimeField(_("失效时间"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    created_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("登录验证码")
        verbose_name_plural = _("登录验证码")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(attempts__lte=20), name="signin_code_attempts_bounded"),
        ]

    def __str__(self):
        return f"{self.user} · {self.created_at:%Y-%m-%d %H:%M}"
