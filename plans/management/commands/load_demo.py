"""Load the demo data (idempotent); demo users only while DEBUG is on or when asked for."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assessments.tables import TableError
from plans.demo import demo_accounts, load_demo


class Command(BaseCommand):
    help = "Load the demo data. Demo users are created only with DEBUG on or --with-demo-users."

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-demo-users",
            action="store_true",
            help="create the local demo accounts even with DEBUG off (never on a real server)",
        )

    def handle(self, *args, with_demo_users: bool, **options):
        with_users = with_demo_users or settings.DEBUG
        try:
            counts = load_demo(with_users=with_users)
        except TableError as error:
            raise CommandError(
                "\n".join([f"โหลดข้อมูลตัวอย่างไม่สำเร็จ ({error.name}):", *map(str, error.errors)])
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"ข้อมูลตัวอย่างพร้อมแล้ว: หน่วยงาน {counts.organizations} แห่ง, "
                f"ฝ่าย {counts.divisions} ฝ่าย, ข้อการประเมิน {counts.items} ข้อ, "
                f"คะแนนรายข้อ {counts.scores} รายการ, คะแนนที่ประกาศ {counts.reported} รายการ, "
                f"ประเด็น {counts.findings} ประเด็น, การปรับปรุง {counts.actions} รายการ, "
                f"ผู้ใช้ {counts.users} คน"
            )
        )
        if with_users:
            password, accounts = demo_accounts()
            self.stdout.write(
                "บัญชีทดลองสำหรับเครื่องนี้เท่านั้น (local demo accounts), "
                f"รหัสผ่าน {password}: " + ", ".join(account.username for account in accounts)
            )
        else:
            self.stdout.write(
                "ไม่ได้สร้างบัญชีทดลอง เพราะ DEBUG ปิดอยู่ "
                "(no demo users: DEBUG is off and --with-demo-users was not given)"
            )
