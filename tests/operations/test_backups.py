"""Backups round-trip: backup → empty database → restore gives the same row counts and
the same private files; a tampered backup or a database with data is refused."""

import datetime
import json
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from accounts.models import User
from operations import backups
from operations.tasks import nightly_backup

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    default_storage.save("applications/1/预算.pdf", ContentFile(b"%PDF-1.4 budget"))
    default_storage.save("photos/2026/a.jpg", ContentFile(bytes(range(256)) * 64))
    return settings.MEDIA_ROOT


def _files(root):
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in root.rglob("*") if path.is_file()}


def round_trip(cast, media, tmp_path):
    backup = backups.create_backup(tmp_path / "backups")
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["counts"]["accounts.User"] == User.objects.count() > 5
    assert set(manifest["files"]) == {manifest["database"], "media.tar.gz"}
    assert set(manifest["media_files"]) == {"applications/1/预算.pdf", "photos/2026/a.jpg"}
    before_counts, before_files = backups.row_counts(), _files(media)

    with pytest.raises(CommandError, match="已有数据"):
        call_command("restore", str(backup))

    call_command("flush", interactive=False, verbosity=0)
    for path in sorted(media.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    assert backups.database_is_empty()

    call_command("restore", str(backup), verbosity=0)
    assert backups.row_counts() == before_counts
    assert _files(media) == before_files
    assert User.objects.filter(username="city_bureau").exists()


def test_sqlite_round_trip(cast, media, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("The SQLite round trip runs on SQLite.")
    round_trip(cast, media, tmp_path)


@pytest.mark.postgres
def test_postgresql_round_trip(cast, media, tmp_path):
    if connection.vendor != "postgresql":
        if os.environ.get("CI"):
            pytest.fail("CI must run this on PostgreSQL: .ci/run sets DATABASE_URL.")
        pytest.skip("pg_dump/pg_restore round trip needs PostgreSQL (set DATABASE_URL; CI does).")
    round_trip(cast, media, tmp_path)
    assert (sorted((tmp_path / "backups").iterdir())[0] / "database.dump").read_bytes()[:5] == b"PGDMP"


def test_a_tampered_backup_is_refused_and_nothing_changes(cast, media, tmp_path):
    backup = backups.create_backup(tmp_path / "backups")
    archive = backup / "media.tar.gz"
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    archive.write_bytes(bytes(data))
    users = User.objects.count()
    with pytest.raises(CommandError, match="校验失败"):
        call_command("restore", str(backup), force=True)
    assert User.objects.count() == users
    with pytest.raises(CommandError, match="manifest"):
        call_command("restore", str(tmp_path / "nowhere"))


def test_backup_command_and_nightly_task_write_complete_backups_only(db, media, tmp_path, settings):
    settings.SHEQU_BACKUP_DIR = tmp_path / "nightly"
    call_command("backup", output=tmp_path / "nightly", verbosity=0)
    name = nightly_backup()
    made = sorted(p.name for p in (tmp_path / "nightly").iterdir())
    assert name in made and len(made) == 2 and not [n for n in made if n.startswith(".")]
    for path in (tmp_path / "nightly").iterdir():
        backups.verify(path)


def _fake_backup(root, name, created):
    path = root / name
    path.mkdir(parents=True)
    (path / "manifest.json").write_text(json.dumps({"created_at": created.isoformat()}))
    return path


def test_prune_keeps_the_retention_period_and_always_the_newest(tmp_path):
    now = timezone.now()
    root = tmp_path / "b"
    old = _fake_backup(root, "old", now - datetime.timedelta(days=20))
    recent = _fake_backup(root, "recent", now - datetime.timedelta(days=3))
    stranger = root / "notes"
    stranger.mkdir()
    assert backups.prune(root, days=14, now=now) == [old]
    assert recent.exists() and stranger.exists()
    # Older than the period but the only one left: kept.
    assert backups.prune(root, days=1, now=now + datetime.timedelta(days=30)) == []
    assert recent.exists()
