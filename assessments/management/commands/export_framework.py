"""Write one edition of the framework to a workbook that import_framework takes back."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assessments.editions import EditionError, add_edition_argument, find_framework
from assessments.framework_book import export_book


class Command(BaseCommand):
    help = "Export the edition of a fiscal year (and --edition NAME) as one .xlsx workbook."

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, type=int, help="fiscal year (B.E.), e.g. 2564")
        add_edition_argument(parser)
        parser.add_argument("--output", required=True, type=Path, help="the .xlsx file to write")

    def handle(self, *args, year: int, edition: str | None, output: Path, **options):
        try:
            framework = find_framework(year, edition)
        except EditionError as error:
            raise CommandError(str(error)) from error
        try:
            output.write_bytes(export_book(framework))
        except OSError as error:
            raise CommandError(
                _("เขียนไฟล์ %(file)s ไม่ได้: %(reason)s") % {"file": output, "reason": error.strerror}
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("ส่งออก %(framework)s แล้ว: %(file)s (ข้อ %(items)s ข้อ)")
                % {"framework": framework, "file": output, "items": framework.items.count()}
            )
        )
