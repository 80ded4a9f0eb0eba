"""Export a district's plan as the official table (.xlsx) or the official report (PDF)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plans.documents.report import render_pdf
from plans.documents.xlsx import plan_xlsx
from plans.models import Plan

WRITERS = {"xlsx": plan_xlsx, "pdf": render_pdf}


class Command(BaseCommand):
    help = "Write the plan of one organization and year as the .xlsx table or the PDF report."

    def add_arguments(self, parser):
        parser.add_argument("--organization", required=True, help="รหัสหน่วยงาน เช่น 1009")
        parser.add_argument("--year", required=True, type=int, help="ปีงบประมาณของแผน เช่น 2565")
        parser.add_argument(
            "--format",
            default="xlsx",
            choices=list(WRITERS),
            dest="format_",
            help="xlsx: ตารางแผนสำหรับแก้ไข, pdf: รายงานสำหรับพิมพ์",
        )
        parser.add_argument("--output", required=True, type=Path)

    def handle(self, *args, organization: str, year: int, format_: str, output: Path, **options):
        plan = (
            Plan.objects.select_related("organization", "assessment__framework")
            .filter(organization__code=organization, fiscal_year=year)
            .first()
        )
        if plan is None:
            raise CommandError(f"ไม่มีแผนปี {year} ของหน่วยงานรหัส {organization}")
        data = WRITERS[format_](plan)
        try:
            output.write_bytes(data)
        except OSError as error:
            raise CommandError(f"เขียนไฟล์ {output} ไม่ได้: {error.strerror}") from error
        findings = plan.findings.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"บันทึก {output} แล้ว: {plan.organization.name_th} แผนปี {year}, "
                f"{findings} ประเด็น ({len(data):,} ไบต์)"
            )
        )
