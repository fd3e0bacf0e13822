"""Pages of community micro-grant contests: community staff create a contest, keep the
review committee, screen and decide; residents apply with the short form; committee
members review on the ordinary review sheets (projects:review_sheet); anyone reads
the results. Access first (404 out of scope, 403 visible but not allowed), then the
form and the service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Avg, Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from organizations.models import SelfOrganization
from places.access import communities_for_user
from places.models import Courtyard
from residents.access import resident_profile
from web.forms import add_service_error
from web.views import paginate

from . import access, contest_access, contest_funders
from .contest_forms import (
    CommitteeForm,
    ContestApplyForm,
    ContestEditForm,
    ContestForm,
    DecideForm,
    ExitForm,
    JoinForm,
    RoleForm,
    ScreenForm,
)
from .models import Application, ContestGrant, ReviewSheet
from .services import contests as services

A = Application.Status


def _runner_communities(user):
    return [c for c in communities_for_user(user).filter(merged_into__isnull=True).select_related("street")[:20]
            if contest_access.can_run_in(user, c.pk)]


def _community_from_request(request):
    pk = request.GET.get("community") or request.POST.get("community")
    community = communities_for_user(request.user).select_related("street").filter(
        pk=pk if str(pk).isdigit() else None).first()
    if community is None or not contest_access.can_run_in(request.user, community.pk):
        raise PermissionDenied(_("只有本社区工作人员可以办理，请从您负责的社区进入。"))
    return community


def _form_page(request, form, title, back, *, note="", hidden=None, status=200):
    return render(request, "projects/contest_form.html", {
        "form": form, "title": title, "back_url": back, "note": note, "hidden": hidden or {}},
        status=400 if form.errors else status)


# --- Contests ----------------------------------------------------------------------------


@login_required
def contest_list(request):
    contests = contest_access.contests_for_user(request.user).select_related("community").order_by("-opens_at")
    return render(request, "projects/contest_list.html", {
        "page": paginate(request, contests), "runner_communities": _runner_communities(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def contest_create(request):
    community = _community_from_request(request)
    today = timezone.localdate()
    form = ContestForm(request.POST or None, community=community, sources=contest_funders.available_sources(),
                       initial={"year": today.year})
    if request.method == "POST" and form.is_valid():
        try:
            contest = services.contest_create(actor=request.user, community=community, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已创建微创投大赛。"))
            return redirect("projects:contest_detail", pk=contest.pk)
    note = "" if form.fields["committee"].queryset.exists() else _("请先成立本社区的居民评审会。")
    return _form_page(request, form, _("%(c)s：新建微创投大赛") % {"c": community.name},
                      reverse("projects:contest_list"), note=note, hidden={"community": community.pk})


@login_required
def contest_detail(request, pk):
    contest = contest_access.get_contest_for_user(request.user, pk)
    manager = access.can_manage_round(request.user, contest)
    applications = contest_access.contest_applications_for_user(request.user).filter(round=contest) \
        .select_related("courtyard", "self_organization", "contest_grant").annotate(
            sheets=Count("review_sheets", distinct=True),
            submitted=Count("review_sheets", filter=Q(review_sheets__status=ReviewSheet.Status.SUBMITTED),
                            distinct=True)).order_by("status", "-submitted_at")
    profile = resident_profile(request.user)
    can_apply = contest.is_open(timezone.now()) and (
        (profile is not None and profile.community_id == contest.community_id)
        or contest.community.self_organizations.filter(member_accounts=request.user).exists())
    return render(request, "projects/contest_detail.html", {
        "contest": contest, "manager": manager, "applications": applications, "can_apply": can_apply,
        "granted": services.granted_total(contest),
        "balance": contest_funders.balance(source=contest.funder_source, community=contest.community,
                                           year=contest.year) if manager else None})


def _applicant_choices(user, contest):
    profile = resident_profile(user)
    courtyards = Courtyard.objects.filter(pk=profile.courtyard_id, community_id=contest.community_id) \
        if profile is not None and profile.courtyard_id else Courtyard.objects.none()
    selforgs = SelfOrganization.objects.filter(community_id=contest.community_id, member_accounts=user)
    return list(courtyards), list(selforgs)


@login_required
@require_http_methods(["GET", "POST"])
def contest_apply(request, pk):
    contest = contest_access.get_contest_for_applying(request.user, pk)
    courtyards, selforgs = _applicant_choices(request.user, contest)
    form = ContestApplyForm(request.POST or None, courtyards=courtyards, selforgs=selforgs)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.contest_apply(
                actor=request.user, contest=contest, title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"], requested_amount=form.cleaned_data["requested_amount"],
                **form.applicant_kwargs())
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已提交申报，等待社区形式审查。"))
            return redirect("projects:contest_application", pk=application.pk)
    note = _("单项目上限 %(c)s 元；申报截止 %(d)s。") % {
        "c": f"{contest.per_project_cap:,.2f}", "d": timezone.localtime(contest.closes_at).strftime("%Y-%m-%d %H:%M")}
    if not courtyards and not selforgs:
        note = _("您的居民档案没有登记院落，也不是本社区自组织的成员，暂时不能申报。")
    return _form_page(request, form, _("申报：%(n)s") % {"n": contest.name},
                      reverse("projects:contest_detail", args=[contest.pk]), note=note)


def contest_results(request, pk):
    """Public: winners and amounts, the committee's name; never reviewers or their scores."""
    contest = contest_access.get_contest_for_public(pk)
    grants = ContestGrant.objects.filter(application__round=contest).select_related(
        "application__courtyard", "application__self_organization").order_by("-amount", "pk")
    return render(request, "projects/contest_results.html", {
        "contest": contest, "grants": grants, "granted": services.granted_total(contest),
        "applications": contest.applications.exclude(status__in=[A.DRAFT, A.WITHDRAWN]).count(),
        "members": contest.committee.members_on(timezone.localdate()).count() if contest.committee else 0})


