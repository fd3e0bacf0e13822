from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations import backups


class Command(BaseCommand):
    help = "备份数据库与私有文件到 var/backups/<时间>/（带 manifest.json 行数与校验和），然后按保留天数清理旧备份。"

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="备份根目录（默认 SHEQU_BACKUP_DIR 或 var/backups）")
        parser.add_argument("--no-prune", action="store_true", help="不清理过期备份")
        parser.add_argument("--prune-only", action="store_true", help="只清理过期备份，不新建")

    def handle(self, *args, output=None, no_prune=False, prune_only=False, **options):
        try:
            if not prune_only:
                path = backups.create_backup(output)
                self.stdout.write(self.style.SUCCESS(f"备份完成：{path}"))
            if prune_only or not no_prune:
                for removed in backups.prune(output):
                    self.stdout.write(f"已删除过期备份：{removed.name}")
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from None
