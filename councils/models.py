"""The 居民议事会 (seed 003): group councils elected in each resident group, the
community council chosen from them, proposals (议题), meetings, votes and ballots.

The secret ballot: `BallotRegister` (who voted) and `Ballot` (what was voted) are two
tables with nothing in common but the vote: no foreign key between them, no
timestamps or sequences on ballots (random UUID keys), and the ballot box is re-written
in shuffled order when the vote closes so that the physical order of rows does not
follow the order of voters (see README "居民议事会" for what remains)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class CouncilRules(models.Model):
    """The seat and procedure thresholds of one community; the defaults are the
    sources' (seed 003)."""

    community = models.OneToOneField("places.Community", verbose_name=_("社区"), on_delete=models.CASCADE,
                                     related_name="council_rules")
    group_min_members = models.PositiveSmallIntegerField(_("议事小组最少人数"), default=5)
    community_min_members = models.PositiveSmallIntegerField(_("社区议事会最少人数"), default=21)
    min_seats_per_group = models.PositiveSmallIntegerField(_("每个居民小组最少席位"), default=2)
    max_cadre_percent = models.PositiveSmallIntegerField(_("干部席位上限（%）"), default=50)
    cosign_threshold = models.PositiveSmallIntegerField(_("联名提议最少人数"), default=10)
    quorum_numerator = models.PositiveSmallIntegerField(_("到会比例（分子）"), default=4)
    quorum_denominator = models.PositiveSmallIntegerField(_("到会比例（分母）"), default=5)

    class Meta:
        verbose_name = _("议事规则")
        verbose_name_plural = _("议事规则")
        constraints = [
            models.CheckConstraint(condition=Q(max_cadre_percent__lte=100), name="council_rules_cadre_percent"),
            models.CheckConstraint(condition=Q(quorum_denominator__gt=0, quorum_numerator__gt=0)
                                   & Q(quorum_numerator__lte=F("quorum_denominator")), name="council_rules_quorum"),
            models.CheckConstraint(condition=Q(cosign_threshold__gte=1, group_min_members__gte=1,
                                               community_min_members__gte=1), name="council_rules_positive"),
        ]

    def __str__(self):
        return f"{self.community} · {self._meta.verbose_name}"


class GovernanceRole(models.Model):
    """Who acts for the community's party organisation (社区党组织: reviews proposals)
    and for the residents' committee (居委会: raises proposals, executes results).
    Held by the community's staff; made explicit rather than implied by a staff role."""

    class Kind(models.TextChoices):
        PARTY = "party", _("社区党组织")
        COMMITTEE = "committee", _("居民委员会")

    community = models.ForeignKey("places.Community", verbose_name=_("社区"), on_delete=models.CASCADE,
                                  related_name="governance_roles")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE,
                             related_name="governance_roles")
    kind = models.CharField(_("身份"), max_length=16, choices=Kind.choices)

    class Meta:
        verbose_name = _("议事身份")
        verbose_name_plural = _("议事身份")
        constraints = [models.UniqueConstraint(fields=["community", "user", "kind"], name="governance_role_unique")]

    def __str__(self):
        return f"{self.community} · {self.get_kind_display()} · {self.user}"


