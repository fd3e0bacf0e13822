"""A working morning on shequ, for `make load` (issue #14).

Four kinds of people, signed in with the demo logins (password shequ-demo-2026):
- reviewers (评审专家) open their review list and a sheet, and save a draft score;
- agencies (社工机构) look at their progress reports and re-save a report's narrative;
- bureau staff (民政局) open the dashboard, project and application lists, the API, and
  ask for a report now and then;
- street and community staff open their dashboard and the community's projects.

Only plain pages, forms and JSON — the same requests a browser sends — so the scenario
runs against older checkouts too (the side-by-side baseline). Forms are read from the
page and sent back with their own hidden fields (CSRF, the one-time token).

Never point this at anything but a local test server: `deploy/load/run.sh` refuses any
host other than 127.0.0.1.
"""

import os
import random
import re
from html import unescape
from urllib.parse import urlparse

from gevent.lock import Semaphore
from locust import HttpUser, between, constant, task

PASSWORD = os.environ.get("SHEQU_DEMO_PASSWORD", "shequ-demo-2026")
# LOAD_WAIT=0: no think time, each user sends its next request as soon as the last one
# is answered — the saturation phase of `make load`, which measures what the server can
# serve, not what a morning's users ask of it.
THINK = constant(0) if os.environ.get("LOAD_WAIT") == "0" else between(1, 3)
FORM_RE = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
ATTR_RE = re.compile(r'([\w-]+)\s*=\s*"([^"]*)"')
INPUT_RE = re.compile(r"<input\b([^>]*)>", re.I)
SELECT_RE = re.compile(r"<select\b([^>]*)>(.*?)</select>", re.S | re.I)
OPTION_RE = re.compile(r"<option\b([^>]*)>", re.I)
TEXTAREA_RE = re.compile(r"<textarea\b([^>]*)>(.*?)</textarea>", re.S | re.I)


SESSIONS: dict[str, dict] = {}
SESSIONS_LOCK = Semaphore()


def _attrs(text: str) -> dict:
    return {k.lower(): unescape(v) for k, v in ATTR_RE.findall(text)}


def forms_in(html: str) -> list[tuple[dict, list[tuple[str, str]], dict]]:
    """[(form attributes, [(name, value)], {number input name: its attributes})] of the
    page's POST forms, with the values a browser would send unchanged."""
    found = []
    for form_attrs, body in FORM_RE.findall(html):
        attrs = _attrs(form_attrs)
        if attrs.get("method", "get").lower() != "post":
            continue
        fields, numbers = [], {}
        for raw in INPUT_RE.findall(body):
            a = _attrs(raw)
            name, kind = a.get("name"), a.get("type", "text").lower()
            if not name or kind in ("submit", "button", "file", "image", "reset"):
                continue
            if kind in ("checkbox", "radio") and "checked" not in raw:
                continue
            if kind == "number":
                numbers[name] = a
            fields.append((name, a.get("value", "on" if kind in ("checkbox", "radio") else "")))
        for raw, options in SELECT_RE.findall(body):
            name = _attrs(raw).get("name")
            opts = [(_attrs(o), o) for o in OPTION_RE.findall(options)]
            chosen = [a.get("value", "") for a, o in opts if "selected" in o] or \
                     [a.get("value", "") for a, _o in opts if a.get("value")][:1]
            if name:
                fields.extend((name, value) for value in chosen[:1])
        for raw, text in TEXTAREA_RE.findall(body):
            name = _attrs(raw).get("name")
            if name:
                fields.append((name, unescape(text).lstrip("\n")))
        found.append((attrs, fields, numbers))
    return found


def ids(pattern: str, html: str) -> list[int]:
    return sorted({int(x) for x in re.findall(pattern, html)})


