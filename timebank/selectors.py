"""Scoped, optimised reads: matching suggestions, the dashboard's figures, a resident's
history, team hours, and the figures for the bureau's progress report."""

import datetime
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from organizations.models import SelfOrganization

from .models import Account, CheckIn, Entry, Need, Partner, Redemption, Resource, Task, TaskResponse


def matches_for_need(need: Need, resources: QuerySet[Resource] | None = None) -> QuerySet[Resource]:
    """Active resources of the need's category in the same community, those in the
    need's own courtyard (or community-wide) first. One query."""
    resources = Resource.objects.all() if resources is None else resources
    place = Q(courtyard__isnull=True) | Q(courtyard_id=need.courtyard_id) if need.courtyard_id else Q()
    return (resources.filter(place, community_id=need.community_id, category=need.category, is_active=True)
            .select_related("organization", "resident__user", "courtyard")
            .order_by(F("courtyard_id").desc(nulls_last=True), "title"))


def match_counts(needs: QuerySet[Need]) -> QuerySet[Need]:
    """Annotate each need with how many active resources match it: same community and
    category; a courtyard's need matches that courtyard's and community-wide resources,
    a community-wide need matches all. SQL subqueries, no query per row."""
    same = Resource.objects.filter(community_id=OuterRef("community_id"), category=OuterRef("category"),
                                   is_active=True).order_by()

    def count(queryset):
        return Coalesce(Subquery(queryset.values("community_id").annotate(n=Count("pk")).values("n")), Value(0))

    near = same.filter(Q(courtyard__isnull=True) | Q(courtyard_id=OuterRef("courtyard_id")))
    return needs.annotate(match_count=Case(When(courtyard__isnull=True, then=count(same)), default=count(near)))


def months_back(today: datetime.date, n: int) -> list[datetime.date]:
    first = today.replace(day=1)
    months = []
    for _i in range(n):
        months.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return list(reversed(months))


def flows_by_month(community_ids, *, months: int = 12, today: datetime.date | None = None) -> dict:
    """Points issued and redeemed per month (the 存取 balance). One query."""
    today = today or timezone.localdate()
    labels = months_back(today, months)
    start = timezone.make_aware(datetime.datetime.combine(labels[0], datetime.time.min))
    rows = (Entry.objects.filter(community_id__in=community_ids, created_at__gte=start,
                                 kind__in=[Entry.Kind.ISSUE, Entry.Kind.AWARD, Entry.Kind.REDEEM])
            .annotate(month=TruncMonth("created_at")).values("month", "kind").annotate(s=Sum("amount")))
    issued, redeemed = dict.fromkeys(labels, 0), dict.fromkeys(labels, 0)
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, datetime.datetime) else month
        target = redeemed if row["kind"] == Entry.Kind.REDEEM else issued
        if month in target:
            target[month] += row["s"]
    return {"labels": [m.strftime("%Y-%m") for m in labels], "issued": list(issued.values()),
            "redeemed": list(redeemed.values())}


def volunteer_hours(community_ids) -> Decimal:
    return (CheckIn.objects.filter(task__community_id__in=community_ids, confirmed_at__isnull=False)
            .aggregate(h=Coalesce(Sum("task__hours"), Value(Decimal("0")), output_field=DecimalField()))["h"])


def dashboard(community_ids, *, today: datetime.date | None = None) -> dict:
    """Everything the community's time-bank dashboard shows; a fixed number of queries."""
    needs = dict(Need.objects.filter(community_id__in=community_ids).values_list("status").annotate(n=Count("pk")))
    tasks = dict(Task.objects.filter(community_id__in=community_ids).values_list("status").annotate(n=Count("pk")))
    merchants = list(
        Partner.objects.filter(community_id__in=community_ids).select_related("organization")
        .annotate(responses=Count("organization__task_responses",
                                  filter=Q(organization__task_responses__task__community_id__in=community_ids),
                                  distinct=True),
                  redemptions=Count("rewards__redemptions", filter=Q(rewards__redemptions__status="confirmed"),
                                    distinct=True),
                  points=Coalesce(Sum("rewards__redemptions__points",
                                      filter=Q(rewards__redemptions__status="confirmed")), 0))
        .order_by("-is_active", "-redemptions", "organization__name"))
    balances = dict(Account.objects.filter(community_id__in=community_ids).values_list("kind")
                    .annotate(s=Sum("balance")))
    flows = flows_by_month(community_ids, today=today)
    return {
        "flows": flows,
        "issued_total": sum(flows["issued"]),
        "redeemed_total": sum(flows["redeemed"]),
        "circulating": balances.get(Account.Kind.POOL, 0),
        "held_by_residents": balances.get(Account.Kind.RESIDENT, 0),
        "hours": volunteer_hours(community_ids),
        "needs": [(s.label, needs.get(s.value, 0)) for s in Need.Status],
        "needs_met": needs.get(Need.Status.MET, 0),
        "tasks": [(s.label, tasks.get(s.value, 0)) for s in Task.Status],
        "merchants": merchants,
    }


