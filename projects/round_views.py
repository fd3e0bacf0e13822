"""Pages for funding rounds and expert review: the round list and form, the review queue,
assigning reviewers and filling a score sheet."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from organizations.access import organization_ids_for_member
from places.models import Region
from web.forms import add_service_error
from web.views import paginate

from . import access, selectors, services
from .filters import ApplicationFilter
from .forms import (
    DEFAULT_TRANCHES,
    AssignReviewersForm,
    ReviewSheetForm,
    RoundForm,
    TrancheFormSet,
)
from .models import Application, ReviewSheet


def _funders_for(user):
    from places.access import scope_for

    scope = scope_for(user)
    qs = Region.objects.filter(level__in=[Region.Level.CITY, Region.Level.DISTRICT]).order_by("code")
    return qs if scope.city_wide else qs.filter(pk__in=scope.bureau_district_ids)


# --- Rounds ------------------------------------------------------------------------


@login_required
def round_list(request):
    rounds = access.rounds_for_user(request.user).select_related("funder")
    return render(request, "projects/round_list.html", {
        "rounds": rounds, "can_create": access.can_create_round(request.user),
        "is_agency": bool(organization_ids_for_member(request.user)),
    })


@login_required
def round_detail(request, pk):
    funding_round = access.get_round_for_user(request.user, pk)
    return render(request, "projects/round_detail.html", {
        "round": funding_round,
        "tranche_rules": list(funding_round.tranche_rules.all()),
        "criteria": list(funding_round.review_form.criteria.all()),
        "summary": selectors.round_summary(funding_round),
        "can_manage": access.can_manage_round(request.user, funding_round),
        "is_agency": bool(organization_ids_for_member(request.user)),
    })


def _round_form_page(request, funding_round=None):
    initial_tranches = ([{"percent": r.percent, "trigger": r.trigger} for r in funding_round.tranche_rules.all()]
                        if funding_round else DEFAULT_TRANCHES)
    form = RoundForm(request.POST or None, instance=funding_round, funders=_funders_for(request.user))
    tranches = TrancheFormSet(request.POST or None, initial=initial_tranches, prefix="tranches")
    if request.method == "POST" and form.is_valid() and tranches.is_valid():
        try:
            if funding_round is None:
                funding_round = services.round_create(actor=request.user, tranches=tranches.tranches(),
                                                      **form.cleaned_data)
            else:
                services.round_update(funding_round=funding_round, actor=request.user, data=form.cleaned_data,
                                      tranches=tranches.tranches())
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("资助轮次已保存。"))
            return redirect("projects:round_detail", pk=funding_round.pk)
    return render(request, "projects/round_form.html", {"form": form, "tranches": tranches,
                                                        "round": funding_round})


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request):
    if not access.can_create_round(request.user):
        raise PermissionDenied(_("只有民政局工作人员可以创建资助轮次。"))
    return _round_form_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def round_edit(request, pk):
    return _round_form_page(request, access.get_round_for_management(request.user, pk))


@login_required
def review_queue(request, pk):
    funding_round = access.get_round_for_management(request.user, pk)
    base = selectors.review_queue(user=request.user, funding_round=funding_round)
    by_score = selectors.asks_for_scores(request.GET)
    queue_filter = ApplicationFilter(request.GET or None, queryset=selectors.with_scores(base) if by_score else base)
    queryset = queue_filter.qs.order_by(*(queue_filter.qs.query.order_by or ["-submitted_at", "-pk"]))
    page = paginate(request, queryset)
    if not by_score:
        selectors.attach_scores(page)
    for application in page:
        application.spread_flag = selectors.spread_flagged(application, funding_round.score_spread_gap)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "projects/review_queue.html", {
        "round": funding_round, "filter": queue_filter, "page": page, "query": query.urlencode(),
        "counts": selectors.status_counts(base), "statuses": Application.Status.choices,
        "assign_form": AssignReviewersForm(),
    })


@login_required
@require_POST
def review_assign(request, pk):
    funding_round = access.get_round_for_management(request.user, pk)
    candidates = selectors.review_queue(user=request.user, funding_round=funding_round)
    form = AssignReviewersForm(request.POST, applications=candidates)
    if not form.is_valid() or not form.cleaned_data["applications"]:
        messages.error(request, _("请至少勾选一份申报书和一位评审专家。"))
    else:
        try:
            created = services.review_assign(applications=list(form.cleaned_data["applications"]),
                                             reviewers=list(form.cleaned_data["reviewers"]), actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已分配 %(n)s 份评审任务。") % {"n": len(created)})
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("projects:review_queue", pk=funding_round.pk)


# --- Review ----------------------------------------------------------------------


@login_required
def review_list(request):
    return render(request, "projects/review_list.html", {"sheets": selectors.review_list(user=request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def review_sheet(request, pk):
    sheet = access.get_sheet_for_reviewer(request.user, pk)
    scores = list(sheet.scores.select_related("criterion").order_by("criterion__order"))
    form = ReviewSheetForm(request.POST or None, sheet=sheet, scores=scores)
    locked = sheet.status == ReviewSheet.Status.SUBMITTED or \
        sheet.application.status != Application.Status.IN_REVIEW
    if request.method == "POST":
        if locked:
            raise PermissionDenied(_("评审表已提交或申报书已不在评审阶段，不能再修改。"))
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.review_save(sheet=sheet, actor=request.user, scores=form.scores(),
                                         recommendation=form.cleaned_data["recommendation"],
                                         comment=form.cleaned_data["comment"])
                    if "submit" in request.POST:
                        services.review_submit(sheet=sheet, actor=request.user)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                if "submit" in request.POST:
                    messages.success(request, _("评审表已提交。"))
                    return redirect("projects:application_detail", pk=sheet.application_id)
                messages.success(request, _("草稿已保存。"))
                return redirect("projects:review_sheet", pk=sheet.pk)
    return render(request, "projects/review_sheet.html", {
        "sheet": sheet, "form": form, "locked": locked, "application": sheet.application,
    })
