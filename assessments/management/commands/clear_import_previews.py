"""Delete import files left waiting after a preview that was never confirmed.

Between preview and confirmation an uploaded spreadsheet waits in the uploads storage (local
disk or the shared bucket); a confirmed or cancelled import removes it, an abandoned one
does not. Run daily, like ``clearsessions``.
"""

from datetime import timedelta

from django.core.files.storage import storages
from django.core.management.base import BaseCommand
from django.utils import timezone

from ita_tracker.storage import delete_older_than

# django-import-export's MediaStorage keeps its files in this folder of the storage.
FOLDER = "django-import-export"


class Command(BaseCommand):
    help = "Delete import files whose preview was never confirmed, older than --hours (24)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24, help="keep files younger than this")

    def handle(self, *args, hours, **options):
        cutoff = timezone.now() - timedelta(hours=hours)
        removed, total = delete_older_than(storages["default"], FOLDER, cutoff)
        self.stdout.write(f"removed {removed} of {total} waiting import files")
