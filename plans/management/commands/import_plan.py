"""Import a district's plan file (the seven-column layout): all or nothing, every error listed."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assessments.editions import EditionError, add_edition_argument, find_assessment
from assessments.loaders import record_import
from assessments.models import ImportRecord, Organization, organization_code_problem
from assessments.tables import TableError, refused
from plans.loaders import load_plan, read_plan_table
from plans.models import Plan


class Command(BaseCommand):
    help = (
        "Import the improvement plan of one organization and plan year from FILE (.xlsx or "
        ".csv, the seven columns of the official table). Nothing is written if any row is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--organization", required=True, help="รหัสหน่วยงาน เช่น 1009")
        parser.add_argument("--year", required=True, type=int, help="ปีงบประมาณของแผน เช่น 2565")
        add_edition_argument(parser)
        parser.add_argument(
            "--dry-run", action="store_true", help="check and count, but write nothing"
        )

    def handle(
        self, *args, file: Path, organization: str, year: int, dry_run: bool, edition, **options
    ):
        if problem := organization_code_problem(organization):
            raise CommandError(problem)
        try:
            organization_obj = Organization.objects.get(code=organization)
        except Organization.DoesNotExist as error:
            raise CommandError(f"ไม่มีหน่วยงานรหัส {organization}") from error
        if not file.is_file():
            raise CommandError(f"ไม่พบไฟล์ {file}")
        try:
            with transaction.atomic():
                plan = self.plan_for(organization_obj, year, edition)
                table = read_plan_table(file.read_bytes(), file.name)
                counts = load_plan(plan, table)
                if dry_run:
                    transaction.set_rollback(True)
                else:
                    record_import(
                        ImportRecord.Kind.PLAN, table, None, counts["findings"] + counts["actions"]
                    )
        except TableError as error:
            raise refused(error, self.stderr) from error
        verb = "ตรวจแล้ว (dry run) ยังไม่บันทึก" if dry_run else "นำเข้าแล้ว"
        findings, actions = counts["findings"], counts["actions"]
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb}: {file.name} — ประเด็น ใหม่ {findings.created}, ปรับปรุง {findings.updated}, "
                f"ไม่เปลี่ยน {findings.unchanged}; การปรับปรุง ใหม่ {actions.created}, "
                f"ปรับปรุง {actions.updated}, ไม่เปลี่ยน {actions.unchanged} "
                f"(findings/actions new, updated, unchanged)"
            )
        )

    @staticmethod
    def plan_for(organization: Organization, year: int, edition: str | None = None) -> Plan:
        """The organization's plan of ``year``; a new one answers the assessment of the year
        before (of ``edition`` when several editions share that year)."""
        plan = Plan.objects.filter(organization=organization, fiscal_year=year).first()
        if plan:
            return plan
        try:
            assessment = find_assessment(organization.code, year - 1, edition)
        except EditionError as error:
            raise CommandError(
                f"{error} — แผนปี {year} ต้องอ้างถึงผลการประเมินปี {year - 1} "
                f"ของ{organization.name_th}: นำเข้าคะแนนก่อน"
            ) from error
        return Plan.objects.create(
            organization=organization, fiscal_year=year, assessment=assessment
        )
