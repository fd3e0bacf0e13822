from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .registry import kind_label


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE,
                             related_name="notifications")
    # A code registered in notifications.registry by the app that sends it.
    kind = models.CharField(_("类型"), max_length=32)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), max_length=5000, blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread_idx")]

    def __str__(self):
        return self.title

    def get_kind_display(self) -> str:
        return str(kind_label(self.kind))


class NotificationPreference(models.Model):
    """Email is on for every kind unless a row here turns it off."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE,
                             related_name="notification_preferences")
    kind = models.CharField(_("类型"), max_length=32)
    email = models.BooleanField(_("发送邮件"), default=True)

    class Meta:
        verbose_name = _("通知设置")
        verbose_name_plural = _("通知设置")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()}"

    def get_kind_display(self) -> str:
        return str(kind_label(self.kind))


class OutboxMessage(models.Model):
    """An e-mail that must go out, written in the same transaction as the change that
    caused it and delivered later by a Celery task (notifications.outbox). The row is
    the truth: a broker that is down, a worker that dies or an SMTP server that refuses
    only delays it; `key` makes writing it and sending it idempotent."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    key = models.CharField(_("幂等键"), max_length=100, unique=True)
    notification = models.ForeignKey(Notification, verbose_name=_("通知"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="outbox_messages")
    recipient = models.EmailField(_("收件人"), max_length=254)
    subject = models.CharField(_("主题"), max_length=250)
    body = models.TextField(_("正文"), max_length=20000, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), default=timezone.now)
    last_error = models.TextField(_("最近错误"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("待发邮件")
        verbose_name_plural = _("待发邮件")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=["pending", "sent", "failed"]),
                                   name="outbox_status_valid"),
            models.CheckConstraint(condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                                   name="outbox_sent_has_time"),
        ]

    def __str__(self):
        return f"{self.recipient} · {self.subject}"