def teams_with_hours(community_ids) -> QuerySet[SelfOrganization]:
    """Volunteer teams (self-organisations with members in the time bank) and the hours
    their members gave, in one query."""
    hours = (CheckIn.objects.filter(resident__teams__team=OuterRef("pk"), confirmed_at__isnull=False)
             .order_by().values("resident__teams__team").annotate(h=Sum("task__hours")).values("h"))
    return (SelfOrganization.objects.filter(community_id__in=community_ids, timebank_members__isnull=False)
            .distinct().annotate(volunteers=Count("timebank_members", distinct=True),
                                 hours=Coalesce(Subquery(hours), Value(Decimal("0")), output_field=DecimalField()))
            .order_by("name"))


def history_for_account(account: Account) -> QuerySet[Entry]:
    return (Entry.objects.filter(Q(debit=account) | Q(credit=account))
            .select_related("debit", "credit").order_by("-created_at", "-pk"))


def signed_amount(entry: Entry, account: Account) -> int:
    """+ for points reaching the holder, − for points leaving."""
    return entry.amount if entry.credit_id == account.pk else -entry.amount


def merchant_statement(partner: Partner) -> QuerySet[Redemption]:
    return (Redemption.objects.filter(reward__partner=partner, status=Redemption.Status.CONFIRMED)
            .select_related("reward", "resident__user").order_by("-confirmed_at"))


def responses_for_task(task: Task) -> QuerySet[TaskResponse]:
    return task.responses.select_related("organization", "responded_by")


def progress_figures(community_ids, *, start: datetime.date, end: datetime.date) -> dict:
    """For the bureau's progress report (the lead wires it into reports): the time bank
    and needs figures of the communities over [start, end]."""
    since = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    until = timezone.make_aware(datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min))
    entries = dict(Entry.objects.filter(community_id__in=community_ids, created_at__gte=since, created_at__lt=until)
                   .values_list("kind").annotate(s=Sum("amount")))
    checkins = CheckIn.objects.filter(task__community_id__in=community_ids, confirmed_at__gte=since,
                                      confirmed_at__lt=until)
    needs = Need.objects.filter(community_id__in=community_ids)
    return {
        "points_issued": entries.get(Entry.Kind.ISSUE, 0) + entries.get(Entry.Kind.AWARD, 0),
        "points_redeemed": entries.get(Entry.Kind.REDEEM, 0),
        "points_expired": entries.get(Entry.Kind.EXPIRE, 0),
        "checkins": checkins.count(),
        "volunteers": checkins.values("resident").distinct().count(),
        "volunteer_hours": checkins.aggregate(h=Coalesce(Sum("task__hours"), Value(Decimal("0")),
                                                         output_field=DecimalField()))["h"],
        "needs_raised": needs.filter(created_at__gte=since, created_at__lt=until).count(),
        "needs_open": needs.filter(status__in=[Need.Status.OPEN, Need.Status.MATCHED]).count(),
        "needs_met": needs.filter(status=Need.Status.MET).count(),
        "tasks_done": Task.objects.filter(community_id__in=community_ids, status=Task.Status.DONE,
                                          starts_at__gte=since, starts_at__lt=until).count(),
        "active_merchants": Partner.objects.filter(community_id__in=community_ids, is_active=True).count(),
    }
