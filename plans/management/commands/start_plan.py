"""Start an organization's plan of the next fiscal year from its latest assessment."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assessments.editions import EditionError, add_edition_argument, find_assessment
from assessments.models import Organization
from plans import starting


class Command(BaseCommand):
    help = (
        "Start a plan: findings for the chosen items, last year's open actions carried over "
        "under their linked items, the official title and the fiscal year's rounds."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organization", required=True, help="organization code, e.g. 1009")
        parser.add_argument("--year", required=True, type=int, help="the plan's fiscal year (B.E.)")
        parser.add_argument(
            "--assessment-year",
            type=int,
            default=None,
            help="the assessment the plan answers (default: the organization's latest)",
        )
        add_edition_argument(parser)
        parser.add_argument(
            "--items",
            choices=starting.ITEMS_CHOICES,
            default=starting.ITEMS_BELOW_PASS,
            help="findings for the items below the pass mark (default), all items, or none",
        )
        parser.add_argument(
            "--no-carry-over",
            action="store_true",
            help="do not carry over the open actions of last year's plan",
        )
        parser.add_argument(
            "--confirm-year",
            action="store_true",
            help="the plan year is meant even though it is not the assessment's year + 1",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="print the counts, write nothing"
        )

    def handle(self, *args, organization, year, assessment_year, edition, **options):
        found = Organization.objects.filter(code=organization).first()
        if found is None:
            raise CommandError(_("ไม่พบหน่วยงานรหัส %(code)s") % {"code": organization})
        try:
            assessment = None
            if assessment_year is not None or edition:
                if assessment_year is None:
                    latest = starting.latest_assessment(found)
                    assessment_year = latest.framework.fiscal_year if latest else year - 1
                assessment = find_assessment(organization, assessment_year, edition)
            preview = starting.build_preview(
                found,
                assessment=assessment,
                fiscal_year=year,
                items=options["items"],
                carry_over=not options["no_carry_over"],
                confirm_year=options["confirm_year"],
            )
        except (EditionError, starting.StartError) as error:
            raise CommandError(str(error)) from error
        self._print_unlinked(preview)
        findings = len(preview.findings) + len(preview.extra_findings)
        counts = {
            "findings": findings,
            "carried": len(preview.carried),
            "unlinked": len(preview.unlinked),
            "rounds": len(preview.rounds),
        }
        if options["dry_run"]:
            self.stdout.write(
                _(
                    "ทดลอง (ไม่บันทึก): แผนปี %(year)s จะมี %(findings)s ประเด็น, "
                    "ยกมา %(carried)s การปรับปรุง, ไม่ได้ยกมา %(unlinked)s, %(rounds)s รอบการติดตาม"
                )
                % {"year": year, **counts}
            )
            return
        started = starting.apply(preview)
        self.stdout.write(
            _(
                "สร้างแผนปี %(year)s แล้ว: %(findings)s ประเด็น, ยกมา %(carried)s การปรับปรุง, "
                "ไม่ได้ยกมา %(unlinked)s, %(rounds)s รอบการติดตาม"
            )
            % {
                "year": year,
                "findings": started.findings,
                "carried": started.carried,
                "unlinked": started.unlinked,
                "rounds": started.rounds,
            }
        )

    def _print_unlinked(self, preview) -> None:
        """Never dropped silently: each action left behind is named, with its item."""
        if not preview.unlinked:
            return
        self.stdout.write(
            _(
                "การปรับปรุงที่ยังไม่เสร็จ %(count)s รายการไม่ได้ยกมา เพราะข้อของแผนเดิมไม่มีข้อคู่กัน"
                "ในชุดการประเมินใหม่ (ยืนยันการเชื่อมโยงข้อ หรือเลือกข้อในหน้าเริ่มแผน):"
            )
            % {"count": len(preview.unlinked)}
        )
        for action in preview.unlinked:
            self.stdout.write(f"  - {action.finding.item.code}: {action.text[:80]}")
