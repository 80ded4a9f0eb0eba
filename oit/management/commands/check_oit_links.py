"""Check every published OIT address of a fiscal year and record the run (see oit/checker.py).

What the checker finds is data, not a failure of the command: it exits 0 even when every link
is broken; only a wrong argument ends it with an error.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assessments.editions import EditionError, add_edition_argument, find_framework
from assessments.models import Framework, Organization
from oit.models import Result
from oit.runs import run_checks

# What to fix first, in this order; "ok" is only counted.
PROBLEMS = [Result.BROKEN, Result.WRONG_YEAR, Result.UNREACHABLE, Result.NOT_DOCUMENT]


class Command(BaseCommand):
    help = (
        "Fetch the published addresses of the OIT items of a fiscal year (one organization or "
        "all), record what each holds, and print the counts and the links to fix."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organization", default=None, help="organization code, e.g. 1009")
        parser.add_argument(
            "--year",
            type=int,
            default=None,
            help="fiscal year (B.E.); default the latest edition's",
        )
        add_edition_argument(parser)

    def handle(self, *args, organization, year, edition, **options):
        chosen = None
        if organization:
            chosen = Organization.objects.filter(code=organization).first()
            if chosen is None:
                raise CommandError(_("ไม่พบหน่วยงานรหัส %(code)s") % {"code": organization})
        if year is None:
            latest = Framework.objects.order_by("-fiscal_year").first()
            if latest is None:
                raise CommandError(_("ยังไม่มีชุดการประเมินในระบบ"))
            year = latest.fiscal_year
        framework = None
        if edition:
            try:
                framework = find_framework(year, edition)
            except EditionError as error:
                raise CommandError(str(error)) from None
        started = time.monotonic()
        run = run_checks(chosen, fiscal_year=year, framework=framework)
        seconds = time.monotonic() - started
        self.stdout.write(
            _("ตรวจ %(urls)s ที่อยู่ของ%(whom)s ปีงบประมาณ %(year)s ใน %(seconds)s วินาที")
            % {
                "urls": run.urls,
                "whom": chosen.name_th if chosen else _("ทุกหน่วยงาน"),
                "year": year,
                "seconds": f"{seconds:.1f}",
            }
        )
        for result in Result:
            self.stdout.write(f"  {result.label}: {run.counts.get(result.value, 0)}")
        checks = run.checks.select_related(
            "published__readiness__item", "published__readiness__organization"
        ).order_by("published__readiness__organization__code", "published__readiness__item__order")
        for result in PROBLEMS:
            found = [check for check in checks if check.result == result]
            if not found:
                continue
            self.stdout.write(f"\n{result.label} ({len(found)}):")
            for check in found:
                readiness = check.published.readiness
                self.stdout.write(
                    f"  {readiness.organization.code} {readiness.item.code} "
                    f"{check.published.url} — {check.detail}"
                )
