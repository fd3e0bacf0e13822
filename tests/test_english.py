"""English (#16): Chinese is the source language and locale/en is its complete English
catalogue. These tests fail when a message lacks its English, when the committed
catalogue misses a msgid the code marks, when the compiled .mo lags the .po, or when an
English page shows a Chinese-only string."""

import datetime
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import formats, timezone, translation

ROOT = Path(settings.BASE_DIR)
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
FULL_WIDTH = ("：", "，", "；", "、", "。", "（", "）")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif%]|\{\w*\}")


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def _problems(entry: polib.POEntry) -> list[str]:
    if entry.fuzzy:
        return ["fuzzy"]
    if entry.msgid_plural:
        singular, plural = entry.msgstr_plural.get(0, ""), entry.msgstr_plural.get(1, "")
        if not (singular.strip() and plural.strip()):
            return ["untranslated"]
        # The singular may leave the count out ("one row"); neither form may add or rename one.
        wanted = _placeholders(entry.msgid_plural)
        if not set(_placeholders(singular)) <= set(wanted) or _placeholders(plural) != wanted:
            return ["placeholders"]
        return []
    if not entry.msgstr.strip():
        return ["untranslated"]
    problems = []
    if _placeholders(entry.msgstr) != _placeholders(entry.msgid):
        problems.append(f"placeholders {_placeholders(entry.msgid)} → {_placeholders(entry.msgstr)}")
    for edge in (str.startswith, str.endswith):
        for blank in (" ", "\n"):
            if edge(entry.msgid, blank) != edge(entry.msgstr, blank):
                # Chinese full-width punctuation carries its own spacing; in English a
                # label's colon or a list's comma is followed by a space ("机构回应：" → "Answer: "), a
                # bracket preceded by one ("（牵头）" → " (lead)").
                if blank == " " and edge(entry.msgid, FULL_WIDTH):
                    continue
                problems.append("leading/trailing space or newline differs")
    return problems


def test_every_message_has_its_english():
    catalogue = polib.pofile(str(PO))
    assert catalogue.metadata.get("Language") == "en"
    assert "nplurals=2" in catalogue.metadata.get("Plural-Forms", "")
    bad = [f"{e.occurrences[0][0] if e.occurrences else '?'}: {e.msgid[:40]!r}: {', '.join(p)}"
           for e in catalogue if (p := _problems(e))]
    assert not bad, f"{len(bad)} messages lack a proper English translation, e.g.:\n" + "\n".join(bad[:25])


def _entries(catalogue) -> dict:
    out = {}
    for e in catalogue:
        if not e.msgid or e.obsolete or getattr(e, "fuzzy", False):
            continue
        if e.msgid_plural:
            forms = tuple(v for _, v in sorted(e.msgstr_plural.items()))
            if all(forms):
                out[(e.msgctxt, e.msgid, e.msgid_plural)] = forms
        elif e.msgstr:
            out[(e.msgctxt, e.msgid, None)] = e.msgstr
    return out


def test_committed_mo_is_the_compiled_po():
    """The .mo is committed so `make run` works without gettext; it must say what the .po says
    (run `make messages` after editing the .po)."""
    assert MO.exists(), "locale/en/LC_MESSAGES/django.mo is missing: run `make messages`"
    assert _entries(polib.mofile(str(MO))) == _entries(polib.pofile(str(PO)))


