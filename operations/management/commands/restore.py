from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations import backups


class Command(BaseCommand):
    help = "从备份目录恢复数据库与私有文件：先校验 sha256，默认拒绝覆盖已有数据，恢复后核对行数与文件。"

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="备份目录（含 manifest.json）")
        parser.add_argument("--force", action="store_true", help="覆盖已有数据（原私有文件移到旁边保留）")

    def handle(self, *args, directory, force=False, **options):
        try:
            manifest = backups.restore(directory, force=force)
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["counts"].values())
        models, files = len(manifest["counts"]), len(manifest["media_files"])
        self.stdout.write(self.style.SUCCESS(f"恢复完成：{models} 个模型共 {rows} 行，{files} 个私有文件，已核对。"))
