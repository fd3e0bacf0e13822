"""Measuring for the benchmark: every page and API list as the role that uses it, and
every region-wide report kind in each format against its bare SQL (the floor)."""

import functools
import gc
import io
import re
import resource
import statistics
import time
import tracemalloc
from pathlib import Path

from django.db import connection
from django.test import Client
from django.urls import reverse

from places.models import Region
from places.reporting import Filters, report_kinds
from projects.models import Activity, Rectification

from ..builders import BUILDERS, build_xlsx_openpyxl, build_xlsx_xlsxwriter
from .compare import DASHBOARD_TARGET_MS, PAGE_TARGET_MS, PDF_TARGET_MS, XLSX_TARGET_MS


class Statements:
    """Records every statement run on the connection (independent of DEBUG's query log,
    which keeps only the last 9,000)."""

    def __init__(self):
        self.executed: list[tuple[str, object]] = []

    def __call__(self, execute, sql, params, many, context):
        self.executed.append((sql, params))
        return execute(sql, params, many, context)

    def __len__(self):
        return len(self.executed)


def measure_pages(data: dict, repeat: int = 20) -> list[dict]:
    users = data["users"]
    pages = [
        ("评审工作台 review queue", "city_bureau", reverse("projects:review_queue", args=[data["round"].pk])),
        ("申报书 application page", "city_bureau", reverse("projects:application_detail",
                                                        args=[data["application"].pk])),
        ("项目 project page", "city_bureau", reverse("projects:project_detail", args=[data["project"].pk])),
        ("进度报告列表 progress list", "city_bureau", reverse("projects:progress_list")),
        ("评分页 scoring page (53)", "evaluator", reverse("assessments:sheet", args=[data["draft_sheet"].pk])),
        ("评估汇总 consolidated", "city_bureau", reverse("assessments:evaluation_detail",
                                                     args=[data["evaluation"].pk])),
        ("工作台 dashboard (city)", "city_bureau", reverse("home")),
        ("工作台 dashboard (street)", "street", reverse("home")),
        ("社区名录 community list", "city_bureau", reverse("places:community_list")),
        ("API applications", "city_bureau", "/api/applications/"),
        ("API projects", "city_bureau", "/api/projects/"),
        ("API progress reports", "city_bureau", "/api/progress-reports/"),
        ("API communities", "city_bureau", "/api/communities/"),
        ("API organisations", "city_bureau", "/api/organizations/"),
        ("立项项目列表 project list", "city_bureau", reverse("projects:project_list")),
        ("申报书列表 application list", "city_bureau", reverse("projects:application_list")),
        ("整改列表 rectifications", "city_bureau", reverse("projects:rectification_list")),
        ("机构名录 organisations", "city_bureau", reverse("organizations:organization_list")),
        ("报表任务 report jobs", "city_bureau", reverse("reports:report_list")),
        ("进度列表 第100页 page 100", "city_bureau", reverse("projects:progress_list") + "?page=100"),
        # Search: two Chinese characters, anywhere in the name.
        ("搜索 申报书 q=项目0", "city_bureau", reverse("projects:application_list") + "?q=项目0"),
        ("搜索 项目 q=基准", "city_bureau", reverse("projects:project_list") + "?q=基准"),
        ("搜索 机构 q=服务中心00", "city_bureau", reverse("organizations:organization_list") + "?q=服务中心00"),
        ("搜索 社区 q=桥社", "city_bureau", reverse("places:community_list") + "?q=桥社"),
        ("搜索 API 项目 q=项目1", "city_bureau", "/api/projects/?q=项目1"),
        ("搜索 进度 q=项目2", "city_bureau", reverse("projects:progress_list") + "?q=项目2"),
        ("admin 活动 change", "admin", reverse("admin:projects_activity_change",
                                               args=[Activity.objects.order_by("pk").values_list("pk", flat=True)[0]])),
        ("admin 整改 change", "admin", reverse("admin:projects_rectification_change", args=[
            Rectification.objects.order_by("pk").values_list("pk", flat=True)[0]])),
        ("admin 活动 list", "admin", reverse("admin:projects_activity_changelist")),
    ]
    results = []
    for label, role, url in pages:
        client = Client()
        client.force_login(users[role])
        client.get(url)  # warm caches (scope, templates)
        # As a served process does once warm (shequ/wsgi.py freezes what it loads): what
        # the process holds so far stays out of the collector's full passes. Without it a
        # pass over the bench's own seeding leftovers shows as a p95 no server has (a
        # served worker: /api/progress-reports/ p95 17.6 ms, median 13.4 ms).
        gc.collect()
        gc.freeze()
        statements = Statements()
        with connection.execute_wrapper(statements):
            response = client.get(url)
        assert response.status_code == 200, (label, response.status_code)
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        results.append({"page": label, "role": role, "queries": len(statements),
                        "median_ms": round(statistics.median(times), 1),
                        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
                        "target_ms": DASHBOARD_TARGET_MS if "dashboard" in label else PAGE_TARGET_MS})
    return results


