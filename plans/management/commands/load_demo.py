"""Load the demo data (idempotent); demo users only while DEBUG is on or when asked for."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.tables import TableError
from assessments.thaidates import format_date
from plans.demo import demo_accounts, load_demo, simulated_years


class Command(BaseCommand):
    help = "Load the demo data. Demo users are created only with DEBUG on or --with-demo-users."

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-demo-users",
            action="store_true",
            help="create the local demo accounts even with DEBUG off (never on a real server)",
        )
        parser.add_argument(
            "--simulated",
            action="store_true",
            help=(
                "also give every other district simulated scores and plans, reported up to "
                "today, flagged as simulated data (ข้อมูลจำลอง)"
            ),
        )

    def handle(self, *args, with_demo_users: bool, simulated: bool, **options):
        with_users = with_demo_users or settings.DEBUG
        # The one reading of the clock: the simulated year is reported up to this day.
        today = timezone.localdate()
        started = time.perf_counter()
        try:
            counts = load_demo(with_users=with_users, simulated=simulated, today=today)
        except TableError as error:
            raise CommandError(
                "\n".join([f"โหลดข้อมูลตัวอย่างไม่สำเร็จ ({error.name}):", *map(str, error.errors)])
            ) from error
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"ข้อมูลตัวอย่างพร้อมแล้ว: หน่วยงาน {counts.organizations} แห่ง, "
                f"ฝ่าย {counts.divisions} ฝ่าย, ข้อการประเมิน {counts.items} ข้อ, "
                f"คะแนนรายข้อ {counts.scores} รายการ, คะแนนที่ประกาศ {counts.reported} รายการ, "
                f"ประเด็น {counts.findings} ประเด็น, การปรับปรุง {counts.actions} รายการ, "
                f"ผู้ใช้ {counts.users} คน"
            )
        )
        if simulated:
            years = simulated_years(today)
            self.stdout.write(
                _(
                    "ข้อมูลจำลอง: %(districts)s เขต คะแนนปี %(first)s–%(last)s "
                    "แผน %(plans)s แผน รายงานความก้าวหน้า %(updates)s รายการ "
                    "ถึงวันที่ %(today)s"
                )
                % {
                    "districts": counts.simulated,
                    "first": years[0],
                    "last": years[-1],
                    "plans": counts.plans,
                    "updates": counts.updates,
                    "today": format_date(today, "long"),
                }
            )
        self.stdout.write(_("ใช้เวลา %(seconds).1f วินาที") % {"seconds": seconds})
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
