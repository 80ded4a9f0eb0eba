"""Where uploaded files live: the local disk for one server, S3-compatible storage for several.

Evidence files and the spreadsheets waiting between an import's preview and its confirmation
both go to this storage. With one app server, MEDIA_ROOT on its disk is enough; with several
behind a load balancer every server must see every file, so ITA_S3_BUCKET switches to an
S3-compatible bucket (MinIO, Ceph, a cloud's object store) through django-storages.
"""

import os
import re
import unicodedata
from datetime import datetime

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage

from ita_tracker.env import env_str

# Django's rule (letters, digits, "-", "_", ".") plus the whole Thai block: Python's \w has
# the Thai consonants but not the vowel and tone marks above and below them (ุ ู ิ ี ่ ้ …).
_NOT_ALLOWED = re.compile(r"[^-\w.\u0e00-\u0e7f]")

# Linux file systems (ext4, xfs) take at most 255 bytes per name, and a Thai letter is three
# bytes in UTF-8: a 126-letter Thai title with ".pdf" is 382 bytes. Eight bytes are kept free
# for the "_" and seven random characters Django adds when the name is already taken.
NAME_MAX_BYTES = 255
TAKEN_SUFFIX_BYTES = 8
# Longer than this after the last dot, it is part of the name, not a file type.
EXTENSION_MAX_BYTES = 16
# เ แ โ ใ ไ are written before the consonant they belong to: a name never ends with one.
_LEADING_VOWELS = "\u0e40\u0e41\u0e42\u0e43\u0e44"


def _is_mark(character: str) -> bool:
    """A vowel or tone mark written above or below the letter before it (ิ ี ุ ู ั ่ ้ ์ …)."""
    return unicodedata.category(character) in {"Mn", "Mc", "Me"}


def shortened(name: str, max_bytes: int) -> str:
    """The name cut to ``max_bytes`` of UTF-8, its extension kept, no letter parted from its
    marks: a cut falling between ช and ุ of "ประชุม" leaves "ประ", never a bare "ประช"."""
    if len(name.encode()) <= max_bytes:
        return name
    root, extension = os.path.splitext(name)
    if len(extension.encode()) > EXTENSION_MAX_BYTES:
        root, extension = name, ""
    budget = max_bytes - len(extension.encode())
    end = 0
    used = 0
    for index, character in enumerate(root):
        used += len(character.encode())
        if used > budget:
            break
        end = index + 1
    # Back off while the first character dropped is a mark of the last one kept.
    while 0 < end < len(root) and _is_mark(root[end]):
        end -= 1
    kept = root[:end].rstrip(_LEADING_VOWELS + "_-.")
    return (kept or "file") + extension


def valid_file_name(name: str) -> str:
    """A stored file's name: spaces to "_", anything else unsafe dropped, Thai kept whole,
    short enough for the file system (``shortened``).

    Django's own cleaning turns "รายงานการประชุม.pdf" into "รายงานการประชม.pdf": people then
    download their evidence under a misspelt name.
    """
    cleaned = _NOT_ALLOWED.sub(
        "", unicodedata.normalize("NFC", str(name)).strip().replace(" ", "_")
    )
    if cleaned in {"", ".", ".."}:
        raise SuspiciousFileOperation(f"Could not derive file name from {name!r}")
    return shortened(cleaned, NAME_MAX_BYTES - TAKEN_SUFFIX_BYTES)


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