def _sql_floor(statements: "Statements") -> float:
    """Run the report's own SQL again, bare: the time the database needs for the
    figures, without Python building rows or files — the report's floor."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql, params in statements.executed:
            cursor.execute(sql, params)
            cursor.fetchall()
    return (time.perf_counter() - started) * 1000


WRITERS = {
    "xlsx": BUILDERS["xlsx"],  # reports.xlsx, rows streamed into the zip (what the site serves)
    "xlsxwriter": build_xlsx_xlsxwriter,  # XlsxWriter constant_memory (the previous builder)
    "xlsxwriter-memory": functools.partial(build_xlsx_xlsxwriter, constant_memory=False),
    "xlsx-openpyxl": build_xlsx_openpyxl,
    "pdf": BUILDERS["pdf"],
}


def _status_kb(field: str) -> int | None:
    try:
        text = Path("/proc/self/status").read_text()
    except OSError:
        return None
    found = re.search(rf"^{field}:\s+(\d+) kB", text, re.M)
    return int(found.group(1)) if found else None


def _reset_peak_rss() -> bool:
    """Linux: writing 5 to clear_refs resets the process's peak RSS (VmHWM) to its
    current RSS, so the peak after a build is that build's own."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def measure_reports(formats=("xlsx", "xlsxwriter", "xlsxwriter-memory", "xlsx-openpyxl", "pdf")) -> list[dict]:
    """Each report: its SQL bare (floor, median of three), the ReportData alone (`data_ms`),
    and each format whole (data + file; median of three, one for PDF). Then memory in
    the last timed build: peak RSS of the process during it (`rss_peak_mb`, and its
    growth over the RSS before, `rss_growth_mb`); and, in one more build, Python's own
    peak allocation (tracemalloc, `peak_mb`: slows Python several-fold; not for PDF)."""
    city = Region.objects.get(level=Region.Level.CITY)
    filters = Filters(region=city)
    builders = {kind.code: kind.build for kind in report_kinds(per_project=False)}
    results = []
    for kind, build in builders.items():
        statements = Statements()
        with connection.execute_wrapper(statements):
            build(filters)
        # Median of three, like the builds it is compared with (best-of would favour
        # whichever side the load happened to spare).
        floor = statistics.median(_sql_floor(statements) for _ in range(3))
        data_runs = []
        for _ in range(3):
            started = time.perf_counter()
            build(filters)
            data_runs.append((time.perf_counter() - started) * 1000)
        for fmt in formats:
            runs, before_kb, peak_kb = [], None, None
            count = 3 if fmt != "pdf" else 1
            for attempt in range(count):
                if attempt == count - 1:  # the last run also measures the peak RSS
                    before_kb = _status_kb("VmRSS") if _reset_peak_rss() else None
                started = time.perf_counter()
                WRITERS[fmt](build(filters), io.BytesIO())
                runs.append((time.perf_counter() - started) * 1000)
            peak_kb = _status_kb("VmHWM") if before_kb else None
            elapsed = statistics.median(runs)
            peak = None
            if fmt != "pdf":  # tracemalloc slows WeasyPrint ten-fold; its RSS says enough
                tracemalloc.start()
                WRITERS[fmt](build(filters), io.BytesIO())
                _current, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
            results.append({
                "report": kind, "format": fmt, "ms": round(elapsed, 1), "queries": len(statements),
                "data_ms": round(statistics.median(data_runs), 1),
                "peak_mb": round(peak / 1024 / 1024, 1) if peak is not None else None,
                "rss_peak_mb": round(peak_kb / 1024, 1) if peak_kb else None,
                "rss_growth_mb": round((peak_kb - before_kb) / 1024, 1) if peak_kb and before_kb else None,
                "floor_ms": round(floor, 1), "ratio": round(elapsed / floor, 1) if floor else None,
                "target_ms": PDF_TARGET_MS if fmt == "pdf" else XLSX_TARGET_MS,
            })
    return results


def max_rss_mb() -> float:
    """The process's peak resident set so far (Linux reports kB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
