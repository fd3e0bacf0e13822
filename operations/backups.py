"""Backups of the database and the private media files, and their restore.

A backup is a directory `<root>/<YYYYmmdd-HHMMSS>/` holding
- `database.dump` (PostgreSQL, `pg_dump --format=custom`) or `database.sqlite3`
  (SQLite's online backup API, consistent while the site runs);
- `media.tar.gz`, the private uploads under MEDIA_ROOT;
- `manifest.json`: engine, per-model row counts taken in the same snapshot as the
  dump, the sha256 of every file in the directory and of every media file.
It is written as `.<name>.partial` and renamed when complete, so a crash never leaves
something that looks like a backup. Restore checks every checksum first, refuses a
database with data in it unless forced, and checks the counts and files afterwards.
"""

import datetime
import hashlib
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

logger = logging.getLogger("operations")

MANIFEST = "manifest.json"
FORMAT = 1
MEDIA_ARCHIVE = "media.tar.gz"
DUMP_NAMES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
# Rows `migrate` itself creates: a freshly migrated database still counts as empty.
MIGRATE_CREATES = {"contenttypes.ContentType", "auth.Permission"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is Chinese and for the operator."""


def default_root() -> Path:
    return Path(getattr(settings, "SHEQU_BACKUP_DIR", "") or Path(settings.VAR_DIR) / "backups")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _tables() -> dict[str, str]:
    """Model label → table, for every concrete model including many-to-many tables."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if opts.managed and not opts.proxy:
            tables[opts.label] = opts.db_table
    return dict(sorted(tables.items()))


def _count(cursor, quote, tables: dict[str, str], existing: set[str] | None = None) -> dict[str, int]:
    counts = {}
    for label, table in tables.items():
        if existing is not None and table not in existing:
            continue
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[label] = cursor.fetchone()[0]
    return counts


def row_counts(alias: str = "default") -> dict[str, int]:
    connection = connections[alias]
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        return _count(cursor, connection.ops.quote_name, _tables(), existing)


def _media_files(root: Path) -> dict[str, str]:
    if not root.exists():
        return {}
    return {path.relative_to(root).as_posix(): sha256(path) for path in sorted(root.rglob("*")) if path.is_file()}


# --- PostgreSQL ---------------------------------------------------------------------

def _pg_command(program: str, connection, *args: str) -> tuple[list[str], dict]:
    params = connection.settings_dict
    command = [program]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if params.get(key):
            command += [flag, str(params[key])]
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = params["PASSWORD"]
    if params.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = params["OPTIONS"]["sslmode"]
    return [*command, *args, "--dbname", params["NAME"]], env


def _run(command: list[str], env: dict, failure: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        # The tool's own words (paths, hosts) go to the log, not into the message.
        logger.error("%s failed (%s): %s", command[0], result.returncode, result.stderr[-4000:])
        raise BackupError(failure)


def _dump_postgresql(connection, target: Path) -> dict[str, int]:
    """Counts and dump from one snapshot: the counts are read in a repeatable-read
    transaction whose snapshot pg_dump reuses, so writes in between change neither."""
    if connection.in_atomic_block:
        counts = row_counts(connection.alias)
        command, env = _pg_command("pg_dump", connection, "--format=custom", "--no-owner", "--no-privileges",
                                   "--file", str(target))
        _run(command, env, "数据库导出失败（pg_dump），详情见日志。")
        return counts
    with transaction.atomic(using=connection.alias):
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        counts = row_counts(connection.alias)
        command, env = _pg_command("pg_dump", connection, "--format=custom", "--no-owner", "--no-privileges",
                                   f"--snapshot={snapshot}", "--file", str(target))
        _run(command, env, "数据库导出失败（pg_dump），详情见日志。")
    return counts


def _restore_postgresql(connection, source: Path) -> None:
    connection.close()
    command, env = _pg_command("pg_restore", connection, "--clean", "--if-exists", "--no-owner", "--no-privileges",
                               "--single-transaction", "--exit-on-error", str(source))
    _run(command, env, "数据库恢复失败（pg_restore），数据库未改动，详情见日志。")


# --- SQLite -------------------------------------------------------------------------

def _dump_sqlite(connection, target: Path) -> dict[str, int]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        # Counted in the copy itself, so they describe exactly what was saved.
        existing = {row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return _count(copy.cursor(), lambda name: '"%s"' % name.replace('"', '""'), _tables(), existing)
    finally:
        copy.close()


def _restore_sqlite(connection, source: Path) -> None:
    connection.close()
    connection.ensure_connection()
    saved = sqlite3.connect(source)
    try:
        saved.backup(connection.connection)
    finally:
        saved.close()
        connection.close()


# --- Backup, verify, restore, prune ---------------------------------------------------

def create_backup(root: Path | None = None, *, alias: str = "default") -> Path:
    connection = connections[alias]
    if connection.vendor not in DUMP_NAMES:
        raise BackupError(f"不支持备份此类数据库：{connection.vendor}。")
    root = Path(root or default_root())
    root.mkdir(parents=True, exist_ok=True)
    now = timezone.localtime()
    name = now.strftime("%Y%m%d-%H%M%S")
    suffix = 1
    while (root / name).exists():
        suffix += 1
        name = f"{now:%Y%m%d-%H%M%S}-{suffix}"
    work = root / f".{name}.partial"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        dump = work / DUMP_NAMES[connection.vendor]
        if connection.vendor == "postgresql":
            counts = _dump_postgresql(connection, dump)
        else:
            counts = _dump_sqlite(connection, dump)
        media_root = Path(settings.MEDIA_ROOT)
        media_files = _media_files(media_root)
        with tarfile.open(work / MEDIA_ARCHIVE, "w:gz") as archive:
            for relative in media_files:
                archive.add(media_root / relative, arcname=relative, recursive=False)
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "engine": connection.vendor,
            "database": dump.name,
            "media": MEDIA_ARCHIVE,
            "counts": counts,
            "media_files": media_files,
            "files": {path.name: sha256(path) for path in sorted(work.iterdir())},
        }
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        work.rename(root / name)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    logger.info("备份已写入 %s（%d 个模型，%d 个文件）", name, len(counts), len(media_files))
    return root / name


def verify(path: Path) -> dict:
    """The manifest, after checking that every file it lists is there and unchanged."""
    path = Path(path)
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError("找不到或无法读取备份清单 manifest.json。") from None
    if manifest.get("format") != FORMAT:
        raise BackupError("备份清单的格式版本不受支持。")
    for name, expected in manifest["files"].items():
        file = path / name
        if not file.is_file():
            raise BackupError(f"备份缺少文件：{name}。")
        if sha256(file) != expected:
            raise BackupError(f"备份文件校验失败（sha256 不符）：{name}。")
    return manifest


def database_is_empty(alias: str = "default") -> bool:
    return not any(count for label, count in row_counts(alias).items() if label not in MIGRATE_CREATES)


def _restore_media(path: Path, manifest: dict) -> Path | None:
    """Unpack the media archive into MEDIA_ROOT; what was there is moved aside, not
    deleted. Returns where it went."""
    media_root = Path(settings.MEDIA_ROOT)
    moved = None
    if media_root.exists() and any(media_root.iterdir()):
        moved = media_root.with_name(f"{media_root.name}.before-restore-{timezone.localtime():%Y%m%d-%H%M%S}")
        media_root.rename(moved)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path / manifest["media"], "r:gz") as archive:
        archive.extractall(media_root, filter="data")
    return moved


def restore(path: Path, *, force: bool = False, alias: str = "default") -> dict:
    """Restore a backup into the (empty) database and MEDIA_ROOT; returns the manifest.
    Stop the web and worker processes first."""
    path = Path(path)
    manifest = verify(path)
    connection = connections[alias]
    if manifest["engine"] != connection.vendor:
        raise BackupError(f"备份来自 {manifest['engine']} 数据库，当前数据库是 {connection.vendor}，无法恢复。")
    media_root = Path(settings.MEDIA_ROOT)
    if not force:
        if not database_is_empty(alias):
            raise BackupError("当前数据库已有数据，拒绝覆盖。确认要覆盖请加 --force。")
        if media_root.exists() and any(media_root.rglob("*")):
            raise BackupError("私有文件目录不是空的，拒绝覆盖。确认要覆盖请加 --force（原文件会移到旁边保留）。")
    database = path / manifest["database"]
    if connection.vendor == "postgresql":
        _restore_postgresql(connection, database)
    else:
        _restore_sqlite(connection, database)
    moved = _restore_media(path, manifest)
    if moved:
        logger.info("恢复前的私有文件已移到 %s", moved)

    counts = row_counts(alias)
    wrong = sorted(label for label, count in manifest["counts"].items() if counts.get(label) != count)
    if wrong:
        raise BackupError(f"恢复后的行数与备份清单不符：{', '.join(wrong[:10])}。")
    restored = _media_files(media_root)
    missing = sorted(name for name, digest in manifest["media_files"].items() if restored.get(name) != digest)
    if missing:
        raise BackupError(f"恢复后的私有文件与备份清单不符：{len(missing)} 个。")
    return manifest


def _created_at(path: Path) -> datetime.datetime | None:
    try:
        return datetime.datetime.fromisoformat(json.loads((path / MANIFEST).read_text(encoding="utf-8"))["created_at"])
    except (OSError, ValueError, KeyError):
        return None


def prune(root: Path | None = None, *, days: int | None = None, now: datetime.datetime | None = None) -> list[Path]:
    """Delete backups older than the retention period, always keeping the newest one;
    also leftovers of interrupted runs older than a day. Directories without a manifest
    are someone else's and are never touched."""
    root = Path(root or default_root())
    days = getattr(settings, "SHEQU_BACKUP_RETENTION_DAYS", 14) if days is None else days
    now = now or timezone.now()
    if not root.is_dir():
        return []
    backups = sorted((created, path) for path in root.iterdir()
                     if path.is_dir() and not path.name.startswith(".") and (created := _created_at(path)))
    removed = []
    for created, path in backups[:-1]:
        if created < now - datetime.timedelta(days=days):
            shutil.rmtree(path)
            removed.append(path)
    for path in root.glob(".*.partial"):
        if path.stat().st_mtime < (now - datetime.timedelta(days=1)).timestamp():
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed
