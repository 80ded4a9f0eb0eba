"""Where uploaded files live: the local disk for one server, S3-compatible storage for several.

Evidence files and the spreadsheets waiting between an import's preview and its confirmation
both go to this storage. With one app server, MEDIA_ROOT on its disk is enough; with several
behind a load balancer every server must see every file, so ITA_S3_BUCKET switches to an
S3-compatible bucket (MinIO, Ceph, a cloud's object store) through django-storages.
"""

import re
import unicodedata
from datetime import datetime

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage

from ita_tracker.env import env_str

# Django's rule (letters, digits, "-", "_", ".") plus the whole Thai block: Python's \w has
# the Thai consonants but not the vowel and tone marks above and below them (ุ ู ิ ี ่ ้ …).
_NOT_ALLOWED = re.compile(r"[^-\w.\u0e00-\u0e7f]")


def valid_file_name(name: str) -> str:
    """A stored file's name: spaces to "_", anything else unsafe dropped, Thai kept whole.

    Django's own cleaning turns "รายงานการประชุม.pdf" into "รายงานการประชม.pdf": people then
    download their evidence under a misspelt name.
    """
    cleaned = _NOT_ALLOWED.sub(
        "", unicodedata.normalize("NFC", str(name)).strip().replace(" ", "_")
    )
    if cleaned in {"", ".", ".."}:
        raise SuspiciousFileOperation(f"Could not derive file name from {name!r}")
    return cleaned


def delete_older_than(storage, folder: str, cutoff: datetime) -> tuple[int, int]:
    """Delete the files directly in ``folder`` last written before ``cutoff``; return how many
    were deleted and how many there were (a missing folder has none)."""
    try:
        _, names = storage.listdir(folder)
    except FileNotFoundError:
        names = []
    removed = 0
    for name in names:
        path = f"{folder}/{name}"
        if storage.get_modified_time(path) < cutoff:
            storage.delete(path)
            removed += 1
    return removed, len(names)


class ThaiFileNames:
    """Storage mixin: file names cleaned by valid_file_name."""

    def get_valid_name(self, name):
        return valid_file_name(name)


class LocalUploads(ThaiFileNames, FileSystemStorage):
    """Uploads under MEDIA_ROOT on this server's disk."""


def uploads_storage() -> dict:
    """The STORAGES["default"] entry read from the environment.

    ITA_S3_BUCKET names the bucket; ITA_S3_ENDPOINT_URL the service (empty = AWS);
    ITA_S3_REGION its region; credentials come from the standard AWS_ACCESS_KEY_ID and
    AWS_SECRET_ACCESS_KEY variables (or the machine's role), never from settings; a private
    certificate authority from AWS_CA_BUNDLE.
    """
    bucket = env_str("ITA_S3_BUCKET", "")
    if not bucket:
        return {"BACKEND": "ita_tracker.storage.LocalUploads"}
    return {
        "BACKEND": "ita_tracker.storage_s3.S3Uploads",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env_str("ITA_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("ITA_S3_REGION", "") or None,
            "location": env_str("ITA_S3_PREFIX", "ita-tracker"),
            # Evidence is private: no public ACL, and files are read through the app's own
            # permission-checked view, never by a bucket URL handed to the browser.
            "default_acl": None,
            "querystring_auth": True,
            # Two reports with the same file name never overwrite each other.
            "file_overwrite": False,
            "addressing_style": env_str("ITA_S3_ADDRESSING_STYLE", "path"),
        },
    }