# --- Contest applications ----------------------------------------------------------------


@login_required
def contest_application(request, pk):
    application = contest_access.get_contest_application_for_user(request.user, pk)
    manager = access.can_manage_round(request.user, application.round)
    sheets = application.review_sheets.select_related("reviewer") if manager else None
    return render(request, "projects/contest_application.html", {
        "application": application, "contest": application.round, "manager": manager, "sheets": sheets,
        "average": application.review_sheets.filter(status=ReviewSheet.Status.SUBMITTED).aggregate(
            avg=Avg("total"))["avg"] if manager else None,
        "screen_form": ScreenForm() if manager and application.status == A.SUBMITTED else None,
        "decide_form": DecideForm(initial={"amount": application.requested_amount})
        if manager and application.status == A.IN_REVIEW else None,
        "my_sheet": application.review_sheets.filter(reviewer=request.user).first(),
        "is_applicant": access.is_applicant(request.user, application)})


@login_required
@require_http_methods(["GET", "POST"])
def contest_edit(request, pk):
    """The applicant corrects a returned application and submits it again."""
    application = contest_access.get_contest_application_for_user(request.user, pk)
    if not access.is_applicant(request.user, application):
        raise PermissionDenied(_("只有该院落的居民或该自组织的成员可以修改申报。"))
    form = ContestEditForm(request.POST or None, initial={
        "title": application.title, "summary": application.summary, "requested_amount": application.requested_amount})
    if request.method == "POST" and form.is_valid():
        try:
            services.contest_resubmit(actor=request.user, application=application, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已重新提交。"))
            return redirect("projects:contest_application", pk=application.pk)
    return _form_page(request, form, _("修改申报：%(t)s") % {"t": application.title},
                      reverse("projects:contest_application", args=[application.pk]),
                      note=application.decision_reason)


@login_required
@require_POST
def contest_screen(request, pk):
    application = contest_access.get_contest_application_for_management(request.user, pk)
    form = ScreenForm(request.POST)
    if form.is_valid():
        try:
            services.contest_screen(actor=request.user, application=application, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已办理形式审查。"))
    else:
        messages.error(request, _("请选择审查结论。"))
    return redirect("projects:contest_application", pk=application.pk)


@login_required
@require_http_methods(["GET", "POST"])
def contest_decide(request, pk):
    application = contest_access.get_contest_application_for_management(request.user, pk)
    form = DecideForm(request.POST or None, initial={"amount": application.requested_amount})
    if request.method == "POST" and form.is_valid():
        try:
            services.contest_decide(actor=request.user, application=application, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已作出结论。"))
            return redirect("projects:contest_application", pk=application.pk)
    return _form_page(request, form, _("结论：%(t)s") % {"t": application.title},
                      reverse("projects:contest_application", args=[application.pk]),
                      note=_("申请 %(a)s 元。立项资助将从资金来源账本中支出。") % {
                          "a": f"{application.requested_amount:,.2f}"})


# --- Committees ----------------------------------------------------------------------------


@login_required
def committee_list(request):
    committees = contest_access.committees_for_user(request.user).select_related("community").annotate(
        serving=Count("members", filter=Q(members__left_on__isnull=True))).order_by("community__name", "name")
    return render(request, "projects/committee_list.html", {
        "page": paginate(request, committees), "runner_communities": _runner_communities(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def committee_create(request):
    community = _community_from_request(request)
    form = CommitteeForm(request.POST or None, initial={"formed_on": timezone.localdate(), "max_members": 10})
    if request.method == "POST" and form.is_valid():
        try:
            committee = services.committee_create(actor=request.user, community=community, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已成立评审会。"))
            return redirect("projects:committee_detail", pk=committee.pk)
    return _form_page(request, form, _("%(c)s：成立居民评审会") % {"c": community.name},
                      reverse("projects:committee_list"), hidden={"community": community.pk})


@login_required
def committee_detail(request, pk):
    committee = contest_access.get_committee_for_user(request.user, pk)
    manager = contest_access.can_run_in(request.user, committee.community_id)
    members = list(committee.members.select_related("user"))
    return render(request, "projects/committee_detail.html", {
        "committee": committee, "manager": manager,
        "serving": [m for m in members if m.left_on is None], "former": [m for m in members if m.left_on],
        "join_form": JoinForm() if manager else None, "exit_form": ExitForm(initial={"left_on": timezone.localdate()})
        if manager else None, "role_form": RoleForm() if manager else None})


@login_required
@require_http_methods(["GET", "POST"])
def committee_join(request, pk):
    committee = contest_access.get_committee_for_management(request.user, pk)
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.committee_join(actor=request.user, committee=committee, user=form.user,
                                    role=form.cleaned_data["role"], background=form.cleaned_data["background"],
                                    joined_on=form.cleaned_data["joined_on"])
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "user" in exc.error_dict:
                exc = ValidationError({"phone": exc.error_dict.pop("user"), **exc.error_dict})
            add_service_error(form, exc)
        else:
            messages.success(request, _("已加入评审会。"))
            return redirect("projects:committee_detail", pk=committee.pk)
    return _form_page(request, form, _("%(n)s：加入成员") % {"n": committee.name},
                      reverse("projects:committee_detail", args=[committee.pk]),
                      note=committee.join_rule or committee.get_eligibility_display())


@login_required
@require_http_methods(["GET", "POST"])
def committee_exit(request, pk, member_pk):
    committee = contest_access.get_committee_for_management(request.user, pk)
    member = contest_access.get_member_for_management(request.user, committee, member_pk)
    form = ExitForm(request.POST or None, initial={"left_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.committee_exit(actor=request.user, member=member, left_on=form.cleaned_data["left_on"],
                                    reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "exit_reason" in exc.error_dict:
                exc = ValidationError({"reason": exc.error_dict.pop("exit_reason"), **exc.error_dict})
            add_service_error(form, exc)
        else:
            messages.success(request, _("已登记退出。"))
            return redirect("projects:committee_detail", pk=committee.pk)
    return _form_page(request, form, _("%(u)s 退出%(n)s") % {"u": member.user.display_name, "n": committee.name},
                      reverse("projects:committee_detail", args=[committee.pk]), note=committee.exit_rule)


@login_required
@require_POST
def committee_role(request, pk, member_pk):
    committee = contest_access.get_committee_for_management(request.user, pk)
    member = contest_access.get_member_for_management(request.user, committee, member_pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.committee_set_role(actor=request.user, member=member, role=form.cleaned_data["role"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已调整职务。"))
    else:
        messages.error(request, _("请选择职务。"))
    return redirect("projects:committee_detail", pk=committee.pk)
