"""The community's needs, resources and tasks, and who responded to and checked in to a
task (seed 004, 佳宏路社区). Points for a confirmed check-in go through the ledger."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .ledger import Category


class Need(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("待对接")
        MATCHED = "matched", _("已对接")
        MET = "met", _("已解决")
        CLOSED = "closed", _("已关闭")

    class Urgency(models.TextChoices):
        LOW = "low", _("一般")
        NORMAL = "normal", _("较急")
        HIGH = "high", _("紧急")

    class Source(models.TextChoices):
        PHONE = "phone", _("居民手机提交")
        MEETING = "meeting", _("坝坝会记录")
        VISIT = "visit", _("走访收集")

    community = models.ForeignKey("places.Community", verbose_name=_("社区"), on_delete=models.PROTECT,
                                  related_name="needs")
    courtyard = models.ForeignKey("places.Courtyard", verbose_name=_("院落/小区"), on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="needs")
    title = models.CharField(_("需求"), max_length=100)
    description = models.TextField(_("说明"), max_length=2000, blank=True)
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices)
    urgency = models.CharField(_("紧急程度"), max_length=8, choices=Urgency.choices, default=Urgency.LOW)
    beneficiaries = models.CharField(_("受益对象"), max_length=100, blank=True,
                                     help_text=_("如：独居老人、双职工家庭儿童"))
    beneficiary_count = models.PositiveIntegerField(_("受益人数"), default=1)
    source = models.CharField(_("来源"), max_length=8, choices=Source.choices, default=Source.PHONE)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提出/记录人"), on_delete=models.PROTECT,
                                  related_name="+")
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("需求")
        verbose_name_plural = _("需求清单")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(beneficiary_count__gte=1, beneficiary_count__lte=100000),
                                   name="need_beneficiary_count_range"),
        ]

    def __str__(self):
        return self.title


class Resource(models.Model):
    class Kind(models.TextChoices):
        SKILL = "skill", _("技能")
        SPACE = "space", _("场地")
        GOODS = "goods", _("物资")
        SERVICE = "service", _("服务")

    community = models.ForeignKey("places.Community", verbose_name=_("社区"), on_delete=models.PROTECT,
                                  related_name="resources")
    courtyard = models.ForeignKey("places.Courtyard", verbose_name=_("院落/小区"), on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="resources")
    title = models.CharField(_("资源"), max_length=100)
    kind = models.CharField(_("形式"), max_length=8, choices=Kind.choices)
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices)
    description = models.TextField(_("说明"), max_length=2000, blank=True)
    availability = models.CharField(_("可提供时间"), max_length=100, blank=True, help_text=_("如：每月第一个周六上午"))
    organization = models.ForeignKey("organizations.Organization", verbose_name=_("提供组织/商家"),
                                     on_delete=models.PROTECT, null=True, blank=True, related_name="timebank_resources")
    resident = models.ForeignKey("residents.Resident", verbose_name=_("提供居民"), on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="resources")
    is_active = models.BooleanField(_("可用"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("资源")
        verbose_name_plural = _("资源清单")
        ordering = ["community", "category", "title"]

    def __str__(self):
        return self.title

    @property
    def provider(self):
        return self.organization or self.resident or ""


class Task(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", _("已发布")
        IN_PROGRESS = "in_progress", _("进行中")
        DONE = "done", _("已完成")
        CANCELLED = "cancelled", _("已取消")

    community = models.ForeignKey("places.Community", verbose_name=_("社区"), on_delete=models.PROTECT,
                                  related_name="timebank_tasks")
    courtyard = models.ForeignKey("places.Courtyard", verbose_name=_("院落/小区"), on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="timebank_tasks")
    title = models.CharField(_("任务"), max_length=100)
    description = models.TextField(_("说明"), max_length=2000, blank=True)
    place = models.CharField(_("地点"), max_length=100)
    starts_at = models.DateTimeField(_("开始时间"))
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=4, decimal_places=1, default=2)
    slots = models.PositiveIntegerField(_("志愿者名额"), default=10)
    points = models.PositiveIntegerField(_("每次签到积分"), help_text=_("默认取社区积分规则"))
    needs = models.ManyToManyField(Need, verbose_name=_("服务的需求"), blank=True, related_name="tasks")
    resources = models.ManyToManyField(Resource, verbose_name=_("使用的资源"), blank=True, related_name="tasks")
    publisher_organization = models.ForeignKey("organizations.Organization", verbose_name=_("发布组织/商家"),
                                               on_delete=models.PROTECT, null=True, blank=True,
                                               related_name="timebank_tasks")
    team = models.ForeignKey("organizations.SelfOrganization", verbose_name=_("志愿服务队"), on_delete=models.PROTECT,
                             null=True, blank=True, related_name="timebank_tasks")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PUBLISHED)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT,
                                     related_name="+")
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("任务")
        verbose_name_plural = _("任务清单")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(slots__gte=1, slots__lte=1000), name="task_slots_range"),
            models.CheckConstraint(condition=Q(points__gte=1, points__lte=10000), name="task_points_range"),
            models.CheckConstraint(condition=Q(hours__gt=0, hours__lte=24), name="task_hours_range"),
        ]

    def __str__(self):
        return self.title


class TaskResponse(models.Model):
    """A merchant or organisation answering a published task in one step."""

    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="responses")
    organization = models.ForeignKey("organizations.Organization", verbose_name=_("响应组织/商家"),
                                     on_delete=models.PROTECT, related_name="task_responses")
    note = models.CharField(_("提供什么"), max_length=200, blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("响应人"), on_delete=models.PROTECT,
                                     related_name="+")
    created_at = models.DateTimeField(_("响应时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("任务响应")
        verbose_name_plural = _("任务响应")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["task", "organization"], name="task_response_once_per_org"),
        ]

    def __str__(self):
        return f"{self.organization} → {self.task}"


class CheckIn(models.Model):
    """A volunteer at a task: scanned on the phone (or ticked from the list by the
    organiser), then confirmed by the organiser, which credits the points once."""

    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.PROTECT, related_name="checkins")
    resident = models.ForeignKey("residents.Resident", verbose_name=_("志愿者"), on_delete=models.PROTECT,
                                 related_name="checkins")
    scanned_at = models.DateTimeField(_("签到时间"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("确认人"), on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("签到")
        verbose_name_plural = _("签到")
        ordering = ["task", "scanned_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["task", "resident"], name="checkin_once_per_volunteer_task"),
        ]

    def __str__(self):
        return f"{self.resident} @ {self.task}"


class TeamMember(models.Model):
    """A volunteer in a volunteer team (a residents' self-organisation)."""

    team = models.ForeignKey("organizations.SelfOrganization", verbose_name=_("志愿服务队"), on_delete=models.CASCADE,
                             related_name="timebank_members")
    resident = models.ForeignKey("residents.Resident", verbose_name=_("志愿者"), on_delete=models.CASCADE,
                                 related_name="teams")
    joined_on = models.DateField(_("加入日期"))

    class Meta:
        verbose_name = _("服务队队员")
        verbose_name_plural = _("服务队队员")
        constraints = [
            models.UniqueConstraint(fields=["team", "resident"], name="team_member_once"),
        ]

    def __str__(self):
        return f"{self.resident} @ {self.team}"
