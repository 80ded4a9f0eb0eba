"""Delete evidence files kept for a progress report that was never sent again.

A report form that comes back (refused as stale, or with a mistake to fix) keeps its evidence
file in the uploads storage for the next try (plans/pending.py); a saved report removes it, an
abandoned one does not. Run daily, like ``clearsessions`` and ``clear_import_previews``.
"""

from datetime import timedelta

from django.core.files.storage import storages
from django.core.management.base import BaseCommand
from django.utils import timezone

from ita_tracker.storage import delete_older_than
from plans.pending import FOLDER, MAX_AGE


class Command(BaseCommand):
    help = "Delete evidence files kept for an unsent progress report, older than --hours (24)."

    def add_arguments(self, parser):
        default = int(MAX_AGE / timedelta(hours=1))
        parser.add_argument(
            "--hours", type=int, default=default, help="keep files younger than this"
        )

    def handle(self, *args, hours, **options):
        cutoff = timezone.now() - timedelta(hours=hours)
        removed, total = delete_older_than(storages["default"], FOLDER, cutoff)
        self.stdout.write(f"removed {removed} of {total} kept evidence files")
