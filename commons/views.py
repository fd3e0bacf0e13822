"""Pages of the commons: the courtyards' 三有一公开 and the community fund, phone first
for residents, with the keeping forms for the community's staff. Access first (404 out
of scope, 403 visible but not allowed), then the form and the service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from web import uploads
from web.forms import add_service_error
from web.views import paginate, run_step

from . import access, services
from .forms import ActivityForm, BodyForm, CompactForm, DonationForm, EntryForm, GrantForm, MemberForm
from .models import CourtyardAccount, CourtyardBody


def _form_page(request, form, title, back, *, note="", multipart=False):
    return render(request, "commons/form.html", {"form": form, "title": title, "back_url": back, "note": note,
                                                 "multipart": multipart})


def _courtyard_url(courtyard) -> str:
    return reverse("commons:courtyard_detail", args=[courtyard.pk])


def _run_form(request, form, service, success, **kwargs):
    """Valid form → service; its refusal stays on the form. True when it succeeded."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        service(actor=request.user, **kwargs, **form.cleaned_data)
    except ValidationError as exc:
        add_service_error(form, exc)
        return False
    messages.success(request, success)
    return True


@login_required
def home(request):
    courtyards = access.courtyards_for_user(request.user).select_related("community", "account").order_by(
        "community__name", "name")
    funds = access.community_funds_for_user(request.user).select_related("community").order_by("community__name")
    keeper = access.keeper_communities(request.user).exclude(community_fund__isnull=False)[:20]
    return render(request, "commons/home.html", {"page": paginate(request, courtyards), "funds": funds[:50],
                                                 "open_fund_communities": keeper})


@login_required
def courtyard_detail(request, pk):
    """三有一公开 at a glance: the organisation, the compact, the activities, the accounts."""
    courtyard = access.get_courtyard_for_user(request.user, pk)
    body = CourtyardBody.objects.filter(courtyard=courtyard).first()
    versions = list(courtyard.compact_versions.select_related("recorded_by"))
    return render(request, "commons/courtyard_detail.html", {
        "courtyard": courtyard, "body": body,
        "members": list(body.members.all()) if body else [],
        "compact": versions[0] if versions else None, "history": versions[1:],
        "activities": courtyard.activities.all()[:20],
        "account": CourtyardAccount.objects.filter(courtyard=courtyard).first(),
        "keeper": access.can_keep(request.user, courtyard.community_id)})


@login_required
def courtyard_accounts(request, pk):
    """The courtyard's public accounts (院落公开账目), for its community's residents too."""
    courtyard = access.get_courtyard_for_user(request.user, pk)
    account = CourtyardAccount.objects.filter(courtyard=courtyard).first()
    entries = account.entries.order_by("-entry_on", "-pk") if account else []
    return render(request, "commons/courtyard_accounts.html", {
        "courtyard": courtyard, "account": account, "page": paginate(request, entries) if account else None,
        "keeper": access.can_keep(request.user, courtyard.community_id)})


@login_required
@require_http_methods(["GET", "POST"])
def body_edit(request, pk):
    courtyard = access.get_courtyard_for_keeping(request.user, pk)
    body = CourtyardBody.objects.filter(courtyard=courtyard).first()
    initial = {"name": body.name, "founded_on": body.founded_on, "rules": body.rules} if body else {
        "name": _("%(c)s院落自治管理小组") % {"c": courtyard.name}}
    form = BodyForm(request.POST or None, initial=initial)
    if _run_form(request, form, services.body_save, _("已保存院落自治组织。"), courtyard=courtyard):
        return redirect(_courtyard_url(courtyard))
    return _form_page(request, form, _("院落自治组织：%(c)s") % {"c": courtyard.name}, _courtyard_url(courtyard))


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request, pk):
    courtyard = access.get_courtyard_for_keeping(request.user, pk)
    form = MemberForm(request.POST or None, initial={"joined_on": timezone.localdate()})
    if _run_form(request, form, services.member_add, _("已登记成员。"), courtyard=courtyard):
        return redirect(_courtyard_url(courtyard))
    return _form_page(request, form, _("登记院落自治组织成员"), _courtyard_url(courtyard))


