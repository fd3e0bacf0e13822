import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from projects.services import review_form_load


class Command(BaseCommand):
    help = "从 JSON 文件载入评审表（名称、评审项、权重、满分、评分指引）。内容有变化时生成新版本。"

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default="data/review_form_default.json")

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8") as handle:
                form = review_form_load(data=json.load(handle))
        except (OSError, json.JSONDecodeError, KeyError) as exc:
            raise CommandError(f"无法读取评审表文件 {file}：{exc}") from None
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"评审表：{form}，{form.criteria.count()} 个评审项。"))
