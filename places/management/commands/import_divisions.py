from django.core.management.base import BaseCommand, CommandError

from places.services import DivisionImportError, divisions_import, read_division_file


class Command(BaseCommand):
    help = "导入行政区划（CSV 或 xlsx，列：code, name, level, parent_code）。可重复执行，结果不变。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV (UTF-8) 或 xlsx 文件")

    def handle(self, *args, file, **options):
        try:
            rows = read_division_file(file)
            result = divisions_import(rows=rows)
        except FileNotFoundError:
            raise CommandError(f"找不到文件：{file}") from None
        except (KeyError, StopIteration, UnicodeDecodeError) as exc:
            raise CommandError(f"文件格式无法识别（需要列 code, name, level, parent_code）：{exc}") from None
        except DivisionImportError as exc:
            raise CommandError("导入失败，未写入任何数据：\n" + "\n".join(exc.errors)) from None
        created = "，".join(f"{k} {v}" for k, v in result.created.items())
        updated = "，".join(f"{k} {v}" for k, v in result.updated.items())
        self.stdout.write(self.style.SUCCESS(
            f"导入完成：新增（{created}）；更新（{updated}）；未变 {result.unchanged} 条。"
        ))
