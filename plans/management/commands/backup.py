"""Back up the database and the uploaded evidence files (see ita_tracker.backup)."""

from django.core.management.base import BaseCommand

from ita_tracker import backup


def describe(counts: dict[str, int] | None) -> str:
    if counts is None:
        return "นับไม่ได้ (ยังไม่มีตาราง หรือเชื่อมต่อฐานข้อมูลไม่ได้)"
    return (
        f"แผน {counts['plans']:,} แผน, การปรับปรุง {counts['actions']:,} รายการ, "
        f"รายงานความก้าวหน้า {counts['updates']:,} รายการ"
    )


class Command(BaseCommand):
    help = (
        "Back up the database (PostgreSQL: pg_dump custom format; SQLite: a copy of the file) "
        "and the uploaded evidence files (<backup>.media.tar.gz beside it)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            # A str, not a Path: a trailing "/" says the name is a folder.
            help="โฟลเดอร์หรือชื่อไฟล์สำรอง (ค่าเริ่มต้น backups/ita-<ฐานข้อมูล>-<เวลา>.<dump|sqlite3>)",
        )
        parser.add_argument("--database", default="default", help="ฐานข้อมูลที่จะสำรอง")

    def handle(self, *args, output: str | None, database: str, **options):
        result = backup.backup(output, using=database)
        self.stdout.write(
            self.style.SUCCESS(f"บันทึกไฟล์สำรอง {result.database} แล้ว ({result.size:,} ไบต์)")
        )
        self.stdout.write(f"ข้อมูลในไฟล์สำรอง: {describe(backup.counts(database))}")
        media = result.media
        if media.remote:
            self.stdout.write(
                f"ไฟล์หลักฐานเก็บอยู่ที่ {media.remote} จึงไม่อยู่ในไฟล์สำรองนี้: "
                "สำรองที่ bucket นั้นเอง (เช่น เปิด versioning หรือ replication)"
            )
        elif media.archive:
            size = media.archive.stat().st_size
            self.stdout.write(f"บันทึกไฟล์หลักฐาน {media.files:,} ไฟล์ลง {media.archive} ({size:,} ไบต์)")
        else:
            self.stdout.write("ไม่มีไฟล์หลักฐานที่อัปโหลดไว้ (MEDIA_ROOT ว่าง)")
