import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from reports import bench

BENCH_MARKER = "SHEQU_BENCH_DATABASE"


class Command(BaseCommand):
    help = "城市规模基准测试：在独立数据库中批量生成数据并测量页面、接口和报表。"

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(bench.SCALES), default="city")
        parser.add_argument("--repeat", type=int, default=20)

    def handle(self, *args, scale, repeat, **options):
        if os.environ.get(BENCH_MARKER) != "1":
            return self._rerun_in_bench_database(scale, repeat)
        self.stdout.write(f"数据库：{connection.vendor} {settings.DATABASES['default']['NAME']}，规模：{scale}")
        call_command("migrate", verbosity=0)
        data = bench.seed(bench.SCALES[scale])
        seeding = data["timings"]
        self.stdout.write(f"播种用时 {seeding['total']:.1f} s（目标 ≤ 90 s）：" + "，".join(
            f"{k} {v:.1f}s" for k, v in seeding.items() if k != "total"))
        pages = bench.measure_pages(data, repeat=repeat)
        self.stdout.write(f"\n{'页面/接口':<34}{'查询':>6}{'中位ms':>10}{'p95 ms':>10}{'目标ms':>8}")
        for row in pages:
            flag = "" if row["median_ms"] <= row["target_ms"] else "  ← 超标"
            self.stdout.write(f"{row['page']:<34}{row['queries']:>6}{row['median_ms']:>10}{row['p95_ms']:>10}"
                              f"{row['target_ms']:>8}{flag}")
        reports = bench.measure_reports()
        self.stdout.write(f"\n{'报表':<12}{'格式':>6}{'用时ms':>10}{'查询':>6}{'峰值MB':>8}{'SQL下限ms':>11}{'倍数':>6}"
                          f"{'目标ms':>8}")
        for row in reports:
            flag = "" if row["ms"] <= row["target_ms"] and (row["format"] == "pdf" or (row["ratio"] or 0) <= 3) \
                else "  ← 超标"
            self.stdout.write(f"{row['report']:<12}{row['format']:>6}{row['ms']:>10}{row['queries']:>6}"
                              f"{row['peak_mb']:>8}{row['floor_ms']:>11}{row['ratio']:>6}{row['target_ms']:>8}{flag}")
        payload = {"scale": scale, "database": connection.vendor, "seeding_s": seeding, "pages": pages,
                   "reports": reports}
        out = Path(os.environ.get("SHEQU_BENCH_OUT") or bench.bench_path())
        bench.write_results(out, payload)
        self.stdout.write(self.style.SUCCESS(f"\n结果已写入 {out}"))

    def _rerun_in_bench_database(self, scale, repeat):
        """Run again in a fresh database of its own: SQLite var/bench.sqlite3, or a
        `<name>_bench` PostgreSQL database when DATABASE_URL is PostgreSQL."""
        env = dict(os.environ, **{BENCH_MARKER: "1", "SHEQU_BENCH_OUT": str(bench.bench_path())})
        database = settings.DATABASES["default"]
        if database["ENGINE"].endswith("postgresql"):
            import psycopg2

            name = f"{database['NAME']}_bench"
            admin = psycopg2.connect(dbname="postgres", user=database["USER"], host=database["HOST"],
                                     port=database["PORT"] or 5432, password=database.get("PASSWORD") or None)
            admin.autocommit = True
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
                cursor.execute(f'CREATE DATABASE "{name}"')
            admin.close()
            env["DATABASE_URL"] = (f"postgres://{database['USER']}@{database['HOST']}:{database['PORT'] or 5432}/"
                                   f"{name}")
        else:
            path = Path(settings.VAR_DIR) / "bench.sqlite3"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            env["DATABASE_URL"] = f"sqlite:///{path}"
        result = subprocess.run([sys.executable, "manage.py", "bench", "--scale", scale, "--repeat", str(repeat)],
                                cwd=settings.BASE_DIR, env=env)
        if result.returncode:
            raise CommandError("基准测试失败。")
