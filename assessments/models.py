"""Participatory evaluation (参与式评估) on a versioned rubric: 6 categories, 53
indicators by default, loaded from data/rubric_default.json."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from projects.models import Project
from web.limits import TEXT_MAX_LENGTH, plausible_date

DEFAULT_GRADE_BANDS = [
    {"min": 90, "code": "excellent", "label": "优秀"},
    {"min": 80, "code": "good", "label": "良好"},
    {"min": 60, "code": "pass", "label": "合格"},
    {"min": 0, "code": "fail", "label": "不合格"},
]


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


class Rubric(models.Model):
    """A versioned rubric. Once an evaluation uses it, it is frozen: changes make a new
    version, and old evaluations keep showing the version they were scored on."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        ACTIVE = "active", _("启用")
        RETIRED = "retired", _("停用")

    name = models.CharField(_("名称"), max_length=100)
    version = models.PositiveIntegerField(_("版本"), default=1)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    note = models.TextField(_("说明"), max_length=TEXT_MAX_LENGTH, blank=True)
    grade_bands = models.JSONField(
        _("等级划分"), default=list, help_text=_('由高到低：[{"min": 90, "code": "excellent", "label": "优秀"}, …]')
    )
    spread_threshold = models.DecimalField(_("分歧提示阈值（分）"), max_digits=5, decimal_places=2,
                                           default=Decimal("1"),
                                           help_text=_("同一指标各评估员打分的最高与最低相差超过此值时提示讨论。"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评估体系")
        verbose_name_plural = _("评估体系")
        ordering = ["name", "-version"]
        constraints = [models.UniqueConstraint(fields=["name", "version"], name="rubric_unique_version")]

    def __str__(self):
        return gettext("%(name)s（第 %(v)s 版）") % {"name": self.name, "v": self.version}

    @property
    def is_in_use(self) -> bool:
        return self.evaluations.exists()


class RubricCategory(models.Model):
    rubric = models.ForeignKey(Rubric, verbose_name=_("评估体系"), on_delete=models.CASCADE,
                               related_name="categories")
    code = models.CharField(_("代码"), max_length=32)
    name = models.CharField(_("范畴"), max_length=100)
    weight = models.DecimalField(_("分值"), max_digits=6, decimal_places=2)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("评估范畴")
        verbose_name_plural = _("评估范畴")
        ordering = ["rubric", "order"]
        constraints = [models.UniqueConstraint(fields=["rubric", "code"], name="rubric_category_unique_code")]

    def __str__(self):
        return self.name


class Indicator(models.Model):
    category = models.ForeignKey(RubricCategory, verbose_name=_("范畴"), on_delete=models.CASCADE,
                                 related_name="indicators")
    code = models.CharField(_("代码"), max_length=32)
    name = models.CharField(_("指标"), max_length=100)
    description = models.TextField(_("说明"), max_length=TEXT_MAX_LENGTH, blank=True)
    evidence = models.TextField(_("查看的佐证"), max_length=TEXT_MAX_LENGTH, blank=True)
    max_score = models.DecimalField(_("满分"), max_digits=5, decimal_places=2)
    levels = models.JSONField(
        _("分级评分指引"),
        default=list,
        help_text=_('[{"level": "excellent", "label": "优", "points": 2, "guidance": "…"}, …]'),
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("评估指标")
        verbose_name_plural = _("评估指标")
        ordering = ["category__order", "order"]
        constraints = [models.CheckConstraint(condition=Q(max_score__gt=0), name="indicator_max_positive")]

    def __str__(self):
        return f"{self.code} {self.name}"


class Evaluation(models.Model):
    class Stage(models.TextChoices):
        MIDTERM = "midterm", _("中期评估")
        FINAL = "final", _("结项评估")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        SCORING = "scoring", _("评分中")
        FEEDBACK = "feedback", _("反馈与问答")
        PUBLISHED = "published", _("已发布")

    class Decision(models.TextChoices):
        NONE = "", _("待决定")
        CONTINUE = "continue", _("继续资助")
        TERMINATE = "terminate", _("终止资助")

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="evaluations")
    rubric = models.ForeignKey(Rubric, verbose_name=_("评估体系"), on_delete=models.PROTECT,
                               related_name="evaluations")
    stage = models.CharField(_("评估阶段"), max_length=16, choices=Stage.choices)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.SCORING, db_index=True)
    scheduled_on = models.DateField(_("评估日期"), validators=[plausible_date])
    place = models.CharField(_("地点"), max_length=200, blank=True)
    lead_evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("牵头评估员"), null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+")
    feedback = models.TextField(_("综合反馈"), max_length=TEXT_MAX_LENGTH, blank=True)
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("等级"), max_length=16, choices=Grade.choices, blank=True)
    # Category subtotals fixed when scoring closes, so reports compare categories across
    # thousands of evaluations without re-reading their scores.
    category_scores = models.JSONField(_("范畴得分"), default=dict, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    decision = models.CharField(_("资助决定"), max_length=16, choices=Decision.choices, blank=True, default="")
    decision_reason = models.TextField(_("决定理由"), max_length=TEXT_MAX_LENGTH, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("决定人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评估")
        verbose_name_plural = _("评估")
        ordering = ["-scheduled_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(total__isnull=False, published_at__isnull=False),
                name="evaluation_published_has_total",
            ),
        ]

    def __str__(self):
        return f"{self.project} · {self.get_stage_display()}"

    @property
    def needs_termination_decision(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.grade == Grade.FAIL and not self.decision


class EvaluatorSheet(models.Model):
    class Kind(models.TextChoices):
        EVALUATOR = "evaluator", _("评估员评分")
        SELF = "self", _("机构自评")

    class Status(models.TextChoices):
        DRAFT = "draft", _("填写中")
        SUBMITTED = "submitted", _("已提交")

    evaluation = models.ForeignKey(Evaluation, verbose_name=_("评估"), on_delete=models.CASCADE,
                                   related_name="sheets")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评分人"), on_delete=models.PROTECT,
                                  related_name="evaluator_sheets")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.EVALUATOR)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("最近保存"), auto_now=True)

    class Meta:
        verbose_name = _("评估表")
        verbose_name_plural = _("评估表")
        ordering = ["evaluation", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "evaluator", "kind"], name="sheet_one_per_evaluator"),
            models.CheckConstraint(condition=Q(status="draft") | Q(total__isnull=False, submitted_at__isnull=False),
                                   name="sheet_submitted_has_total"),
        ]

    def __str__(self):
        return f"{self.evaluation} · {self.evaluator}"