class Staff(HttpUser):
    abstract = True
    wait_time = THINK
    logins: tuple[str, ...] = ()

    def on_start(self):
        host = urlparse(self.host)
        # Sent like a browser behind the TLS proxy would: some checkouts insist on https
        # (secure cookies, a strict Referer check); the load target is plain http on loopback.
        self.origin = f"https://{host.netloc}"
        self.client.headers.update({"X-Forwarded-Proto": "https", "Referer": self.origin + "/",
                                    "Accept-Language": "zh-hans"})
        self.username = random.choice(self.logins)
        # One sign-in per demo login, its session shared by the simulated people using that
        # login: a morning's sign-ins are spread out, and 100 password hashes (PBKDF2, by
        # design slow) in the first seconds would measure nothing but the hasher.
        with SESSIONS_LOCK:
            if self.username not in SESSIONS:
                self._sign_in()
                SESSIONS[self.username] = {c.name: c.value for c in self.client.cookies}
        for name, value in SESSIONS[self.username].items():
            self.client.cookies.set(name, value)

    def _sign_in(self):
        page = self.client.get("/accounts/login/", name="login page")
        self._insecure_cookies()  # the CSRF cookie must come back with the login
        fields = dict(forms_in(page.text)[-1][1]) if forms_in(page.text) else {}
        fields.update(username=self.username, password=PASSWORD)
        self.client.post("/accounts/login/", data=fields, name="login", allow_redirects=False)
        self._insecure_cookies()

    def _insecure_cookies(self):
        # The server marks cookies Secure (it believes it is behind https); the client talks
        # plain http to 127.0.0.1, so let it send them back.
        for cookie in self.client.cookies:
            cookie.secure = False

    def resubmit(self, url: str, name: str, *, action_contains: str = "", extra=None, skip=("submit",),
                 button: str = "") -> None:
        """GET a page and POST its first matching form back as it is (plus `extra`), as
        the `button` (a submit button's name) would; not when the page has no such button
        (a locked sheet shows its form disabled)."""
        page = self.client.get(url, name=name)
        self._insecure_cookies()
        if button and f'name="{button}"' not in page.text:
            return
        for attrs, fields, numbers in forms_in(page.text):
            action = attrs.get("action") or url
            if "/i18n/" in action or "logout" in action:  # the header's language switch, sign-out
                continue
            if action_contains and action_contains not in action:
                continue
            data = [(k, v) for k, v in fields if k not in skip] + ([(button, "")] if button else [])
            if extra:
                data = extra(data, numbers)
            with self.client.post(action, data=data, name=name + " (POST)", catch_response=True,
                                  allow_redirects=False) as response:
                if response.status_code in (200, 302, 303):
                    response.success()
            self._insecure_cookies()
            return


class Reviewer(Staff):
    weight = 3
    logins = ("reviewer", "reviewer2")

    @task(3)
    def review_list(self):
        page = self.client.get("/funding/reviews/", name="review list")
        self.sheets = ids(r'/funding/reviews/(\d+)/', page.text)

    @task(4)
    def score_a_sheet(self):
        sheets = getattr(self, "sheets", None) or []
        if not sheets:
            return self.review_list()

        def scores(data, numbers):
            out = []
            for key, value in data:
                if key in numbers and value == "":
                    top = numbers[key].get("max", "5")
                    try:
                        value = str(max(0, int(float(top)) - random.randint(0, 2)))
                    except ValueError:
                        value = "3"
                out.append((key, value))
            return out

        sheet = random.choice(sheets)
        self.resubmit(f"/funding/reviews/{sheet}/", "review sheet", extra=scores, button="save")

    @task(1)
    def application(self):
        page = self.client.get("/api/applications/", name="API applications")
        found = ids(r'"id":\s*(\d+)', page.text)
        if found:
            self.client.get(f"/funding/applications/{random.choice(found)}/", name="application page")


class Agency(Staff):
    weight = 3
    logins = ("rongxiang", "lelin")

    @task(2)
    def dashboard(self):
        self.client.get("/", name="dashboard")

    @task(3)
    def progress(self):
        page = self.client.get("/funding/progress/", name="progress list")
        self.reports = ids(r'/funding/progress/(\d+)/', page.text)
        if self.reports:
            self.client.get(f"/funding/progress/{random.choice(self.reports)}/", name="progress report")

    @task(2)
    def file_narrative(self):
        reports = getattr(self, "reports", None) or []
        if reports:
            # The narrative form sits on the report's page (drafts and returned reports only).
            self.resubmit(f"/funding/progress/{random.choice(reports)}/", "progress report",
                          action_contains="narrative")

    @task(1)
    def projects(self):
        page = self.client.get("/funding/projects/", name="project list")
        found = ids(r'/funding/projects/(\d+)/', page.text)
        if found:
            self.client.get(f"/funding/projects/{random.choice(found)}/", name="project page")


class Bureau(Staff):
    weight = 2
    logins = ("city_bureau", "djy_bureau")

    @task(4)
    def dashboard(self):
        self.client.get("/", name="dashboard")

    @task(2)
    def projects(self):
        page = self.client.get("/funding/projects/", name="project list")
        found = ids(r'/funding/projects/(\d+)/', page.text)
        if found:
            self.client.get(f"/funding/projects/{random.choice(found)}/", name="project page")

    @task(2)
    def applications(self):
        self.client.get("/funding/applications/?status=submitted", name="application list")

    @task(2)
    def api(self):
        self.client.get("/api/projects/", name="API projects")

    @task(1)
    def ask_for_a_report(self):
        self.resubmit("/reports/", "report request")


class PlaceStaff(Staff):
    weight = 2
    logins = ("yinxing_street", "gaoqiao")

    @task(3)
    def dashboard(self):
        self.client.get("/", name="dashboard")

    @task(1)
    def projects(self):
        self.client.get("/funding/projects/", name="project list")

    @task(1)
    def progress(self):
        self.client.get("/funding/progress/", name="progress list")
