"""Restore the database and the uploaded evidence files from a backup (see ita_tracker.backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ita_tracker import backup
from plans.management.commands.backup import describe


class Command(BaseCommand):
    help = (
        "Replace the database, and the uploaded evidence files when <FILE>.media.tar.gz is "
        "beside it, with those of a backup made by the backup command."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="ไฟล์สำรอง (.dump หรือ .sqlite3)")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="ไม่ต้องถามยืนยัน",
        )
        parser.add_argument("--database", default="default", help="ฐานข้อมูลที่จะกู้คืน")

    def handle(self, *args, file: Path, interactive: bool, database: str, **options):
        # Refuse a file that is no backup, or one of another database, before asking anything.
        backup.check(file, using=database)
        before = backup.counts(database)
        self.stdout.write(f"ข้อมูลปัจจุบัน: {describe(before)}")
        if interactive:
            try:
                answer = input(f"ข้อมูลทั้งหมดในฐานข้อมูลจะถูกแทนที่ด้วยข้อมูลจาก {file}\nพิมพ์ yes เพื่อยืนยัน: ")
            except EOFError:
                answer = ""
            if answer.strip().lower() != "yes":
                raise CommandError("ยกเลิกการกู้คืน: ไม่มีสิ่งใดเปลี่ยนแปลง")
        result = backup.restore(file, using=database)
        self.stdout.write(self.style.SUCCESS(f"กู้คืนจาก {result.database} แล้ว ({result.size:,} ไบต์)"))
        self.stdout.write(f"ข้อมูลหลังกู้คืน: {describe(backup.counts(database))}")
        media, archive = result.media, backup.media_archive_path(file)
        if media.archive:
            self.stdout.write(f"กู้คืนไฟล์หลักฐาน {media.files:,} ไฟล์จาก {media.archive}")
        elif media.remote:
            self.stdout.write(
                f"ไฟล์หลักฐานเก็บอยู่ที่ {media.remote}: ไม่ได้กู้คืนจากไฟล์สำรองนี้"
                + (f" (ไม่ได้ใช้ {archive})" if archive.exists() else "")
            )
        else:
            self.stdout.write(f"ไม่มี {archive}: ไฟล์หลักฐานไม่เปลี่ยนแปลง")