def _makemessages_flags() -> list[str]:
    """The flags `make messages` uses, read from the Makefile so the two never drift."""
    match = re.search(r"^MESSAGES_FLAGS\s*:?=\s*(.+)$", (ROOT / "Makefile").read_text(), re.M)
    assert match, "Makefile lost MESSAGES_FLAGS"
    return match.group(1).split()


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext (xgettext) is not installed")
def test_catalogue_has_every_marked_message(tmp_path):
    """makemessages, run on a copy of the sources, adds no msgid the committed catalogue lacks."""
    skip = {".git", ".venv", "var", "tests", "static", "node_modules", "__pycache__", ".pytest_cache"}
    copy = tmp_path / "src"
    shutil.copytree(ROOT, copy, ignore=lambda d, names: [n for n in names if n in skip or n.endswith((".mo", ".pyc"))],
                    symlinks=True)
    result = subprocess.run([sys.executable, "manage.py", "makemessages", *_makemessages_flags()], cwd=copy,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    regenerated = polib.pofile(str(copy / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    committed = {(e.msgctxt, e.msgid) for e in polib.pofile(str(PO))}
    missing = [e.msgid for e in regenerated if not e.obsolete and (e.msgctxt, e.msgid) not in committed]
    assert not missing, (f"{len(missing)} marked messages are not in the catalogue (run `make messages` and "
                         f"translate them): {missing[:20]}")


# --- English pages --------------------------------------------------------------------------


class _Text(HTMLParser):
    """Visible text, the attributes people read (title, placeholder, aria-label, alt) and the
    data- attributes scripts show (confirmations, live warnings)."""

    HIDDEN = {"script", "style", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self._hidden += 1
        for name, value in attrs:
            if value and (name in {"title", "placeholder", "aria-label", "alt"} or name.startswith("data-")):
                self.chunks.append(value)
            if tag == "input" and name == "value" and value and dict(attrs).get("type") in {"submit", "button"}:
                self.chunks.append(value)

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.chunks.append(data.strip())


# The one Chinese a user of the English pages should see: the switcher's own name.
ALLOWED = {"简体中文"}


def chinese_on(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return [chunk for chunk in parser.chunks if CJK.search(chunk) and chunk not in ALLOWED]


@pytest.fixture
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def ascii_world(cast, places, organizations):
    """Factory data with ASCII names everywhere, so any Chinese on a page comes from the code."""
    from accounts.models import User
    from organizations.models import Organization
    from places.models import Community, Region
    from projects import services
    from projects.demo import load_default_review_form
    from projects.models import ReviewCriterion, TrancheRule

    Region.objects.update(name=Concat(Value("Region "), F("code")))
    Community.objects.update(name=Concat(Value("Community "), F("code")), official_name="")
    Organization.objects.update(name=Concat(Value("Agency "), F("pk")))
    Organization.objects.filter(pk=organizations["rongxiang"].pk).update(name="Rongxiang Agency")
    User.objects.update(real_name=F("username"))
    form = load_default_review_form()
    ReviewCriterion.objects.filter(form=form).update(name=Concat(Value("Criterion "), F("pk")), guidance="")
    form.__class__.objects.filter(pk=form.pk).update(name="Default form", description="")
    today = timezone.localdate()
    now = timezone.now()
    bureau, agency = cast["city_bureau"], cast["agency"]
    funding_round = services.round_create(
        actor=bureau, name="City round", year=today.year, funder=places.city,
        tranches=[(Decimal("50"), TrancheRule.Trigger.AGREEMENT), (Decimal("50"), TrancheRule.Trigger.FINAL)],
        total_budget=Decimal("2000000"), per_project_cap=Decimal("100000"), per_community_cap=Decimal("300000"),
        opens_at=now - datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=30), review_form=form)

    def application(title, amount):
        app = services.application_create(actor=agency, funding_round=funding_round,
                                          organization=organizations["rongxiang"], community=places.gaoqiao,
                                          title=title)
        data = {"summary": "Night market", "dimensions": ["people"], "leverage_point": "industry",
                "needs_methods": ["home_visits"], "needs_findings": "Visited 120 households", "goals": "Two groups",
                "strategy": "Core residents", "activity_plan": "March to December",
                "starts_on": today - datetime.timedelta(days=70), "ends_on": today + datetime.timedelta(days=200),
                "project_lead": "Zhou", "social_workers": "Zhou, Wu", "university_expert": "Prof. Liu",
                "senior_supervisor": "Huang"}
        lines = [{"category": "activities", "description": "Activities", "amount": amount}]
        return services.application_update(application=app, actor=agency, data=data, budget_lines=lines)

    draft = application("Draft idea", Decimal("50000"))
    approved = application("Night market", Decimal("90000"))
    services.application_endorse(application=approved, actor=cast["community"], endorsement="support")
    approved = services.application_submit(application=approved, actor=agency)
    approved = services.application_screen(application=approved, actor=bureau, passed=True)
    services.review_assign(applications=[approved], reviewers=[cast["reviewer"]], actor=bureau)
    approved = services.application_decide(application=approved, actor=bureau, decision="approve", reason="Good")
    project = approved.project
    services.agreement_sign(project=project, actor=bureau, signed_on=today - datetime.timedelta(days=60))
    return {"round": funding_round, "draft": draft, "application": approved, "project": project.__class__.objects.get(
        pk=project.pk)}


def _pages(world, places, organizations) -> dict[str, list[str]]:
    project = world["project"]
    report = project.progress_reports.order_by("number").first()
    pages = {
        "anonymous": [reverse("login")],
        "city_bureau": [
            reverse("home"), reverse("projects:round_list"), reverse("projects:round_detail", args=[world["round"].pk]),
            reverse("projects:application_list"), reverse("projects:application_detail",
                                                          args=[world["application"].pk]),
            reverse("projects:project_list"), reverse("projects:project_detail", args=[project.pk]),
            reverse("projects:progress_list"), reverse("projects:rectification_list"),
            reverse("organizations:organization_list"),
            reverse("organizations:organization_detail", args=[organizations["rongxiang"].pk]),
            reverse("places:community_list"), reverse("places:community_detail", args=[places.gaoqiao.pk]),
            reverse("notifications:notification_list"), reverse("notifications:notification_settings"),
            reverse("organizations:selforg_list"), reverse("organizations:organization_create"),
        ],
        "agency": [reverse("home"), reverse("projects:application_edit", args=[world["draft"].pk]),
                   reverse("projects:application_detail", args=[world["draft"].pk])],
        "community": [reverse("home"), reverse("places:community_detail", args=[places.gaoqiao.pk]),
                      reverse("places:community_edit", args=[places.gaoqiao.pk]), reverse("residents:resident_list")],
        "street": [reverse("home")],
        "reviewer": [reverse("home"), reverse("projects:review_list"),
                     reverse("projects:review_sheet", args=[world["application"].review_sheets.get().pk])],
        "supervisor": [reverse("home")],
        "evaluator": [reverse("home")],
        "admin": [reverse("admin:index"), reverse("admin:projects_application_changelist")],
    }
    if report is not None:
        pages["agency"].append(reverse("projects:progress_detail", args=[report.pk]))
    return pages


def test_english_pages_show_no_chinese(english, ascii_world, places, organizations, client_for):
    found = {}
    for role, urls in _pages(ascii_world, places, organizations).items():
        client = client_for(role)
        for url in urls:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
            assert response.status_code == 200, (role, url, response.status_code)
            for text in chinese_on(response.content.decode()):
                found.setdefault(text, f"{role} {url}")
    lines = [f"{where}: {text[:80]}" for text, where in found.items()]
    assert not found, f"{len(lines)} Chinese strings on English pages:\n" + "\n".join(lines)


def test_english_dates_and_numbers_are_localized(english):
    day = datetime.date(2026, 3, 1)
    assert formats.date_format(day) == "March 1, 2026"
    assert formats.number_format(Decimal("2528000.5"), 2, use_l10n=True, force_grouping=True) == "2,528,000.50"
    with translation.override("zh-hans"):
        assert formats.date_format(day) == "2026年3月1日"
        assert formats.number_format(Decimal("2528000.5"), 2, use_l10n=True, force_grouping=True) == "2,528,000.50"


def test_mail_goes_out_in_the_language_of_the_request(english, ascii_world, cast):
    """The submitter works in English: the bureau's notification and its e-mail are English."""
    from notifications.models import Notification, OutboxMessage
    from projects import services

    for user in (cast["city_bureau"], cast["agency"]):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    services.application_submit(application=ascii_world["draft"], actor=cast["agency"])
    note = Notification.objects.filter(user=cast["city_bureau"]).latest("pk")
    assert note.title == "New application awaiting formal check: Draft idea"
    mail = OutboxMessage.objects.get(notification=note)
    assert mail.subject == "[Community building] New application awaiting formal check: Draft idea"
    assert mail.body.startswith("Rongxiang Agency submitted an application for Community 510181005009 (version 1).")
    assert not CJK.search(mail.subject + mail.body)
