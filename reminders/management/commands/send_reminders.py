"""Send the day's e-mail digests; meant for a daily timer (docs/deploy.md).

Running it again the same day sends nothing twice and retries the digests that failed.
"""

from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.thaidates import format_date
from reminders.sending import send_digests


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            _("--date ต้องเป็นวันที่แบบ ค.ศ. ปปปป-ดด-วว เช่น 2022-06-20 (ได้รับ %(text)s)") % {"text": text}
        ) from None


class Command(BaseCommand):
    help = (
        "Send the e-mail digests due today (or on --date): overdue and due-soon actions, "
        "rounds not reported, weekly summaries. Sends nothing twice for one user, kind and day."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="print who would get what; send and write nothing",
        )
        parser.add_argument(
            "--date",
            dest="day",
            type=_day,
            default=None,
            help="the day (YYYY-MM-DD, Gregorian); default today",
        )

    def handle(self, *args, dry_run, day, **options):
        day = day or timezone.localdate()
        if not dry_run and not settings.ITA_EMAIL_CONFIGURED:
            self.stdout.write(_("ยังไม่ได้ตั้งค่าเซิร์ฟเวอร์อีเมล (ITA_EMAIL_URL) จึงไม่ได้ส่งอีเมลแจ้งเตือน"))
            self.stdout.write(
                "No mail server is configured (ITA_EMAIL_URL): no reminder was sent. "
                "See docs/deploy.md."
            )
            return
        outcome = send_digests(day, dry_run=dry_run)
        if dry_run:
            self._print_planned(day, outcome.planned)
            self.stdout.write(
                _("ทดลอง (ไม่ส่ง ไม่บันทึก): จะส่ง %(count)s ฉบับ, ไม่มีงานที่ต้องแจ้ง %(empty)s คน")
                % {"count": len(outcome.planned), "empty": outcome.empty}
            )
            return
        self.stdout.write(
            _(
                "%(day)s: ส่งแล้ว %(sent)s, ข้าม (ส่งหรือกำลังส่งแล้ว) %(skipped)s, "
                "ส่งไม่สำเร็จ %(failed)s, ไม่มีงานที่ต้องแจ้ง %(empty)s"
            )
            % {
                "day": format_date(day),
                "sent": outcome.sent,
                "skipped": outcome.skipped,
                "failed": outcome.failed,
                "empty": outcome.empty,
            }
        )
        if outcome.unreached:
            self.stdout.write(
                _("ติดต่อเซิร์ฟเวอร์อีเมลไม่ได้: ยังไม่ได้ส่ง %(count)s ฉบับ จะส่งเมื่อสั่งงานครั้งถัดไป")
                % {"count": outcome.unreached}
            )

    def _print_planned(self, day, planned):
        for user, content in planned:
            self.stdout.write(
                f"{user.get_username()} <{user.email}> {content.kind} {format_date(day)}: "
                + _("%(count)s รายการ") % {"count": content.line_count}
                + f" — {content.subject}"
            )
            for section in content.sections:
                if not section.lines:
                    continue
                self.stdout.write(f"  {section.title} ({len(section.lines)})")
                for line in section.lines:
                    division = f"[{line.division}] " if line.division else ""
                    details = "; ".join(
                        part for part in (line.note, format_date(line.due_on)) if part
                    )
                    self.stdout.write(
                        f"    - {division}{line.text}" + (f" ({details})" if details else "")
                    )
