import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assessments.services import rubric_load


class Command(BaseCommand):
    # argparse needs a plain str here, so the help stays Chinese (operators run this on the server).
    help = "从 JSON 文件载入评估体系（范畴、指标、分级指引）。内容有变化时生成新版本并启用。"

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default="data/rubric_default.json")

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8") as handle:
                rubric = rubric_load(data=json.load(handle))
        except (OSError, json.JSONDecodeError, KeyError) as exc:
            raise CommandError(_("无法读取评估体系文件 %(f)s：%(e)s") % {"f": file, "e": exc}) from None
        except ValidationError as exc:
            raise CommandError(_("；").join(exc.messages)) from None
        indicators = sum(c.indicators.count() for c in rubric.categories.all())
        self.stdout.write(self.style.SUCCESS(_("评估体系：%(r)s，%(c)s 个范畴，%(i)s 项指标。") % {
            "r": rubric, "c": rubric.categories.count(), "i": indicators}))
