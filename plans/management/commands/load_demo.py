"""Load the demo data (idempotent); demo users only while DEBUG is on or when asked for."""

from django.conf import settings
from django.core.management.base import BaseCommand

from plans.demo import DEMO_ADMIN, load_demo


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
        counts = load_demo(with_users=with_users)
        self.stdout.write(
            self.style.SUCCESS(
                f"ข้อมูลตัวอย่างพร้อมแล้ว: หน่วยงาน {counts.organizations} แห่ง, ผู้ใช้ {counts.users} คน"
            )
        )
        if with_users:
            self.stdout.write(
                "บัญชีทดลองสำหรับเครื่องนี้เท่านั้น (local demo account): "
                f"{DEMO_ADMIN['username']} / {DEMO_ADMIN['password']}"
            )
        else:
            self.stdout.write(
                "ไม่ได้สร้างบัญชีทดลอง เพราะ DEBUG ปิดอยู่ "
                "(no demo users: DEBUG is off and --with-demo-users was not given)"
            )
