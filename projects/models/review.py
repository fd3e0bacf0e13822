"""Expert review of an application: one score sheet per reviewer and its scores."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from web.limits import TEXT_MAX_LENGTH

from .funding import Application, ReviewCriterion, ReviewForm


class ReviewSheet(models.Model):
    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("待评审")
        SUBMITTED = "submitted", _("已提交")

    class Recommendation(models.TextChoices):
        APPROVE = "approve", _("建议立项")
        REVISE = "revise", _("建议修改后再审")
        REJECT = "reject", _("不建议立项")

    application = models.ForeignKey(Application, verbose_name=_("申报书"), on_delete=models.CASCADE,
                                    related_name="review_sheets")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评审专家"), on_delete=models.PROTECT,
                                 related_name="review_sheets")
    form = models.ForeignKey(ReviewForm, verbose_name=_("评审表"), on_delete=models.PROTECT, related_name="sheets")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.ASSIGNED)
    recommendation = models.CharField(_("评审建议"), max_length=16, choices=Recommendation.choices, blank=True)
    comment = models.TextField(_("总体意见"), max_length=TEXT_MAX_LENGTH, blank=True)
    total = models.DecimalField(_("加权总分"), max_digits=6, decimal_places=2, null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("分配人"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(_("分配时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评审表（专家）")
        verbose_name_plural = _("评审表（专家）")
        ordering = ["application", "assigned_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="review_sheet_one_per_reviewer"),
            models.CheckConstraint(
                condition=Q(status="assigned") | Q(total__isnull=False, submitted_at__isnull=False),
                name="review_sheet_submitted_has_total",
            ),
        ]

    def __str__(self):
        return f"{self.application} · {self.reviewer}"


class ReviewScore(models.Model):
    sheet = models.ForeignKey(ReviewSheet, verbose_name=_("评审表"), on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(ReviewCriterion, verbose_name=_("评审项"), on_delete=models.PROTECT,
                                  related_name="+")
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("意见"), max_length=TEXT_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("评审得分")
        verbose_name_plural = _("评审得分")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="review_score_unique"),
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__gte=0), name="review_score_non_negative"),
        ]

    def __str__(self):
        return f"{self.criterion_id}: {self.score}"
