"""Import a score file (.xlsx or .csv, long or wide): all or nothing, every error listed."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.score_import import import_scores
from assessments.tables import TableError, refused


class Command(BaseCommand):
    help = "Import item scores from FILE (.xlsx or .csv). Nothing is written if any row is wrong."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="check and count, but write nothing"
        )

    def handle(self, *args, file: Path, dry_run: bool, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"เปิดไฟล์ {file} ไม่ได้: {error.strerror}") from error
        try:
            result = import_scores(data, file.name, dry_run=dry_run)
        except TableError as error:
            raise refused(error, self.stderr) from error
        verb = "ตรวจแล้ว (dry run) ยังไม่บันทึก" if dry_run else "นำเข้าแล้ว"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb}: {file.name} ({result.shape}, {result.rows} แถว) — "
                f"ใหม่ {len(result.created)}, ปรับปรุง {len(result.updated)}, "
                f"ไม่เปลี่ยน {result.unchanged} "
                f"(new {len(result.created)}, updated {len(result.updated)}, "
                f"unchanged {result.unchanged})"
            )
        )
