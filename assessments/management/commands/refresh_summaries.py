"""Recompute every assessment's stored summary (``assessments.summaries``).

The migration that adds the summaries runs it once; run it again after writing scores by a
path that does not refresh them (a restore of a backup, SQL typed by hand).
"""

from time import perf_counter

from django.core.management.base import BaseCommand

from assessments import summaries


class Command(BaseCommand):
    help = "Recompute the stored summary (total, level, indicator scores) of every assessment."

    def handle(self, *args, **options):
        started = perf_counter()
        count = summaries.refresh_all()
        self.stdout.write(f"refreshed {count} summaries in {perf_counter() - started:.1f} s")
