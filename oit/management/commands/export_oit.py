"""Write an office's OIT items, addresses and check results to .xlsx or .csv."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.editions import add_edition_argument
from oit.files import export_bytes, export_dataset, office_and_edition


class Command(BaseCommand):
    help = (
        "Write the edition's OIT items in order with item, text, url, division, status, "
        "result and checked_at to FILE (.xlsx or .csv by the name)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organization", required=True, help="organization code, e.g. 1009")
        parser.add_argument("--year", type=int, required=True, help="fiscal year (B.E.)")
        add_edition_argument(parser)
        parser.add_argument("--output", type=Path, required=True, help="file.xlsx or file.csv")

    def handle(self, *args, organization, year, edition, output: Path, **options):
        if output.suffix.lower() not in (".xlsx", ".csv"):
            raise CommandError("ชื่อไฟล์ต้องลงท้ายด้วย .xlsx หรือ .csv (use .xlsx or .csv)")
        try:
            office, framework = office_and_edition(organization, year, edition)
        except LookupError as error:
            raise CommandError(str(error)) from error
        dataset = export_dataset(office, framework)
        try:
            output.write_bytes(export_bytes(dataset, output.name))
        except OSError as error:
            raise CommandError(f"เขียนไฟล์ {output} ไม่ได้: {error.strerror}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"เขียนแล้ว: {output} ({len(dataset)} แถว, {framework.name} {framework.fiscal_year}) "
                f"(written: {len(dataset)} rows)"
            )
        )
