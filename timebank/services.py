"""Writes for needs, resources, tasks, check-ins, merchants and redemptions. Points move
only through `ledger`."""

import datetime
import secrets

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit import services as audit
from notifications.services import notify
from organizations.access import organization_ids_for_member
from organizations.models import Membership, Organization

from . import access, ledger
from .models import CheckIn, Entry, Need, Partner, Redemption, RedemptionDay, Resource, Reward, Task, TaskResponse
from .workflows import need_machine, redemption_machine, task_machine

CHECKIN_SALT = "timebank.checkin"
CHECKIN_MAX_AGE = 12 * 3600  # a QR code shown at the place is good for half a day


def _plausible(moment: datetime.datetime | datetime.date, field: str) -> None:
    year = moment.year
    if not 2000 <= year <= 2100:
        raise ValidationError({field: _("请填写 2000—2100 年之间的日期。")})


# --- needs and resources -------------------------------------------------------------------

@transaction.atomic
def need_create(*, actor, community, title: str, category: str, description: str = "", courtyard=None,
                urgency: str = Need.Urgency.LOW, beneficiaries: str = "", beneficiary_count: int = 1,
                source: str | None = None) -> Need:
    """A resident raises a need on the phone; staff record one from a 坝坝会 or a visit."""
    if not access.can_raise_need(actor, community):
        raise PermissionDenied(_("只有本社区居民和社区工作人员可以提出需求。"))
    if courtyard is not None and courtyard.community_id != community.pk:
        raise ValidationError({"courtyard": _("该院落不属于所选社区。")})
    staff = access.can_keep(actor, community)
    if not staff:
        source = Need.Source.PHONE
    elif source not in Need.Source.values:
        source = Need.Source.MEETING
    need = Need.objects.create(community=community, courtyard=courtyard, title=title, category=category,
                               description=description, urgency=urgency, beneficiaries=beneficiaries,
                               beneficiary_count=beneficiary_count, source=source, raised_by=actor)
    audit.record(actor=actor, obj=need, action="need.create", to_state=need.status, data={"source": source})
    return need


def need_step(*, need: Need, actor, name: str, reason: str = "") -> Need:
    return need_machine.fire(need, name, actor=actor, reason=reason)


@transaction.atomic
def resource_create(*, actor, community, title: str, kind: str, category: str, description: str = "",
                    availability: str = "", courtyard=None, organization: Organization | None = None,
                    resident=None) -> Resource:
    if organization is not None:
        if organization.pk not in organization_ids_for_member(actor) and not access.can_keep(actor, community):
            raise PermissionDenied(_("只能以您所在的组织名义登记资源。"))
    elif resident is not None:
        own = access.resident_of(actor)
        if (own is None or own.pk != resident.pk) and not access.can_keep(actor, community):
            raise PermissionDenied(_("只能登记您自己提供的资源。"))
        if resident.community_id != community.pk:
            raise ValidationError({"resident": _("该居民不属于所选社区。")})
    else:
        raise ValidationError(_("请注明资源由哪个组织、商家或居民提供。"))
    if courtyard is not None and courtyard.community_id != community.pk:
        raise ValidationError({"courtyard": _("该院落不属于所选社区。")})
    resource = Resource.objects.create(community=community, courtyard=courtyard, title=title, kind=kind,
                                       category=category, description=description, availability=availability,
                                       organization=organization, resident=resident, created_by=actor)
    audit.record(actor=actor, obj=resource, action="resource.create")
    return resource


# --- tasks --------------------------------------------------------------------------------