@login_required
@require_POST
def member_leave(request, pk):
    member = access.get_member_for_keeping(request.user, pk)
    run_step(request, services.member_leave, _("已登记退出。"), member=member)
    return redirect(_courtyard_url(member.body.courtyard))


@login_required
@require_http_methods(["GET", "POST"])
def compact_adopt(request, pk):
    courtyard = access.get_courtyard_for_keeping(request.user, pk)
    latest = courtyard.compact_versions.first()
    form = CompactForm(request.POST or None, initial={"text": latest.text if latest else "",
                                                      "adopted_on": timezone.localdate()})
    if _run_form(request, form, services.compact_adopt, _("已登记新版院落公约，旧版本保留。"), courtyard=courtyard):
        return redirect(_courtyard_url(courtyard))
    return _form_page(request, form, _("登记新通过的院落公约"), _courtyard_url(courtyard),
                      note=_("每次通过的公约都作为新版本保存，历史版本不会被修改。"))


@login_required
@require_http_methods(["GET", "POST"])
def activity_add(request, pk):
    courtyard = access.get_courtyard_for_keeping(request.user, pk)
    form = ActivityForm(request.POST or None, request.FILES or None, initial={"held_on": timezone.localdate()})
    if _run_form(request, form, services.activity_add, _("已登记活动。"), courtyard=courtyard):
        return redirect(_courtyard_url(courtyard))
    return _form_page(request, form, _("登记院落活动"), _courtyard_url(courtyard), multipart=True)


@login_required
def activity_photo(request, pk):
    activity = access.get_activity_for_user(request.user, pk)
    return uploads.file_response(activity.photo, filename=activity.photo.name.rsplit("/", 1)[-1],
                                 content_type=activity.photo_type)


@login_required
@require_http_methods(["GET", "POST"])
def entry_add(request, pk):
    courtyard = access.get_courtyard_for_keeping(request.user, pk)
    form = EntryForm(request.POST or None, initial={"entry_on": timezone.localdate()})
    if _run_form(request, form, services.courtyard_entry, _("已记账。"), courtyard=courtyard):
        return redirect(reverse("commons:courtyard_accounts", args=[courtyard.pk]))
    return _form_page(request, form, _("院落账目记账：%(c)s") % {"c": courtyard.name},
                      reverse("commons:courtyard_accounts", args=[courtyard.pk]))


# --- 社区基金 ---------------------------------------------------------------------------------


@login_required
def fund_detail(request, pk):
    fund = access.get_community_fund_for_user(request.user, pk)
    entries = fund.entries.select_related("donor", "selforg").order_by("-entry_on", "-pk")
    return render(request, "commons/fund_detail.html", {
        "fund": fund, "page": paginate(request, entries), "keeper": access.can_keep(request.user, fund.community_id)})


@login_required
@require_http_methods(["GET", "POST"])
def donation_add(request, pk):
    """Record a social enterprise's donation; the community's fund opens with its first one."""
    community = access.get_community_for_fund_keeping(request.user, pk)
    form = DonationForm(request.POST or None, donors=access.donors_for(community),
                        initial={"entry_on": timezone.localdate()})
    if _run_form(request, form, services.donation_record, _("已登记捐赠。"), community=community):
        return redirect(reverse("commons:fund_detail", args=[community.community_fund.pk]))
    return _form_page(request, form, _("社区基金：登记社会企业利润捐赠（%(c)s）") % {"c": community.name},
                      reverse("commons:home"))


@login_required
@require_http_methods(["GET", "POST"])
def grant_add(request, pk):
    fund = access.get_community_fund_for_user(request.user, pk)
    access.require_keeper(request.user, fund.community_id)
    form = GrantForm(request.POST or None, selforgs=access.grantees_for(fund.community_id),
                     initial={"entry_on": timezone.localdate()})
    if _run_form(request, form, services.grant_make, _("已登记资助。"), fund=fund):
        return redirect(reverse("commons:fund_detail", args=[fund.pk]))
    return _form_page(request, form, _("社区基金：资助居民自组织"), reverse("commons:fund_detail", args=[fund.pk]),
                      note=_("余额 %(b)s 元。") % {"b": fund.balance})
