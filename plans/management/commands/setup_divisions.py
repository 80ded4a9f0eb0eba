"""Give district offices the standard division list (fixtures/bma_divisions.toml)."""

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Organization, organization_code_problem
from plans.division_names import DivisionListError
from plans.divisions import setup_divisions


class Command(BaseCommand):
    help = (
        "Create the standard divisions of a Bangkok district office in every district that has "
        "none, or add the missing ones to the district given with --organization. Running it "
        "again adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organization", help="รหัสหน่วยงาน เช่น 1009 (ค่าเริ่มต้น: ทุกเขตที่ยังไม่มีฝ่าย)")
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would be added, write nothing"
        )

    def handle(self, *args, organization: str | None, dry_run: bool, **options):
        if organization:
            if problem := organization_code_problem(organization):
                raise CommandError(problem)
            chosen = Organization.objects.filter(code=organization)
            if not chosen.exists():
                raise CommandError(f"ไม่มีหน่วยงานรหัส {organization}")
        else:
            chosen = Organization.objects.filter(kind=Organization.Kind.DISTRICT)
        try:
            results = setup_divisions(
                chosen.order_by("code"), fill_missing=bool(organization), dry_run=dry_run
            )
        except DivisionListError as error:
            raise CommandError(str(error)) from error
        if organization and results[0].skipped:
            raise CommandError(f"{results[0].organization.name_th}: {results[0].skipped}")
        verb = "จะเพิ่ม (dry run ยังไม่บันทึก)" if dry_run else "เพิ่ม"
        for result in results:
            if result.created:
                self.stdout.write(
                    f"{result.organization.code} {result.organization.name_th}: "
                    f"{verb} {len(result.created)} ฝ่าย — {', '.join(result.created)}"
                )
        set_up = sum(1 for result in results if result.created)
        created = sum(len(result.created) for result in results)
        skipped = sum(1 for result in results if result.skipped)
        unchanged = len(results) - set_up - skipped
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb}ฝ่ายให้ {set_up} หน่วยงาน รวม {created} ฝ่าย; "
                f"ข้ามเพราะมีฝ่ายอยู่แล้ว {skipped} หน่วยงาน; ครบอยู่แล้ว {unchanged} หน่วยงาน "
                f"(organizations set up, divisions added, skipped, already complete)"
            )
        )
