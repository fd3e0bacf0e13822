"""Hard-delete archived workflow objects: superusers only, only archived rows, dry run
by default.

    manage.py purge_archived --older-than 365 --user admin            # shows what would go
    manage.py purge_archived --older-than 365 --user admin --commit   # removes it, audited
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from archive import services


class Command(BaseCommand):
    help = "清除归档超过指定天数的对象（仅超级管理员；默认只演练，加 --commit 才真正删除）。"

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, required=True, dest="days",
                            help="只清除归档超过这么多天的对象")
        parser.add_argument("--user", required=True, help="执行清除的超级管理员用户名（记入操作记录）")
        parser.add_argument("--commit", action="store_true", help="真正删除（默认只演练并回滚）")

    def handle(self, *args, days, user, commit, **options):
        actor = get_user_model().objects.filter(username=user).first()
        try:
            result = services.purge(actor=actor, older_than_days=days, commit=commit)
        except (PermissionDenied, ValidationError) as exc:
            raise CommandError("；".join(getattr(exc, "messages", [str(exc)]))) from None
        mode = "已清除" if commit else "演练（未删除，加 --commit 执行）"
        self.stdout.write(f"{mode}：{result['objects']} 个归档对象")
        for label, count in result["counts"].items():
            self.stdout.write(f"  {label}: {count}")
        for line in result["skipped"]:
            self.stdout.write(self.style.WARNING(f"  跳过 {line}"))
