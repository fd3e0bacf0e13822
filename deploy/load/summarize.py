"""Turn the Locust CSVs of `make load` into a table: requests/s, p50/p95, errors, per
target and per request, with the machine's load average. Printed, and written between
<!-- load:begin --> and <!-- load:end --> in docs/benchmarks.md when --docs is given."""

import argparse
import csv
import datetime
import os
import platform
import re
from pathlib import Path

BEGIN, END = "<!-- load:begin -->", "<!-- load:end -->"


def stats(out: Path, label: str) -> dict[str, dict]:
    path = out / f"{label}_stats.csv"
    if not path.exists():
        return {}
    with path.open(newline="") as f:
        return {row["Name"]: row for row in csv.DictReader(f)}


def fmt(value, digits=0) -> str:
    try:
        return f"{float(value):,.{digits}f}"
    except (TypeError, ValueError):
        return "—"


def machine(out: Path, label: str) -> str:
    path = out / f"{label}-machine.txt"
    if not path.exists():
        return "—"
    loads = re.findall(r"load average: ([\d.]+), ([\d.]+), ([\d.]+)", path.read_text())
    return " → ".join(one for one, _five, _fifteen in loads) or "—"


def saturation(out: Path, baseline: str, current: str, how: str) -> list[str]:
    """The saturation phase: what each server serves flat out, and the ratio."""
    base = stats(out, "base-saturation").get("Aggregated", {})
    new = stats(out, "new-saturation").get("Aggregated", {})
    if not base or not new:
        return []
    ratio = (float(new["Requests/s"]) / float(base["Requests/s"])) if float(base.get("Requests/s") or 0) else 0
    lines = ["", f"Saturation ({how}):", "",
             f"| | baseline {baseline} | this branch {current} |", "| --- | --- | --- |"]
    for title, key, digits in (("requests", "Request Count", 0), ("failures", "Failure Count", 0),
                               ("requests/s", "Requests/s", 1), ("p50 ms", "50%", 0), ("p95 ms", "95%", 0)):
        lines.append(f"| {title} | {fmt(base.get(key), digits)} | {fmt(new.get(key), digits)} |")
    lines.append(f"| this branch ÷ baseline | | {ratio:.2f}× |")
    return lines


def table(out: Path, baseline: str, current: str, users: str, run_time: str, how: str = "") -> str:
    base, new = stats(out, "base"), stats(out, "new")
    lines = [
        f"Run {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC · {users} users · {run_time} each, "
        f"one after the other · {os.cpu_count()} CPU, {platform.python_version()} · "
        f"1-min load average base {machine(out, 'base')}, new {machine(out, 'new')}",
        "",
        f"| | baseline {baseline} | this branch {current} |",
        "| --- | --- | --- |",
    ]
    b, n = base.get("Aggregated", {}), new.get("Aggregated", {})
    for title, key, digits in (("requests", "Request Count", 0), ("failures", "Failure Count", 0),
                               ("requests/s", "Requests/s", 1), ("p50 ms", "50%", 0), ("p95 ms", "95%", 0),
                               ("p99 ms", "99%", 0)):
        lines.append(f"| {title} | {fmt(b.get(key), digits)} | {fmt(n.get(key), digits)} |")
    lines += ["", "| request | base n | base p50 / p95 ms | base fail | new n | new p50 / p95 ms | new fail |",
              "| --- | --- | --- | --- | --- | --- | --- |"]
    for name in sorted((set(base) | set(new)) - {"Aggregated"}):
        row_b, row_n = base.get(name, {}), new.get(name, {})
        lines.append(
            f"| {name} | {fmt(row_b.get('Request Count'))} | {fmt(row_b.get('50%'))} / {fmt(row_b.get('95%'))} | "
            f"{fmt(row_b.get('Failure Count'))} | {fmt(row_n.get('Request Count'))} | {fmt(row_n.get('50%'))} / "
            f"{fmt(row_n.get('95%'))} | {fmt(row_n.get('Failure Count'))} |")
    lines += saturation(out, baseline, current, how)
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--baseline", required=True)
    parser.add_argument("--current", required=True)
    parser.add_argument("--users", default="")
    parser.add_argument("--run-time", default="")
    parser.add_argument("--saturation", default="")
    parser.add_argument("--docs", type=Path)
    args = parser.parse_args()
    text = table(args.out, args.baseline, args.current, args.users, args.run_time, args.saturation)
    print(text)
    (args.out / "summary.md").write_text(text + "\n")
    if args.docs and args.docs.exists():
        doc = args.docs.read_text()
        if BEGIN in doc and END in doc:
            head, rest = doc.split(BEGIN, 1)
            doc = head + BEGIN + "\n" + text + "\n" + END + rest.split(END, 1)[1]
            args.docs.write_text(doc)


if __name__ == "__main__":
    main()
