"""Work queues for the role's home page: what a bureau, an agency, street or community
staff, a reviewer or a supervisor has to do next in rounds, applications and progress."""

import datetime

from django.db.models import Count, F, Min, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.access import organization_ids_for_member
from places.access import scope_for
from web import queues
from web.archive import LIVE, live

from . import access
from .models import Application, FundingRound, Project, ReviewSheet


def _application_item(application: Application, note: str = "") -> queues.QueueItem:
    # No organisation: a contest application (a courtyard or a group applies), shown on its contest's page.
    page = "projects:contest_application" if application.organization_id is None else "projects:application_detail"
    return queues.QueueItem(label=f"{application.title} · {application.applicant_name}",
                            url=reverse(page, args=[application.pk]), note=note)


def _report_item(report, today) -> queues.QueueItem:
    return queues.QueueItem(label=_("%(t)s · 第 %(n)s 期") % {"t": report.project.title, "n": report.number},
                            url=reverse("projects:progress_detail", args=[report.pk]), due=report.due_on,
                            overdue=report.is_overdue(today))


def _bureau_queue(user, today) -> list[queues.QueueGroup]:
    from .models import ProgressReport, Tranche

    managed = access.managed_rounds_q(user, "round__")
    applications = Application.objects.filter(managed, LIVE, live("round__")).select_related("organization", "round")
    in_review = applications.filter(status=Application.Status.IN_REVIEW)
    submitted_sheets = ReviewSheet.objects.filter(status=ReviewSheet.Status.SUBMITTED).values("application_id")
    open_sheets = ReviewSheet.objects.filter(status=ReviewSheet.Status.ASSIGNED).values("application_id")
    # Payments due: tranches of running projects not yet paid in full.
    tranches = (Tranche.objects.filter(access.managed_rounds_q(user, "project__round__"), live("project__"),
                                       project__status=Project.Status.ACTIVE)
                .filter(paid_amount__lt=F("amount"))
                .select_related("project").order_by("project__approved_at", "order"))
    reports = (ProgressReport.objects.filter(access.managed_rounds_q(user, "project__round__"), live("project__"),
                                             status=ProgressReport.Status.SUBMITTED)
               .select_related("project").order_by("submitted_at", "pk"))
    return [
        queues.group(_("待形式审查"), applications.filter(status=Application.Status.SUBMITTED)
                     .order_by("submitted_at", "pk"),
                     lambda a: _application_item(a, _("社区意见：%(e)s") % {
                         "e": a.get_endorsement_display() if a.endorsement else _("未填写")}),
                     url=reverse("projects:application_list") + "?status=submitted"),
        queues.group(_("待分配评审"), in_review.exclude(pk__in=ReviewSheet.objects.values("application_id"))
                     .order_by("submitted_at", "pk"), _application_item),
        queues.group(_("待作出结论"), in_review.filter(pk__in=submitted_sheets).exclude(pk__in=open_sheets)
                     .order_by("submitted_at", "pk"), _application_item),
        queues.group(_("待签协议"), Project.objects.filter(managed, LIVE, status=Project.Status.AGREEMENT)
                     .order_by("approved_at", "pk"),
                     lambda p: queues.QueueItem(label=p.title, url=reverse("projects:project_detail", args=[p.pk]))),
        queues.group(_("待拨付"), tranches, lambda t: queues.QueueItem(
            label=_("%(p)s · 第 %(n)s 批（%(g)s）") % {"p": t.project.title, "n": t.order,
                                                     "g": t.get_trigger_display()},
            url=reverse("projects:project_detail", args=[t.project_id]),
            note=_("待拨 %(a)s 元") % {"a": f"{t.amount - t.paid_amount:,.2f}"})),
        queues.group(_("待审核进度报告"), reports, lambda r: _report_item(r, today),
                     url=reverse("projects:progress_list") + "?status=submitted"),
    ]


