from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from web import sections
from web.forms import add_service_error
from web.qr import qr_data_uri
from web.views import paginate

from . import access, services
from .forms import CodeForm, ImportForm, JoinCodeForm, PhoneForm, ResidentForm, SetPasswordForm

SESSION_IMPORT = "residents_import"


def _community(request):
    """The community whose residents the page is about: ?community= or the user's first."""
    access.require_resident_keeper(request.user)
    pk = request.GET.get("community") or request.POST.get("community")
    if pk:
        return access.get_community_for_residents(request.user, pk)
    return access.communities_for_resident_keeping(request.user).first()


@login_required
def resident_list(request):
    community = _community(request)
    residents = (access.residents_for_user(request.user).filter(community=community)
                 .select_related("user", "household", "group", "courtyard"))
    query = request.GET.get("q", "").strip()[:50]
    if query:
        residents = residents.filter(user__real_name__icontains=query) | residents.filter(
            household__number__icontains=query)
    return render(request, "residents/resident_list.html", {
        "community": community, "page": paginate(request, residents.order_by("household__number", "pk")),
        "query": query, "communities": access.communities_for_resident_keeping(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def resident_add(request):
    community = _community(request)
    form = ResidentForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        try:
            resident = services.resident_register(actor=request.user, community=community, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已登记居民 %(n)s。") % {"n": resident.user.real_name})
            return redirect(f"{reverse('residents:resident_list')}?community={community.pk}")
    return render(request, "residents/resident_form.html", {"form": form, "community": community},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def resident_import(request):
    """Upload → preview with each row's errors → confirm; all or nothing."""
    community = _community(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    rows = None
    if request.method == "POST" and request.POST.get("confirm"):
        stored = request.session.get(SESSION_IMPORT) or {}
        if stored.get("community") != community.pk:
            messages.error(request, _("没有待导入的名册，请重新上传。"))
            return redirect(f"{reverse('residents:resident_import')}?community={community.pk}")
        rows = [services.ResidentRow(**row) for row in stored["rows"]]
        try:
            created = services.residents_import(actor=request.user, community=community, rows=rows)
        except ValidationError as exc:
            messages.error(request, _("；").join(exc.messages))
        else:
            request.session.pop(SESSION_IMPORT, None)
            messages.success(request, _("已导入 %(n)s 位居民。") % {"n": len(created)})
            return redirect(f"{reverse('residents:resident_list')}?community={community.pk}")
        form = ImportForm()
    elif request.method == "POST" and form.is_valid():
        try:
            rows = services.residents_parse_workbook(form.cleaned_data["file"])
            rows = services.residents_import_preview(actor=request.user, community=community, rows=rows)
        except ValidationError as exc:
            add_service_error(form, exc)
            rows = None
        else:
            request.session[SESSION_IMPORT] = {"community": community.pk, "rows": [
                {k: getattr(r, k) for k in ("real_name", "phone", "household_number", "address", "courtyard_name",
                                            "group_name", "is_cadre", "line")} for r in rows]}
    has_errors = bool(rows) and any(r.errors for r in rows)
    return render(request, "residents/resident_import.html", {
        "form": form, "community": community, "rows": rows, "has_errors": has_errors},
        status=400 if form.errors or has_errors else 200)


@login_required
@require_POST
def invite_sheet(request):
    """Issue codes for the ticked residents (or every resident without a password yet)
    and show the printable sheet of QR codes. The codes are shown once, here."""
    community = _community(request)
    residents = access.residents_for_user(request.user).filter(community=community).select_related(
        "user", "household")
    ids = [i for i in request.POST.getlist("resident") if i.isdigit()]
    residents = residents.filter(pk__in=ids) if ids else residents.filter(user__password__startswith="!")
    residents = list(residents[:200])
    if not residents:
        messages.info(request, _("没有需要发放邀请码的居民（均已设置密码）。"))
        return redirect(f"{reverse('residents:resident_list')}?community={community.pk}")
    issued = services.invites_issue(actor=request.user, residents=residents)
    cards = []
    for resident, code, expires in issued:
        url = request.build_absolute_uri(reverse("residents:join_code", args=[code]))
        cards.append({"resident": resident, "code": code, "expires": expires, "url": url,
                      "qr": qr_data_uri(url, scale=3)})
    return render(request, "residents/invite_sheet.html", {"community": community, "cards": cards})


@require_http_methods(["GET", "POST"])
def join(request, code=""):
    """Public: a resident opens the QR code's link (or types the code) and sets a password."""
    if not code:
        form = JoinCodeForm(request.GET or None)
        if form.is_valid():
            return redirect("residents:join_code", code=services.normalise_invite(form.cleaned_data["code"]))
        return render(request, "residents/join.html", {"code_form": form})
    invite = services.invite_lookup(code)
    form = SetPasswordForm(request.POST or None)
    if invite is None:
        return render(request, "residents/join.html", {
            "code_form": JoinCodeForm(), "invalid": True}, status=404)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invite_redeem(code=code, password=form.cleaned_data["password1"])
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("密码已设置，欢迎参与社区议事！以后请用手机号和密码登录。"))
            return redirect("home")
    return render(request, "residents/join.html", {"form": form, "invite": invite},
                  status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def signin_code(request):
    """Public: sign in with a code sent by SMS. Step 1 asks for the phone, step 2 for the code."""
    if request.method == "POST" and "code" in request.POST:
        form = CodeForm(request.POST)
        if form.is_valid():
            try:
                user = services.signin_code_verify(**form.cleaned_data)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                return redirect("home")
        return render(request, "residents/signin_code.html", {"code_form": form}, status=400)
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.signin_code_request(phone=form.cleaned_data["phone"])
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.info(request, _("如该手机号已登记，验证码已发送。"))
            return render(request, "residents/signin_code.html", {
                "code_form": CodeForm(initial={"phone": form.cleaned_data["phone"]})})
    return render(request, "residents/signin_code.html", {"form": form}, status=400 if form.errors else 200)


def home(request):
    """The phone-first resident home; reports' dashboard hands residents over to it.
    Councils and other governance apps add their sections (page "resident_home")."""
    resident = access.resident_profile(request.user)
    if resident is None:
        raise PermissionDenied(_("您还没有居民档案。"))
    return render(request, "residents/home.html", {
        "resident": resident, **sections.build("resident_home", user=request.user, resident=resident)})
