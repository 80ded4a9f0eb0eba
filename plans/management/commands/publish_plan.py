"""Publish a district's plan to its public page, or withdraw it, without signing in."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from plans import publishing
from plans.models import Plan


class Command(BaseCommand):
    help = "Publish a plan on /public/<code>/<year>/ (or withdraw it with --withdraw)."

    def add_arguments(self, parser):
        parser.add_argument("--organization", required=True, help="District code, e.g. 1009")
        parser.add_argument("--year", required=True, type=int, help="Plan fiscal year (B.E.)")
        parser.add_argument("--withdraw", action="store_true", help="Take the plan off")

    def handle(self, *args, organization, year, withdraw, **options):
        plan = (
            Plan.objects.select_related("organization")
            .filter(organization__code=organization, fiscal_year=year)
            .first()
        )
        if plan is None:
            raise CommandError(f"ไม่พบแผนปี {year} ของหน่วยงานรหัส {organization}")
        try:
            if withdraw:
                publishing.withdraw(plan)
            else:
                # Scripted by an admin: no user is recorded as the publisher.
                publishing.publish(plan, None, timezone.now())
        except publishing.PublishRefused as refused:
            raise CommandError(refused.message) from None
        if withdraw:
            self.stdout.write(f"ถอนการเผยแพร่แผนปี {year} ของ {plan.organization.name_th} แล้ว")
        else:
            url = publishing.public_url(plan)
            self.stdout.write(f"เผยแพร่แผนปี {year} ของ {plan.organization.name_th} แล้ว: {url}")
