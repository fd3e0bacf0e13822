from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """A create request seen once: the form's one-time token or the API's
    Idempotency-Key, per user and path, with the answer it got (a redirect or a JSON
    body). An empty answer means the first request is still being handled."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE,
                             related_name="+")
    key = models.CharField(_("令牌"), max_length=64)
    path = models.CharField(_("路径"), max_length=300)
    method = models.CharField(_("方式"), max_length=8, default="POST")
    status_code = models.PositiveSmallIntegerField(_("响应状态"), null=True, blank=True)
    location = models.CharField(_("跳转地址"), max_length=500, blank=True)
    content_type = models.CharField(_("内容类型"), max_length=100, blank=True)
    # A stored API response, never typed by anyone; the bound documents what is plausible.
    body = models.TextField(_("响应内容"), max_length=1_000_000, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("防重复提交令牌")
        verbose_name_plural = _("防重复提交令牌")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "path", "key"], name="idempotency_key_once")]

    def __str__(self):
        return f"{self.user_id} {self.path} {self.key}"

    @property
    def completed(self) -> bool:
        return self.status_code is not None
