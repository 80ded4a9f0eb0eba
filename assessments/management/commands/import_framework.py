"""Import one edition of the framework from a workbook: all or nothing, every error listed."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assessments.framework_book import SHEETS, import_book
from assessments.tables import TableError, refused


class Command(BaseCommand):
    help = (
        "Import an edition of the framework from FILE (.xlsx with the sheets framework, tools, "
        "indicators, items, levels and links). Nothing is written if any cell is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="check and compare, but write nothing"
        )

    def handle(self, *args, file: Path, dry_run: bool, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(
                _("เปิดไฟล์ %(file)s ไม่ได้: %(reason)s") % {"file": file, "reason": error.strerror}
            ) from error
        try:
            result = import_book(data, file.name, dry_run=dry_run)
        except TableError as error:
            raise refused(error, self.stderr) from error
        if dry_run:
            verb = _("ตรวจแล้ว (dry run) ยังไม่บันทึก")
        elif result.new_edition:
            verb = _("นำเข้าชุดการประเมินใหม่แล้ว")
        else:
            verb = _("นำเข้าแล้ว")
        framework = result.framework
        self.stdout.write(f"{verb}: {framework} ({file.name})")
        for sheet in SHEETS:
            diff = result.diffs[sheet]
            self.stdout.write(
                _(
                    "  %(sheet)s: ใหม่ %(created)s, ปรับปรุง %(updated)s, ลบ %(removed)s, "
                    "ไม่เปลี่ยน %(unchanged)s"
                )
                % {
                    "sheet": sheet,
                    "created": diff.created,
                    "updated": diff.updated,
                    "removed": diff.removed,
                    "unchanged": diff.unchanged,
                }
            )
        if result.suggested:
            self.stdout.write(
                _(
                    "เสนอการเชื่อมโยงข้อกับ %(edition)s %(count)s ข้อ จากความคล้ายของข้อความ "
                    "— ตรวจและยืนยันในหน้าจัดการระบบ (การเชื่อมโยงข้อระหว่างชุดการประเมิน)"
                )
                % {"edition": result.suggested_from, "count": result.suggested}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("รวมการเปลี่ยนแปลง %(count)s รายการ (%(count)s changes)")
                % {"count": result.total_changes}
            )
        )
