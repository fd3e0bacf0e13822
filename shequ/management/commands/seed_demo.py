from django.core.management.base import BaseCommand

from shequ.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "载入演示数据（成都行政区划、演示组织、每个角色一个演示账号）。可重复执行。"

    def handle(self, *args, **options):
        users = seed_demo()
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。演示账号（密码均为 %s）：" % DEMO_PASSWORD))
        for spec in users:
            self.stdout.write(f"  {spec.username:<16} {spec.description}")