@transaction.atomic
def task_create(*, actor, community, title: str, place: str, starts_at: datetime.datetime, description: str = "",
                courtyard=None, hours=2, slots: int = 10, points: int | None = None, needs=(), resources=(),
                publisher_organization: Organization | None = None, team=None) -> Task:
    """Community staff publish for the community (or on behalf of a volunteer team);
    merchant staff publish in their organisation's name."""
    keeper = access.can_keep(actor, community)
    if publisher_organization is not None:
        if publisher_organization.pk not in access.merchant_org_ids(actor, community.pk) and not keeper:
            raise PermissionDenied(_("只能以本社区时间银行的合作商家名义发布任务。"))
    elif not keeper:
        org_ids = access.merchant_org_ids(actor, community.pk)
        if not org_ids:
            raise PermissionDenied(_("只有社区工作人员、合作商家可以发布任务。"))
        publisher_organization = Organization.objects.get(pk=min(org_ids))
    _plausible(starts_at, "starts_at")
    if courtyard is not None and courtyard.community_id != community.pk:
        raise ValidationError({"courtyard": _("该院落不属于所选社区。")})
    if team is not None and team.community_id != community.pk:
        raise ValidationError({"team": _("该服务队不属于所选社区。")})
    needs, resources = list(needs), list(resources)
    if any(n.community_id != community.pk for n in needs) or any(r.community_id != community.pk for r in resources):
        raise ValidationError(_("任务只能关联本社区的需求和资源。"))
    task = Task.objects.create(community=community, courtyard=courtyard, title=title, description=description,
                               place=place, starts_at=starts_at, hours=hours, slots=slots,
                               points=points or ledger.rule_for(community).points_per_checkin,
                               publisher_organization=publisher_organization, team=team, published_by=actor)
    task.needs.set(needs)
    task.resources.set(resources)
    audit.record(actor=actor, obj=task, action="task.create", to_state=task.status,
                 data={"needs": [n.pk for n in needs], "points": task.points})
    # A need a task now serves is matched (a consequence of publishing: the system fires it).
    for need in needs:
        if need.status == Need.Status.OPEN:
            need_machine.fire(need, "match", actor=actor, system=True, reason=_("发布任务：%(t)s") % {"t": title})
    return task


def task_step(*, task: Task, actor, name: str, reason: str = "") -> Task:
    return task_machine.fire(task, name, actor=actor, reason=reason)


@transaction.atomic
def task_respond(*, task: Task, actor, note: str = "", organization: Organization | None = None) -> TaskResponse:
    """A merchant or organisation answers a task in one step."""
    org_ids = access.responder_org_ids(actor, task.community_id)
    if not org_ids:
        raise PermissionDenied(_("只有本社区时间银行的合作商家和驻社区组织可以响应任务。"))
    if organization is None:
        organization = Organization.objects.get(pk=min(org_ids))
    elif organization.pk not in org_ids:
        raise PermissionDenied(_("只能以您所在的商家或组织名义响应。"))
    if task.status not in (Task.Status.PUBLISHED, Task.Status.IN_PROGRESS):
        raise ValidationError(_("该任务已结束，不能再响应。"))
    try:
        with transaction.atomic():
            response = TaskResponse.objects.create(task=task, organization=organization, note=note, responded_by=actor)
    except IntegrityError:
        raise ValidationError(_("%(o)s 已经响应过该任务。") % {"o": organization.name}) from None
    audit.record(actor=actor, obj=task, action="task.respond", data={"organization": organization.pk, "note": note})
    notify(users=[task.published_by], kind="timebank_task_response", body=note,
           url=reverse("timebank:task_detail", args=[task.pk]),
           title=_("%(o)s 响应了任务“%(t)s”") % {"o": organization.name, "t": task.title})
    return response


# --- check-in -----------------------------------------------------------------------------

def checkin_token(task: Task) -> str:
    return signing.dumps({"task": task.pk}, salt=CHECKIN_SALT, compress=True)


def task_for_token(token: str, *, max_age: int = CHECKIN_MAX_AGE) -> int:
    """The task id a check-in token was issued for; refuses tampered or expired tokens."""
    try:
        return int(signing.loads(token, salt=CHECKIN_SALT, max_age=max_age)["task"])
    except signing.SignatureExpired:
        raise ValidationError(_("签到二维码已过期，请扫描现场最新的二维码。")) from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise ValidationError(_("签到二维码无效。")) from None


@transaction.atomic
def checkin_scan(*, task: Task, actor, token: str) -> CheckIn:
    """The volunteer scanned the QR code at the place. Once per volunteer per task."""
    if task_for_token(token) != task.pk:
        raise ValidationError(_("签到二维码与任务不符。"))
    if not access.can_check_in(actor, task):
        raise PermissionDenied(_("只有本社区登记的居民可以签到；请先在社区登记。"))
    return _checkin_add(task=task, resident=access.resident_of(actor), actor=actor)


def _checkin_add(*, task: Task, resident, actor) -> CheckIn:
    task = Task.objects.select_for_update().get(pk=task.pk)  # slots are counted under the task's lock
    if task.status not in (Task.Status.PUBLISHED, Task.Status.IN_PROGRESS):
        raise ValidationError(_("任务“%(t)s”已%(s)s，不能签到。") % {"t": task.title, "s": task.get_status_display()})
    if CheckIn.objects.filter(task=task, resident=resident).exists():
        raise ValidationError(_("您已签到过该任务。"))
    if task.checkins.count() >= task.slots:
        raise ValidationError(_("该任务的 %(n)s 个名额已满。") % {"n": task.slots})
    try:
        with transaction.atomic():
            checkin = CheckIn.objects.create(task=task, resident=resident)
    except IntegrityError:
        raise ValidationError(_("您已签到过该任务。")) from None
    audit.record(actor=actor, obj=checkin, action="checkin.scan", data={"task": task.pk})
    return checkin


