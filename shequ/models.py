"""Core models: users, places (市 → 区县 → 街道 → 社区 → 院落), roles and the audit log."""

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


class Region(models.Model):
    """An administrative area above the community: the city, a district, a street."""

    class Level(models.TextChoices):
        CITY = "city", _("市")
        DISTRICT = "district", _("区（市）县")
        STREET = "street", _("街道/乡镇")

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"], name="region_level_code_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(level="city") | Q(parent__isnull=False),
                name="region_parent_required_below_city",
            ),
        ]

    def __str__(self):
        return self.name


class Community(models.Model):
    """A 社区 (residents' committee) or 村 (villagers' committee).

    A merged community is kept, pointing at the one that absorbed it, so that its
    projects and figures stay readable (佳宏路 absorbed 静明路 in 2017).
    """

    class Kind(models.TextChoices):
        URBAN = "urban", _("城市社区")
        RURAL = "rural", _("农村社区（村）")
        CONVERTED = "converted", _("村改居社区")
        MIXED = "mixed", _("商居混合社区")

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=100, help_text=_("如：佳宏路社区、五星村"))
    official_name = models.CharField(_("组织全称"), max_length=100, blank=True, help_text=_("如：佳宏路社区居委会"))
    street = models.ForeignKey(
        Region,
        verbose_name=_("所属街道/乡镇"),
        on_delete=models.PROTECT,
        related_name="communities",
        limit_choices_to={"level": Region.Level.STREET},
    )
    kind = models.CharField(_("社区类型"), max_length=16, choices=Kind.choices, default=Kind.URBAN)
    population = models.PositiveIntegerField(_("常住人口"), default=0)
    floating_population = models.PositiveIntegerField(_("流动人口"), default=0)
    households = models.PositiveIntegerField(_("户数"), default=0)
    grids = models.PositiveIntegerField(_("网格数"), default=0)
    micro_grids = models.PositiveIntegerField(_("微网格数"), default=0)
    party_members = models.PositiveIntegerField(_("党员人数"), default=0)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("并入社区"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="absorbed",
    )
    merged_on = models.DateField(_("合并日期"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("社区/村")
        verbose_name_plural = _("社区/村")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True, merged_on__isnull=True)
                | Q(merged_into__isnull=False, merged_on__isnull=False),
                name="community_merge_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("pk")),
                name="community_not_merged_into_itself",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.merged_into_id is None


class Courtyard(models.Model):
    community = models.ForeignKey(
        Community, verbose_name=_("社区"), on_delete=models.CASCADE, related_name="courtyards"
    )
    name = models.CharField(_("院落/小区名称"), max_length=100)
    households = models.PositiveIntegerField(_("户数"), default=0)

    class Meta:
        verbose_name = _("院落/小区")
        verbose_name_plural = _("院落/小区")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="courtyard_unique_name_in_community"),
        ]

    def __str__(self):
        return self.name


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
        Region, verbose_name=_("管辖区划"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    community = models.ForeignKey(
        Community, verbose_name=_("所属社区"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
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


# Labels for audit actions; the action itself stays a stable ASCII code. Later apps add
# their actions here as they land.
AUDIT_ACTION_LABELS = {
    "community.update": _("修改社区档案"),
    "community.merge": _("并入其他社区"),
    "community.absorb": _("接收合并社区"),
    "divisions.import": _("导入行政区划"),
    "role.assign": _("授予角色"),
    "organization.create": _("登记组织"),
    "organization.update": _("修改组织信息"),
    "membership.add": _("添加成员"),
    "membership.remove": _("移除成员"),
    "round.create": _("创建资助轮次"),
    "round.update": _("修改资助轮次"),
    "application.create": _("创建申报书"),
    "application.attach": _("上传附件"),
    "application.detach": _("删除附件"),
    "application.submit": _("提交申报"),
    "application.withdraw": _("撤回申报"),
    "application.endorse": _("填写社区意见"),
    "application.screen_pass": _("形式审查通过"),
    "application.screen_return": _("形式审查退回"),
    "application.approve": _("立项"),
    "application.reject": _("不予立项"),
    "application.return": _("退回修改"),
    "review.assign": _("分配评审专家"),
    "review.submit": _("提交评审表"),
    "project.create": _("创建立项项目"),
    "project.agreement": _("登记协议签订"),
    "project.disburse": _("登记拨付"),
    "progress.submitted": _("提交进度报告"),
    "progress.accepted": _("进度报告通过"),
    "progress.returned": _("进度报告退回"),
    "supervision.assign": _("分配督导"),
    "supervision.visit": _("记录督导"),
    "rectification.raise": _("提出整改"),
    "rectification.verify": _("核验整改"),
    "selforg.create": _("登记居民自组织"),
    "selforg.stage": _("自组织阶段变化"),
    "evaluation.create": _("安排评估"),
    "evaluation.sheet_submit": _("提交评估表"),
    "evaluation.feedback": _("结束评分，进入反馈"),
    "evaluation.answer": _("机构回应反馈"),
    "evaluation.published": _("发布评估结果"),
    "evaluation.decision": _("资助决定"),
    "project.terminate": _("终止项目"),
    "report.request": _("申请报表"),
}


class AuditEvent(models.Model):
    """One row per state change or sensitive write: who, what, from, to, why."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.SET_NULL, null=True, blank=True
    )
    action = models.CharField(_("操作"), max_length=64)
    object_type = models.CharField(_("对象类型"), max_length=64)
    object_id = models.CharField(_("对象编号"), max_length=64)
    object_repr = models.CharField(_("对象"), max_length=200)
    from_state = models.CharField(_("原状态"), max_length=32, blank=True)
    to_state = models.CharField(_("新状态"), max_length=32, blank=True)
    reason = models.TextField(_("原因/说明"), blank=True)
    data = models.JSONField(_("详情"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    @property
    def action_label(self) -> str:
        return AUDIT_ACTION_LABELS.get(self.action, self.action)


class NotificationKind(models.TextChoices):
    APPLICATION_SUBMITTED = "application_submitted", _("申报书提交")
    APPLICATION_RETURNED = "application_returned", _("申报书退回")
    REVIEW_ASSIGNED = "review_assigned", _("评审任务分配")
    APPLICATION_DECIDED = "application_decided", _("立项结论")
    PROGRESS_SUBMITTED = "progress_submitted", _("进度报告提交")
    PROGRESS_RETURNED = "progress_returned", _("进度报告退回")
    EVALUATION_ASSIGNED = "evaluation_assigned", _("评估任务分配")
    EVALUATION_PUBLISHED = "evaluation_published", _("评估结果发布")
    REPORT_READY = "report_ready", _("报表生成")
    PROGRESS_DUE = "progress_due", _("进度报告到期提醒")


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE,
                             related_name="notifications")
    kind = models.CharField(_("类型"), max_length=32, choices=NotificationKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
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


class NotificationPreference(models.Model):
    """Email is on for every kind unless a row here turns it off."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE,
                             related_name="notification_preferences")
    kind = models.CharField(_("类型"), max_length=32, choices=NotificationKind.choices)
    email = models.BooleanField(_("发送邮件"), default=True)

    class Meta:
        verbose_name = _("通知设置")
        verbose_name_plural = _("通知设置")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")]
