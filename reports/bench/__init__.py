"""City- and province-scale benchmark: bulk-seed a realistic dataset (`seed`), then
measure pages, API lists, search and reports (`measure`) and judge them against their
targets and a baseline run (`compare`). Run with `make bench` (city, SQLite by default)
or `make bench SCALE=province` (PostgreSQL: ten cities). It always works in its own
database, never in the one `make run` uses."""

from .compare import (
    DASHBOARD_TARGET_MS,
    EXPLAINED,
    PAGE_TARGET_MS,
    REGRESSION,
    Explained,
    bench_path,
    compare,
    page_lines,
    report_lines,
    write_results,
)
from .measure import Statements, max_rss_mb, measure_pages, measure_reports
from .seed import PASSWORD, SCALES, SYNTHETIC, Scale, seed

__all__ = [
    "DASHBOARD_TARGET_MS", "EXPLAINED", "PAGE_TARGET_MS", "PASSWORD", "REGRESSION", "SCALES", "SYNTHETIC",
    "Explained", "Scale", "Statements", "bench_path", "compare", "max_rss_mb", "measure_pages",
    "measure_reports", "page_lines", "report_lines", "seed", "write_results",
]
