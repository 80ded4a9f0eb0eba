"""Evidence files kept between two tries of the same progress report.

A browser never sends a file twice: when a report form comes back (refused as stale, or with
a mistake to fix), the file chosen with it would be lost. So a checked upload is stored in
``pending-evidence/`` of the uploads storage, and the form carries a signed token naming it.
The token is signed for one user and one action, so nobody else (nor the same person on
another action) can turn it into evidence; it expires with the file after ``MAX_AGE``, when
``manage.py clear_pending_evidence`` deletes files left behind by reports never sent again.
"""

import logging
import uuid
from datetime import timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils.translation import gettext as _

from ita_tracker.storage import valid_file_name

FOLDER = "pending-evidence"
MAX_AGE = timedelta(days=1)

log = logging.getLogger(__name__)


def _salt(user, action) -> str:
    return f"plans.pending_evidence.user-{user.pk}.action-{action.pk}"


def _storage():
    return storages["default"]


def keep(upload, user, action) -> str:
    """Store an uploaded evidence file for the next try; return the token for the form."""
    upload.seek(0)
    # The random part keeps two people's "รายงาน.pdf" apart; the name after it is the user's.
    name = _storage().save(f"{FOLDER}/{uuid.uuid4().hex}_{valid_file_name(upload.name)}", upload)
    return signing.dumps(name, salt=_salt(user, action))


def kept_name(token: str, user, action) -> str:
    """The stored name a token stands for; ValidationError if it is not this user's token for
    this action, or has expired."""
    try:
        name = signing.loads(token, salt=_salt(user, action), max_age=MAX_AGE)
    except signing.BadSignature as error:  # SignatureExpired included
        raise ValidationError(
            _("ไฟล์หลักฐานที่แนบไว้ครั้งก่อนหมดอายุหรือใช้ไม่ได้แล้ว กรุณาแนบไฟล์อีกครั้ง"),
            code="pending",
        ) from error
    if not isinstance(name, str) or not name.startswith(f"{FOLDER}/"):
        raise ValidationError(_("ไฟล์หลักฐานที่แนบไว้ครั้งก่อนใช้ไม่ได้ กรุณาแนบไฟล์อีกครั้ง"))
    return name


def shown_name(name: str) -> str:
    """The file's name as the user chose it (without the folder and the random part)."""
    return name.rsplit("/", 1)[-1].split("_", 1)[-1]


def take(name: str) -> ContentFile:
    """The kept file's content under the user's file name, ready to be checked and saved."""
    from plans.progress import STORAGE_ERRORS  # progress imports this module

    try:
        with _storage().open(name, "rb") as kept:
            content = kept.read()
    except STORAGE_ERRORS as error:
        raise ValidationError(
            _("ไม่พบไฟล์หลักฐานที่แนบไว้ครั้งก่อน (เก็บไว้ได้ไม่เกิน 1 วัน) กรุณาแนบไฟล์อีกครั้ง"),
            code="pending",
        ) from error
    return ContentFile(content, name=shown_name(name))


def discard(name: str) -> None:
    """Delete a kept file once its report is saved; a failure is left to the daily cleaning."""
    try:
        _storage().delete(name)
    except Exception:
        log.warning("Kept evidence file %r could not be deleted", name, exc_info=True)