class Council(models.Model):
    class Kind(models.TextChoices):
        GROUP = "group", _("居民小组议事会")
        COMMUNITY = "community", _("社区协商议事会")

    class Status(models.TextChoices):
        FORMING = "forming", _("组建中")
        SEATED = "seated", _("履职中")
        ENDED = "ended", _("已届满")

    community = models.ForeignKey("places.Community", verbose_name=_("社区"), on_delete=models.PROTECT,
                                  related_name="councils")
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    group = models.ForeignKey("places.ResidentGroup", verbose_name=_("居民小组"), on_delete=models.PROTECT,
                              null=True, blank=True, related_name="councils")
    name = models.CharField(_("名称"), max_length=100)
    term_start = models.DateField(_("任期开始"))
    term_end = models.DateField(_("任期结束"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.FORMING)
    chair = models.ForeignKey("residents.Resident", verbose_name=_("议事长"), on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")
    vice_chair = models.ForeignKey("residents.Resident", verbose_name=_("副议事长"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("组建人"), on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("议事会")
        verbose_name_plural = _("议事会")
        ordering = ["community", "kind", "-term_start"]
        constraints = [
            models.CheckConstraint(condition=Q(kind="group", group__isnull=False)
                                   | Q(kind="community", group__isnull=True), name="council_group_matches_kind"),
            models.CheckConstraint(condition=Q(term_end__gt=F("term_start")), name="council_term_order"),
            models.CheckConstraint(condition=Q(chair__isnull=True) | ~Q(chair=F("vice_chair")),
                                   name="council_chair_not_vice"),
        ]

    def __str__(self):
        return self.name


class Seat(models.Model):
    """A resident's seat on a council, from `started_on` until `ended_on`. A
    replacement ends one seat and starts another: the history stays."""

    council = models.ForeignKey(Council, verbose_name=_("议事会"), on_delete=models.CASCADE, related_name="seats")
    resident = models.ForeignKey("residents.Resident", verbose_name=_("成员"), on_delete=models.PROTECT,
                                 related_name="council_seats")
    started_on = models.DateField(_("就任日期"))
    ended_on = models.DateField(_("离任日期"), null=True, blank=True)
    end_reason = models.CharField(_("离任原因"), max_length=200, blank=True)
    replaces = models.OneToOneField("self", verbose_name=_("接替"), on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="replaced_by")

    class Meta:
        verbose_name = _("议事会席位")
        verbose_name_plural = _("议事会席位")
        ordering = ["council", "started_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["council", "resident"], condition=Q(ended_on__isnull=True),
                                    name="seat_one_current_per_resident"),
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                                   name="seat_end_after_start"),
        ]

    def __str__(self):
        return f"{self.council} · {self.resident}"


class Proposal(models.Model):
    class Route(models.TextChoices):
        PARTY = "party", _("社区党组织提出")
        COMMITTEE = "committee", _("居委会提出")
        MEMBER = "member", _("议事会成员提出")
        RESIDENTS = "residents", _("居民联名提出")

    class Status(models.TextChoices):
        COLLECTING = "collecting", _("征集联名")
        REVIEW = "review", _("党组织审查中")
        ACCEPTED = "accepted", _("已列为正式议题")
        MERGED = "merged", _("已合并")
        REJECTED = "rejected", _("未予采纳")
        DECIDED = "decided", _("已表决")
        PUBLISHED = "published", _("结果已公示")

    class Outcome(models.TextChoices):
        PASSED = "passed", _("通过")
        FAILED = "failed", _("未通过")

    council = models.ForeignKey(Council, verbose_name=_("议事会"), on_delete=models.PROTECT,
                                related_name="proposals")
    title = models.CharField(_("议题"), max_length=200)
    body = models.TextField(_("内容"), max_length=5000)
    route = models.CharField(_("提出方式"), max_length=16, choices=Route.choices)
    proposer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT,
                                 related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.COLLECTING)
    merged_into = models.ForeignKey("self", verbose_name=_("并入议题"), on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="merged")
    decision_reason = models.CharField(_("审查意见"), max_length=1000, blank=True)
    outcome = models.CharField(_("表决结果"), max_length=16, choices=Outcome.choices, blank=True)
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("议题")
        verbose_name_plural = _("议题")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(merged_into=F("pk")), name="proposal_not_merged_into_itself"),
        ]

    def __str__(self):
        return self.title


