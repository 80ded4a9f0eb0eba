"""Import where an office publishes its OIT items: all or nothing, every error listed."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.editions import add_edition_argument
from assessments.tables import TableError, read_table, refused
from oit.files import ALIASES, import_links, office_and_edition, read_links


class Command(BaseCommand):
    help = (
        "Import the addresses of OIT items from FILE (.xlsx or .csv; columns item, url, "
        "division). Nothing is written if any row is wrong; existing addresses are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--organization", required=True, help="organization code, e.g. 1009")
        parser.add_argument("--year", type=int, required=True, help="fiscal year (B.E.)")
        add_edition_argument(parser)
        parser.add_argument(
            "--dry-run", action="store_true", help="check and count, but write nothing"
        )

    def handle(self, *args, file: Path, organization, year, edition, dry_run, **options):
        try:
            office, framework = office_and_edition(organization, year, edition)
        except LookupError as error:
            raise CommandError(str(error)) from error
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"เปิดไฟล์ {file} ไม่ได้: {error.strerror}") from error
        try:
            rows = read_links(read_table(data, file.name, ALIASES), office, framework)
        except TableError as error:
            raise refused(error, self.stderr) from error
        counts = import_links(office, framework, rows, dry_run=dry_run)
        verb = "ตรวจแล้ว (dry run) ยังไม่บันทึก" if dry_run else "นำเข้าแล้ว"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb}: {file.name} ({len(rows)} แถว, {len(counts.items)} ข้อ) — "
                f"ที่อยู่ใหม่ {counts.new}, ไม่เปลี่ยน {counts.unchanged}, "
                f"กำหนดฝ่าย {counts.divisions} "
                f"(new {counts.new}, unchanged {counts.unchanged}, "
                f"divisions set {counts.divisions})"
            )
        )
