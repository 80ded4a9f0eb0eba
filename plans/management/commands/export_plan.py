"""Export a district's plan as the official table (.xlsx)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plans.export import plan_xlsx
from plans.models import Plan


class Command(BaseCommand):
    help = "Write the official plan table of one organization and plan year to a file."

    def add_arguments(self, parser):
        parser.add_argument("--organization", required=True, help="รหัสหน่วยงาน เช่น 1009")
        parser.add_argument("--year", required=True, type=int, help="ปีงบประมาณของแผน เช่น 2565")
        parser.add_argument("--format", default="xlsx", choices=["xlsx"], dest="format_")
        parser.add_argument("--output", required=True, type=Path)

    def handle(self, *args, organization: str, year: int, format_: str, output: Path, **options):
        plan = (
            Plan.objects.select_related("organization", "assessment__framework")
            .filter(organization__code=organization, fiscal_year=year)
            .first()
        )
        if plan is None:
            raise CommandError(f"ไม่มีแผนปี {year} ของหน่วยงานรหัส {organization}")
        data = plan_xlsx(plan)
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