@transaction.atomic
def checkin_add_from_list(*, task: Task, actor, resident) -> CheckIn:
    """The organiser checks a volunteer in from the list (no phone at hand); confirmed at once."""
    if not access.can_run_task(actor, task):
        raise PermissionDenied(_("只有发布方和社区工作人员可以登记签到。"))
    if resident.community_id != task.community_id:
        raise ValidationError({"resident": _("该居民不属于任务所在社区。")})
    checkin = _checkin_add(task=task, resident=resident, actor=actor)
    return checkin_confirm(checkin=checkin, actor=actor)


@transaction.atomic
def checkin_confirm(*, checkin: CheckIn, actor) -> CheckIn:
    """The organiser confirms attendance; the task's points are credited once (the
    entry's one-to-one to the check-in is the guard)."""
    checkin = CheckIn.objects.select_for_update().select_related("task__community", "resident__community").get(
        pk=checkin.pk)
    task = checkin.task
    if not access.can_run_task(actor, task):
        raise PermissionDenied(_("只有发布方和社区工作人员可以确认签到。"))
    if checkin.confirmed_at is not None:
        raise ValidationError(_("该签到已确认，积分已入账。"))
    if task.status == Task.Status.CANCELLED:
        raise ValidationError(_("任务已取消，不能确认签到。"))
    CheckIn.objects.filter(pk=checkin.pk).update(confirmed_at=timezone.now(), confirmed_by=actor)
    checkin.refresh_from_db()
    ledger.issue(resident=checkin.resident, amount=task.points, actor=actor, checkin=checkin,
                 memo=_("志愿服务：%(t)s") % {"t": task.title})
    audit.record(actor=actor, obj=checkin, action="checkin.confirm", data={"points": task.points})
    return checkin


# --- merchants and redemptions --------------------------------------------------------------

@transaction.atomic
def partner_join(*, actor, community, organization: Organization, joined_on: datetime.date | None = None) -> Partner:
    if not access.can_keep(actor, community):
        raise PermissionDenied(_("只有社区工作人员可以登记合作商家。"))
    if organization.kind != Organization.Kind.MERCHANT:
        raise ValidationError({"organization": _("只有“商家”类型的组织可以加入时间银行兑换。")})
    partner, created = Partner.objects.get_or_create(community=community, organization=organization,
                                                     defaults={"joined_on": joined_on or timezone.localdate()})
    if not created:
        if partner.is_active:
            raise ValidationError({"organization": _("该商家已在本社区时间银行中。")})
        Partner.objects.filter(pk=partner.pk).update(is_active=True, left_on=None)
        partner.refresh_from_db()
    ledger.merchant_account(organization, community)
    audit.record(actor=actor, obj=partner, action="partner.join")
    return partner


@transaction.atomic
def partner_leave(*, actor, partner: Partner, reason: str = "") -> Partner:
    """Deactivate, never delete: the redemptions, statements and account stay; its rewards come off the shelf."""
    if not access.can_keep(actor, partner.community):
        raise PermissionDenied(_("只有社区工作人员可以办理商家退出。"))
    Partner.objects.filter(pk=partner.pk).update(is_active=False, left_on=timezone.localdate())
    Reward.objects.filter(partner=partner).update(is_active=False)
    for redemption in Redemption.objects.filter(reward__partner=partner, status=Redemption.Status.PENDING):
        redemption_machine.fire(redemption, "cancel", actor=actor, system=True, reason=_("商家已退出"))
    partner.refresh_from_db()
    audit.record(actor=actor, obj=partner, action="partner.leave", reason=reason)
    return partner


@transaction.atomic
def reward_create(*, actor, partner: Partner, name: str, points: int, stock: int, description: str = "") -> Reward:
    if partner.organization_id not in organization_ids_for_member(actor) and not access.can_keep(actor,
                                                                                                 partner.community):
        raise PermissionDenied(_("只有该商家和社区工作人员可以上架兑换项目。"))
    if not partner.is_active:
        raise ValidationError(_("该商家已退出时间银行。"))
    reward = Reward.objects.create(partner=partner, name=name, points=points, stock=stock, description=description)
    audit.record(actor=actor, obj=reward, action="reward.create", data={"points": points, "stock": stock})
    return reward


def _new_code() -> str:
    return f"{secrets.randbelow(10**8):08d}"


