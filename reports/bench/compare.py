"""Judging a benchmark run: each figure against its target and against the same figure
in a baseline run (the previous commit's `bench.json`, matched by label), printed side
by side. A miss whose cause was measured and written down (EXPLAINED) is reported with
that cause and does not fail the run — but only up to the figure it was measured at
(+20 %); every other miss, and every regression over 20 %, fails it."""

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

PAGE_TARGET_MS = 100  # every page, API list/detail and search, median, at province scale
DASHBOARD_TARGET_MS = 50
P95_FACTOR = 2  # p95 ≤ 2 × median
XLSX_TARGET_MS = 5000
XLSX_RATIO = 3  # xlsx ≤ 3 × the bare SQL of the same figures…
XLSX_SMALL_MS = 100  # …unless it is done within this of its SQL (a 3 ms query cannot carry a zip's fixed cost)
PDF_TARGET_MS = 10000  # city PDF
SEED_TARGET_S = 600  # province seeding
JUDGED_FORMATS = ("xlsx", "pdf", "csv")  # what the site serves; xlsxwriter/openpyxl are reference builders
REGRESSION = 1.2  # more than 20 % slower than the baseline fails the bench
NOISE_MS = 2  # …and more than this many ms slower (sub-ms pages jitter by more than 20 %)


@dataclass(frozen=True)
class Explained:
    """A measured miss: tolerated up to `upto` × 1.2, with the cause that was measured."""

    upto: float
    cause: str


# (what, measure) → Explained. `what` is a page label or "report/format"; measure is
# "median", "p95", "ratio", "ms" or "seed". Filled from measured runs only (docs/benchmarks.md).
EXPLAINED: dict[tuple[str, str], Explained] = {
    # docs/benchmarks.md, "Snapshots and queue counts" (quiet run, load 0.9–1.5).
    ("coverage/xlsx", "ratio"): Explained(4.7, (
        "its SQL is one indexed 46 ms query, but the report lists every community not yet "
        "covered — 27,000 at province scale, four text cells each: ~155 ms of writing "
        "(1.4 µs a cell, the writer's floor) over a tiny floor. The list is the report's "
        "content (the bureau works through it); 0.22 s in all")),
}


def _judge(key, value, limit, unit, failures, explained, explanations):
    """Adds the miss (value > limit) to `failures`, or to `explained` when its cause is
    on file and the value is within what was measured for it."""
    if value is None or value <= limit:
        return
    text = f"{key[0]} {key[1]}: {value} {unit} > {limit} {unit}"
    known = explanations.get(key)
    if known and value <= known.upto * REGRESSION:
        explained.append(f"{text} — {known.cause}")
    else:
        failures.append(text)


def compare(pages: list[dict], baseline: dict | None, reports: list[dict] = (), seeding_s: float | None = None,
            explanations: dict | None = None) -> tuple[list[str], list[str]]:
    """(failures, explained misses). Fills each page's `baseline_ms` and each report's
    `baseline_ms`/`baseline_ratio` from the baseline run."""
    explanations = EXPLAINED if explanations is None else explanations
    before = {row["page"]: row for row in (baseline or {}).get("pages", [])}
    reports_before = {(row["report"], row["format"]): row for row in (baseline or {}).get("reports", [])}
    failures, explained = [], []
    for row in pages:
        old = before.get(row["page"])
        row["baseline_ms"] = old["median_ms"] if old else None
        row["baseline_p95_ms"] = old["p95_ms"] if old else None
        _judge((row["page"], "median"), row["median_ms"], row["target_ms"], "ms", failures, explained, explanations)
        _judge((row["page"], "p95"), row["p95_ms"], round(row["median_ms"] * P95_FACTOR, 1), "ms", failures, explained,
               explanations)
        if old and row["median_ms"] > old["median_ms"] * REGRESSION and row["median_ms"] - old["median_ms"] > NOISE_MS:
            failures.append(f"{row['page']}: {row['median_ms']} ms vs {old['median_ms']} ms before (> +20 %)")
    for row in reports:
        name = f"{row['report']}/{row['format']}"
        old = reports_before.get((row["report"], row["format"]))
        row["baseline_ms"] = old["ms"] if old else None
        row["baseline_ratio"] = old.get("ratio") if old else None
        if row["format"] in JUDGED_FORMATS:  # the others are measured for comparison only
            _judge((name, "ms"), row["ms"], row["target_ms"], "ms", failures, explained, explanations)
        if row["format"] == "xlsx" and row["ms"] - row["floor_ms"] > XLSX_SMALL_MS:
            _judge((name, "ratio"), row["ratio"], XLSX_RATIO, "×", failures, explained, explanations)
        # Regressions of what the site serves; the reference builders are only compared.
        if (row["format"] in JUDGED_FORMATS and old and row["ms"] > old["ms"] * REGRESSION
                and row["ms"] - old["ms"] > NOISE_MS):
            failures.append(f"{name}: {row['ms']} ms vs {old['ms']} ms before (> +20 %)")
    if seeding_s is not None:
        _judge(("seeding", "seed"), round(seeding_s, 1), SEED_TARGET_S, "s", failures, explained, explanations)
    return failures, explained


def _cell(value) -> str:
    return "—" if value is None else str(value)


def page_lines(pages: list[dict]) -> list[str]:
    lines = [f"{'页面/接口':<34}{'查询':>6}{'中位ms':>10}{'p95 ms':>10}{'基线中位':>10}{'基线p95':>10}{'目标ms':>8}"]
    for row in pages:
        over = row["median_ms"] > row["target_ms"] or row["p95_ms"] > row["median_ms"] * P95_FACTOR
        lines.append(f"{row['page']:<34}{row['queries']:>6}{row['median_ms']:>10}{row['p95_ms']:>10}"
                     f"{_cell(row.get('baseline_ms')):>10}{_cell(row.get('baseline_p95_ms')):>10}"
                     f"{row['target_ms']:>8}{'  ← 超标' if over else ''}")
    return lines


def report_lines(reports: list[dict]) -> list[str]:
    lines = [f"{'报表':<12}{'格式':>14}{'用时ms':>10}{'基线ms':>10}{'数据ms':>9}{'SQL下限ms':>11}{'倍数':>6}"
             f"{'基线倍数':>9}{'查询':>6}{'RSS增长MB':>10}{'Py峰值MB':>9}"]
    for row in reports:
        over = ((row["ms"] > row["target_ms"] and row["format"] in JUDGED_FORMATS)
                or (row["format"] == "xlsx" and (row["ratio"] or 0) > XLSX_RATIO
                    and row["ms"] - row["floor_ms"] > XLSX_SMALL_MS))
        lines.append(f"{row['report']:<12}{row['format']:>14}{row['ms']:>10}{_cell(row.get('baseline_ms')):>10}"
                     f"{_cell(row.get('data_ms')):>9}{row['floor_ms']:>11}{_cell(row['ratio']):>6}"
                     f"{_cell(row.get('baseline_ratio')):>9}{_cell(row.get('queries')):>6}{_cell(row.get('rss_growth_mb')):>10}"
                     f"{_cell(row.get('peak_mb')):>9}{'  ← 超标' if over else ''}")
    return lines


def write_results(path: Path, payload: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str), encoding="utf-8")


def bench_path() -> Path:
    return Path(settings.VAR_DIR) / "bench.json"