def _agency_queue(user, today, org_ids) -> list[queues.QueueGroup]:
    from .models import ProgressReport

    own = Application.objects.filter(LIVE, live("round__"), organization_id__in=org_ids).select_related("organization")
    filing = (ProgressReport.objects.filter(live("project__"), project__organization_id__in=org_ids,
                                            status__in=[ProgressReport.Status.DRAFT, ProgressReport.Status.RETURNED],
                                            period_start__lte=today)
              .select_related("project").order_by("due_on", "pk"))
    now = timezone.now()
    rounds = FundingRound.objects.filter(LIVE, opens_at__lte=now, closes_at__gt=now).order_by("closes_at", "pk")
    return [
        queues.group(_("草稿申报书"), own.filter(status=Application.Status.DRAFT).order_by("-updated_at", "pk"),
                     _application_item, url=reverse("projects:application_list") + "?status=draft"),
        queues.group(_("退回修改的申报书"), own.filter(status=Application.Status.RETURNED).order_by("updated_at", "pk"),
                     lambda a: _application_item(a, a.decision_reason[:60]),
                     url=reverse("projects:application_list") + "?status=returned"),
        queues.group(_("待调整预算（立项金额少于申请）"), Project.objects.filter(
            LIVE, organization_id__in=org_ids, status=Project.Status.AGREEMENT)
            .annotate(budget=Sum("application__budget_lines__amount")).exclude(budget=F("approved_amount"))
            .order_by("approved_at", "pk"), lambda p: queues.QueueItem(
                label=p.title, url=reverse("projects:budget_adjust", args=[p.pk]),
                note=_("立项 %(a)s 元") % {"a": f"{p.approved_amount:,.2f}"})),
        queues.group(_("待填报的进度报告（含逾期）"), filing, lambda r: _report_item(r, today),
                     url=reverse("projects:progress_list")),
        queues.group(_("开放申报的资助轮次"), rounds, lambda r: queues.QueueItem(
            label=r.name, url=reverse("projects:round_detail", args=[r.pk]),
            due=timezone.localtime(r.closes_at).date()), url=reverse("projects:round_list")),
    ]


def _place_queue(user, today, scope) -> list[queues.QueueGroup]:
    from .models import ProgressReport

    opinions = (Application.objects.filter(scope.community_filter("community__"), LIVE, endorsement="",
                                           status=Application.Status.SUBMITTED)
                .select_related("organization").order_by("submitted_at", "pk"))
    reports = (ProgressReport.objects.filter(scope.community_filter("project__community__"), live("project__"),
                                             status=ProgressReport.Status.SUBMITTED)
               .exclude(comments__author=user).select_related("project").order_by("submitted_at", "pk"))
    groups = []
    if scope.community_ids:
        groups.append(queues.group(_("待填写社区意见"), opinions, _application_item))
    groups.append(queues.group(_("待查看和评论的进度报告"), reports, lambda r: _report_item(r, today)))
    return groups


def _reviewer_queue(user) -> list[queues.QueueGroup]:
    sheets = (ReviewSheet.objects.filter(reviewer=user, status=ReviewSheet.Status.ASSIGNED,
                                         application__status=Application.Status.IN_REVIEW)
              .select_related("application", "form")
              .annotate(scored=Count("scores", filter=Q(scores__score__isnull=False), distinct=True),
                        criteria=Count("form__criteria", distinct=True))
              .order_by("assigned_at", "pk"))
    return [queues.group(_("待完成的评审表"), sheets, lambda s: queues.QueueItem(
        label=s.application.title, url=reverse("projects:review_sheet", args=[s.pk]),
        note=_("已评 %(a)s / %(b)s 项") % {"a": s.scored, "b": s.criteria}),
        url=reverse("projects:review_list"))]


def _supervisor_queue(user, today) -> list[queues.QueueGroup]:
    from .models import SupervisionVisit

    projects = (Project.objects.filter(LIVE, supervisor_assignments__supervisor=user,
                                       status__in=[Project.Status.AGREEMENT, Project.Status.ACTIVE])
                .annotate(visits=Count("supervision_visits", distinct=True),
                          next_follow_up=Min("supervision_visits__follow_up_due",
                                             filter=Q(supervision_visits__follow_up_due__gte=today)))
                .order_by("title", "pk"))
    follow_ups = (SupervisionVisit.objects.filter(supervisor=user, follow_up_due__isnull=False,
                                                  follow_up_due__lte=today + datetime.timedelta(days=14))
                  .select_related("project").order_by("follow_up_due", "pk"))
    return [
        queues.group(_("我督导的项目"), projects, lambda p: queues.QueueItem(
            label=p.title, url=reverse("projects:project_detail", args=[p.pk]), due=p.next_follow_up,
            note=_("已督导 %(n)s 次") % {"n": p.visits}), url=reverse("projects:project_list")),
        queues.group(_("督导跟进到期（14 天内）"), follow_ups, lambda v: queues.QueueItem(
            label=v.project.title, url=reverse("projects:project_detail", args=[v.project_id]),
            due=v.follow_up_due, overdue=v.follow_up_due < today)),
    ]


def work_queue_for(user, today: datetime.date) -> list[queues.QueueGroup]:
    """What needs this user now, by role: a constant number of queries per role."""
    scope = scope_for(user)
    groups: list[queues.QueueGroup] = []
    if scope.is_bureau:
        groups += _bureau_queue(user, today)
    org_ids = organization_ids_for_member(user)
    if org_ids:
        groups += _agency_queue(user, today, org_ids)
    if not scope.is_bureau and (scope.street_ids or scope.community_ids):
        groups += _place_queue(user, today, scope)
    if "reviewer" in scope.roles:
        groups += _reviewer_queue(user)
    if "supervisor" in scope.roles:
        groups += _supervisor_queue(user, today)
    return groups


def home_queue(*, user, today, **kwargs) -> dict:
    return {"projects_queue": work_queue_for(user, today)}
