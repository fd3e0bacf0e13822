"""Report jobs: requested in a page or the API, built by a Celery worker, served
privately to users whose scope covers the report's."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from places.models import Region
from places.reporting import kind_label


def report_path(instance, filename):
    return f"reports/{instance.created_at:%Y/%m}/{instance.pk}/{filename}"


class Report(models.Model):
    class Format(models.TextChoices):
        XLSX = "xlsx", _("Excel 工作簿")
        PDF = "pdf", _("PDF（可打印）")
        CSV = "csv", _("CSV")

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")
        EXPIRED = "expired", _("已过期清理")

    # A code from the report-kind registry (places.reporting): kinds are registered by the
    # apps that own the figures, so they are not database choices.
    kind = models.CharField(_("类型"), max_length=32)
    format = models.CharField(_("格式"), max_length=8, choices=Format.choices)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    # The language of the page it was asked from: the worker builds headings in it.
    language = models.CharField(_("语言"), max_length=8, default="zh-hans", choices=settings.LANGUAGES)
    scope_region = models.ForeignKey(Region, verbose_name=_("范围"), on_delete=models.PROTECT, related_name="+",
                                     help_text=_("报表覆盖的市或区（市）县；只对覆盖它的用户开放。"))
    # The project a dossier covers; empty for region-wide reports.
    project = models.ForeignKey("projects.Project", verbose_name=_("项目"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    dedupe_key = models.CharField(_("请求指纹"), max_length=64, db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="reports")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED,
                              db_index=True)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    row_count = models.PositiveIntegerField(_("行数"), default=0)
    file = models.FileField(_("文件"), upload_to=report_path, blank=True)
    error = models.TextField(_("错误"), max_length=5000, blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    # Automatic restarts after a lost worker since the job was last requested or retried
    # by a person; bounded by SHEQU_REPORT_MAX_ATTEMPTS.
    restarts = models.PositiveSmallIntegerField(_("自动重启次数"), default=0)
    # When the job was (re)queued: beat sends it to the broker again if no worker has
    # started it a minute later (the broker was down, the message was lost).
    queued_at = models.DateTimeField(_("排队时间"), default=timezone.now)
    # Written by the running worker while it builds; a stale heartbeat means the worker died.
    heartbeat_at = models.DateTimeField(_("心跳时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("报表")
        verbose_name_plural = _("报表")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open job per request fingerprint: a double submit or a race between two
            # requests cannot queue the same report twice.
            models.UniqueConstraint(fields=["dedupe_key"], condition=models.Q(status__in=["queued", "running"]),
                                    name="report_one_open_job_per_request"),
        ]
        indexes = [models.Index(fields=["-created_at", "-id"], name="report_created_idx")]

    def __str__(self):
        return f"{self.kind_label} · {self.scope_region} · {self.get_format_display()}"

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def title(self) -> str:
        return _("%(region)s%(kind)s") % {"region": self.scope_region.name, "kind": self.kind_label}