class CoSignature(models.Model):
    proposal = models.ForeignKey(Proposal, verbose_name=_("议题"), on_delete=models.CASCADE,
                                 related_name="cosignatures")
    resident = models.ForeignKey("residents.Resident", verbose_name=_("居民"), on_delete=models.PROTECT,
                                 related_name="cosignatures")
    signed_at = models.DateTimeField(_("联名时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("联名")
        verbose_name_plural = _("联名")
        constraints = [models.UniqueConstraint(fields=["proposal", "resident"], name="cosignature_once")]

    def __str__(self):
        return f"{self.proposal} · {self.resident}"


class Meeting(models.Model):
    class Status(models.TextChoices):
        CALLED = "called", _("已召集")
        OPEN = "open", _("会议中")
        CLOSED = "closed", _("已结束")

    council = models.ForeignKey(Council, verbose_name=_("议事会"), on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(_("会议名称"), max_length=200)
    starts_at = models.DateTimeField(_("开会时间"))
    location = models.CharField(_("地点"), max_length=200)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.CALLED)
    agenda = models.ManyToManyField(Proposal, verbose_name=_("议程"), related_name="meetings", blank=True)
    checkin_token = models.CharField(_("签到码"), max_length=64, unique=True)
    called_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("召集人"), on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        verbose_name = _("议事会会议")
        verbose_name_plural = _("议事会会议")
        ordering = ["-starts_at"]

    def __str__(self):
        return self.title


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE,
                                related_name="attendances")
    seat = models.ForeignKey(Seat, verbose_name=_("席位"), on_delete=models.PROTECT, related_name="attendances")
    checked_in_at = models.DateTimeField(_("签到时间"), auto_now_add=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                      related_name="+")

    class Meta:
        verbose_name = _("签到")
        verbose_name_plural = _("签到")
        constraints = [models.UniqueConstraint(fields=["meeting", "seat"], name="attendance_once")]

    def __str__(self):
        return f"{self.meeting} · {self.seat}"


class Vote(models.Model):
    class Mode(models.TextChoices):
        SECRET = "secret", _("无记名投票")
        OPEN = "open", _("记名表决（经议事会决定）")
        PAPER = "paper", _("纸质选票（计票人录入）")

    class Status(models.TextChoices):
        PREPARED = "prepared", _("待表决")
        OPEN = "open", _("投票中")
        COUNTED = "counted", _("待复核")
        CLOSED = "closed", _("已计票")

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="votes")
    proposal = models.ForeignKey(Proposal, verbose_name=_("议题"), on_delete=models.PROTECT, related_name="votes")
    mode = models.CharField(_("表决方式"), max_length=16, choices=Mode.choices, default=Mode.SECRET)
    open_mode_basis = models.CharField(_("记名表决依据"), max_length=200, blank=True,
                                       help_text=_("记名表决须经议事会决定，请写明决定。"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PREPARED)
    members_count = models.PositiveSmallIntegerField(_("应到会人数"), null=True, blank=True)
    present_count = models.PositiveSmallIntegerField(_("实到人数"), null=True, blank=True)
    yes = models.PositiveSmallIntegerField(_("赞成"), null=True, blank=True)
    no = models.PositiveSmallIntegerField(_("反对"), null=True, blank=True)
    abstain = models.PositiveSmallIntegerField(_("弃权"), null=True, blank=True)
    passed = models.BooleanField(_("通过"), null=True, blank=True)
    teller = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("计票人"), on_delete=models.PROTECT,
                               null=True, blank=True, related_name="+")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("复核人"), on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("表决")
        verbose_name_plural = _("表决")
        ordering = ["meeting", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(yes__isnull=True) | Q(
                yes__lte=F("members_count") - F("no") - F("abstain")), name="vote_counts_within_members"),
            models.CheckConstraint(condition=~Q(mode="open") | ~Q(open_mode_basis=""),
                                   name="vote_open_mode_has_basis"),
            models.CheckConstraint(condition=Q(teller__isnull=True) | ~Q(teller=F("confirmed_by")),
                                   name="vote_teller_not_confirmer"),
        ]

    def __str__(self):
        return f"{self.meeting} · {self.proposal}"


class BallotRegister(models.Model):
    """Who has voted (and, in an open vote only, how). One row per member per vote."""

    vote = models.ForeignKey(Vote, verbose_name=_("表决"), on_delete=models.PROTECT, related_name="register")
    seat = models.ForeignKey(Seat, verbose_name=_("席位"), on_delete=models.PROTECT, related_name="+")
    named_choice = models.CharField(_("记名表决意见"), max_length=8, blank=True,
                                    help_text=_("仅记名表决填写；无记名投票永远为空。"))

    class Meta:
        verbose_name = _("投票登记")
        verbose_name_plural = _("投票登记")
        constraints = [models.UniqueConstraint(fields=["vote", "seat"], name="ballot_register_once")]

    def __str__(self):
        return f"{self.vote} · {self.seat}"


class Ballot(models.Model):
    """One ballot in the box. Deliberately nothing but the vote and the choice: a
    random key, no timestamp, no sequence, no link to the register."""

    class Choice(models.TextChoices):
        YES = "yes", _("赞成")
        NO = "no", _("反对")
        ABSTAIN = "abstain", _("弃权")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(Vote, verbose_name=_("表决"), on_delete=models.PROTECT, related_name="ballots")
    choice = models.CharField(_("选择"), max_length=8, choices=Choice.choices)

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")

    def __str__(self):
        return str(self.id)


class ExecutionItem(models.Model):
    """How a passed decision is carried out (表决结果公示后由自治组织执行)."""

    class Status(models.TextChoices):
        OPEN = "open", _("执行中")
        DONE = "done", _("已完成")
        OVERDUE = "overdue", _("逾期（已转整改）")

    proposal = models.ForeignKey(Proposal, verbose_name=_("议题"), on_delete=models.PROTECT,
                                 related_name="executions")
    description = models.CharField(_("执行事项"), max_length=300)
    owner = models.CharField(_("责任人/单位"), max_length=100)
    due_on = models.DateField(_("完成期限"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    project = models.ForeignKey("projects.Project", verbose_name=_("关联项目"), on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+")
    rectification = models.ForeignKey("projects.Rectification", verbose_name=_("整改事项"),
                                      on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("执行事项")
        verbose_name_plural = _("执行事项")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.description
