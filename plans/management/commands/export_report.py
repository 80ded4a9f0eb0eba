"""Write a plan's six-month or annual report as PDF or Word (.docx)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plans.documents import progress_files, progress_report
from plans.models import Plan


class Command(BaseCommand):
    help = "Write the six-month or annual report of one organization's plan as PDF or .docx."

    def add_arguments(self, parser):
        parser.add_argument("--organization", required=True, help="รหัสหน่วยงาน เช่น 1009")
        parser.add_argument("--year", required=True, type=int, help="ปีงบประมาณของแผน เช่น 2565")
        parser.add_argument("--kind", required=True, help="six-month หรือ annual")
        parser.add_argument("--format", default="pdf", dest="format_", help="pdf หรือ docx")
        parser.add_argument("--round", default="", help="ชื่อรอบการติดตาม (ไม่ระบุ: ตามชนิดรายงาน)")
        parser.add_argument("--public", action="store_true", help="ฉบับเผยแพร่ต่อสาธารณะ")
        parser.add_argument("--output", required=True, type=Path)

    def handle(self, *args, organization, year, kind, format_, round, public, output, **options):
        if kind not in progress_report.KINDS:
            raise CommandError(f"ไม่รู้จักรายงาน “{kind}” (ใช้ได้: {', '.join(progress_report.KINDS)})")
        if format_ not in progress_files.FORMATS:
            raise CommandError(
                f"ไม่รู้จักรูปแบบ “{format_}” (ใช้ได้: {', '.join(progress_files.FORMATS)})"
            )
        plan = (
            Plan.objects.select_related("organization", "assessment__framework")
            .filter(organization__code=organization, fiscal_year=year)
            .first()
        )
        if plan is None:
            raise CommandError(f"ไม่มีแผนปี {year} ของหน่วยงานรหัส {organization}")
        chosen = None
        if round:
            chosen = plan.rounds.filter(name=round).first()
            if chosen is None:
                names = ", ".join(plan.rounds.order_by("starts_on").values_list("name", flat=True))
                raise CommandError(f"แผนนี้ไม่มีรอบ “{round}” (มี: {names or 'ไม่มีรอบ'})")
        file = progress_files.export(plan, kind, format_, round=chosen, public=public)
        try:
            output.write_bytes(file.data)
        except OSError as error:
            raise CommandError(f"เขียนไฟล์ {output} ไม่ได้: {error.strerror}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"บันทึก {output} แล้ว: {progress_report.KINDS[kind]} "
                f"{plan.organization.name_th} แผนปี {year} ({len(file.data):,} ไบต์)"
            )
        )