@transaction.atomic
def redemption_request(*, actor, reward: Reward) -> Redemption:
    """A resident asks to redeem; the phone shows a one-time code. Nothing moves until
    the merchant confirms, where stock and balance are checked again under lock."""
    resident = access.resident_of(actor)
    if resident is None or resident.community_id != reward.partner.community_id:
        raise PermissionDenied(_("只有本社区登记的居民可以兑换。"))
    if not (reward.is_active and reward.partner.is_active):
        raise ValidationError(_("该兑换项目已下架。"))
    if reward.stock < 1:
        raise ValidationError(_("该兑换项目已兑完。"))
    account = ledger.resident_account(resident)
    if account.balance < reward.points:
        raise ValidationError(_("积分余额不足：当前 %(b)s 分，需要 %(n)s 分。")
                              % {"b": account.balance, "n": reward.points})
    for _attempt in range(5):
        try:
            with transaction.atomic():
                redemption = Redemption.objects.create(reward=reward, resident=resident, points=reward.points,
                                                       code=_new_code())
            break
        except IntegrityError:
            continue
    else:  # pragma: no cover - five collisions in 10^8
        raise ValidationError(_("请稍后重试。"))
    audit.record(actor=actor, obj=redemption, action="redemption.create", to_state=redemption.status)
    return redemption


@transaction.atomic
def redemption_confirm(*, actor, code: str, organization: Organization | None = None) -> Redemption:
    """The merchant types the code the resident shows. Locks the reward (stock) and both
    accounts (balance); the second of two parallel confirmations finds the state moved,
    the stock gone or the balance short and changes nothing."""
    code = (code or "").strip()
    org_ids = frozenset(Membership.objects.filter(user=actor).values_list("organization_id", flat=True))
    redemption = (Redemption.objects.select_related("reward__partner__organization", "resident")
                  .filter(code=code, reward__partner__organization_id__in=org_ids).first())
    if redemption is None or not code.isdigit():
        raise ValidationError({"code": _("核销码不存在，或不是本店的兑换。")})
    if organization is not None and redemption.reward.partner.organization_id != organization.pk:
        raise ValidationError({"code": _("核销码不是本店的兑换。")})
    if redemption.status != Redemption.Status.PENDING:
        raise ValidationError({"code": _("该核销码已%(s)s。") % {"s": redemption.get_status_display()}})
    reward = Reward.objects.select_for_update().get(pk=redemption.reward_id)
    if not reward.partner.is_active:
        raise ValidationError(_("该商家已退出时间银行。"))
    if reward.stock < 1:
        raise ValidationError(_("“%(r)s”已兑完。") % {"r": reward.name})
    redemption = redemption_machine.fire(redemption, "confirm", actor=actor, system=True,
                                         updates={"confirmed_at": timezone.now(), "confirmed_by": actor})
    Reward.objects.filter(pk=reward.pk).update(stock=F("stock") - 1)
    community = reward.partner.community
    ledger.post(debit=ledger.resident_account(redemption.resident, community),
                credit=ledger.merchant_account(reward.partner.organization, community), amount=redemption.points,
                kind=Entry.Kind.REDEEM, actor=actor, redemption=redemption,
                memo=_("兑换：%(r)s（%(m)s）") % {"r": reward.name, "m": reward.partner.organization.name})
    return redemption


def redemption_cancel(*, redemption: Redemption, actor, reason: str = "") -> Redemption:
    return redemption_machine.fire(redemption, "cancel", actor=actor, reason=reason)


@transaction.atomic
def redemption_day_announce(*, actor, community, held_on: datetime.date, place: str, note: str = "") -> RedemptionDay:
    """Announce a redemption day to every resident of the community (存取平衡)."""
    if not access.can_keep(actor, community):
        raise PermissionDenied(_("只有社区工作人员可以发布积分兑换日。"))
    _plausible(held_on, "held_on")
    if held_on < timezone.localdate():
        raise ValidationError({"held_on": _("兑换日不能早于今天。")})
    day = RedemptionDay.objects.create(community=community, held_on=held_on, place=place, note=note,
                                       announced_by=actor)
    audit.record(actor=actor, obj=day, action="redemption_day.announce")
    # The notifications are rows in this transaction (the outbox); e-mail follows on commit.
    users = User.objects.filter(resident__community=community, is_active=True)
    notify(users=users, kind="timebank_redemption_day", body=note, url=reverse("timebank:home"),
           title=_("%(m)s月%(d)s日 积分兑换日：%(p)s") % {"m": held_on.month, "d": held_on.day, "p": place})
    return day