class Score(models.Model):
    sheet = models.ForeignKey(EvaluatorSheet, verbose_name=_("评估表"), on_delete=models.CASCADE,
                              related_name="scores")
    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=2, null=True, blank=True)
    evidence = models.TextField(_("所见佐证"), max_length=TEXT_MAX_LENGTH, blank=True)
    comment = models.TextField(_("意见"), max_length=TEXT_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("得分")
        verbose_name_plural = _("得分")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "indicator"], name="score_unique_indicator"),
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__gte=0), name="score_non_negative"),
        ]

    def __str__(self):
        return f"{self.sheet_id}·{self.indicator_id}: {self.score}"


class FeedbackPoint(models.Model):
    """One point of the written feedback, answered by the agency (问答)."""

    class Kind(models.TextChoices):
        STRENGTH = "strength", _("亮点")
        PROBLEM = "problem", _("问题")
        SUGGESTION = "suggestion", _("建议")

    evaluation = models.ForeignKey(Evaluation, verbose_name=_("评估"), on_delete=models.CASCADE,
                                   related_name="feedback_points")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    text = models.TextField(_("内容"), max_length=TEXT_MAX_LENGTH)
    answer = models.TextField(_("机构回应"), max_length=TEXT_MAX_LENGTH, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("回应人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(_("回应时间"), null=True, blank=True)
    rectification = models.ForeignKey("projects.Rectification", verbose_name=_("整改事项"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("反馈要点")
        verbose_name_plural = _("反馈要点")
        ordering = ["evaluation", "kind", "pk"]

    def __str__(self):
        return self.text[:40]
