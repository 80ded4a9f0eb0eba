"""Check an evidence file uploaded with a progress report before it is saved.

Accepted: PDF, images (PNG, JPEG, GIF, WebP) and Office documents (docx/xlsx/pptx, the
older doc/xls/ppt, OpenDocument odt/ods/odp), up to ``settings.ITA_EVIDENCE_MAX_BYTES``.

The type is read from the content, and the file name's extension must agree with it: a
``.pdf`` that is really a web page, or a PNG named ``report.pdf``, is refused.
- PDF and images: the ``filetype`` package, on the first 8 KB.
- docx/xlsx/pptx and odt/ods/odp: the zip's entries (``[Content_Types].xml`` with a
  ``word/``, ``xl/`` or ``ppt/`` folder; the ODF ``mimetype`` entry). ``filetype`` only looks at
  the first few entries, so a valid document with another order passes for a plain zip.
- doc/xls/ppt: the OLE2 signature. These three share one container, so any of the three
  extensions goes with it (``filetype`` only names those it finds a marker for at offset 512).

``check_evidence_file`` returns a short Thai kind label or raises ``ValidationError`` with a
Thai message naming the file; the file is always left at position 0, ready to be saved.
"""

import zipfile
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

KIND_PDF = "PDF"
KIND_IMAGE = _("รูปภาพ")
KIND_OFFICE = _("เอกสาร Office")

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HEAD_BYTES = 8192

# Content format → (what it is, in Thai; kind label returned).
FORMATS = {
    "pdf": (_("ไฟล์ PDF"), KIND_PDF),
    "png": (_("รูปภาพ PNG"), KIND_IMAGE),
    "jpeg": (_("รูปภาพ JPEG"), KIND_IMAGE),
    "gif": (_("รูปภาพ GIF"), KIND_IMAGE),
    "webp": (_("รูปภาพ WebP"), KIND_IMAGE),
    "docx": (_("เอกสาร Word (.docx)"), KIND_OFFICE),
    "xlsx": (_("เอกสาร Excel (.xlsx)"), KIND_OFFICE),
    "pptx": (_("เอกสาร PowerPoint (.pptx)"), KIND_OFFICE),
    "ole2": (_("เอกสาร Office รุ่นเก่า (.doc, .xls, .ppt)"), KIND_OFFICE),
    "odt": (_("เอกสาร OpenDocument (.odt)"), KIND_OFFICE),
    "ods": (_("ตาราง OpenDocument (.ods)"), KIND_OFFICE),
    "odp": (_("งานนำเสนอ OpenDocument (.odp)"), KIND_OFFICE),
}
# Accepted extension → the content format it must hold.
EXTENSIONS = {
    "pdf": "pdf",
    "png": "png",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "gif": "gif",
    "webp": "webp",
    "docx": "docx",
    "xlsx": "xlsx",
    "pptx": "pptx",
    "doc": "ole2",
    "xls": "ole2",
    "ppt": "ole2",
    "odt": "odt",
    "ods": "ods",
    "odp": "odp",
}
# For <input type="file" accept="...">: extensions only, the same list the server accepts.
ACCEPT = ",".join(f".{ext}" for ext in EXTENSIONS)

ALLOWED = _(
    "รับเฉพาะ PDF รูปภาพ (PNG, JPEG, GIF, WebP)"
    " และเอกสาร Office (Word, Excel, PowerPoint, OpenDocument)"
)
# filetype's extension → our content format, where they differ or are accepted.
_FILETYPE = {"pdf": "pdf", "png": "png", "apng": "png", "jpg": "jpeg", "gif": "gif", "webp": "webp"}
_OOXML = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
_ODF = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
_OTHER = {
    "zip": _("ไฟล์ zip ที่ไม่ใช่เอกสาร Office"),
    "html": _("หน้าเว็บ HTML"),
    "exe": _("โปรแกรม (.exe)"),
    None: _("ชนิดที่ตรวจไม่ได้"),
}


def check_evidence_file(uploaded) -> str:
    """The Thai kind label ("PDF", "รูปภาพ", "เอกสาร Office") of an acceptable evidence file.

    Raises ValidationError (Thai message naming the file) when the extension is not accepted,
    the file is empty or too large, or its content is not what its extension says.
    """
    name = PurePath(getattr(uploaded, "name", None) or "").name
    extension = PurePath(name).suffix.lower().lstrip(".")
    if not extension:
        raise ValidationError(
            gettext("ไฟล์ %(name)s ไม่มีนามสกุล — %(allowed)s") % {"name": name, "allowed": ALLOWED},
            code="extension",
        )
    if extension not in EXTENSIONS:
        raise ValidationError(
            gettext("ไฟล์ %(name)s เป็นชนิดที่ไม่รับ — %(allowed)s") % {"name": name, "allowed": ALLOWED},
            code="extension",
        )
    size, limit = uploaded.size, settings.ITA_EVIDENCE_MAX_BYTES
    if not size:
        raise ValidationError(
            gettext("ไฟล์ %(name)s ว่างเปล่า (ขนาด 0 ไบต์)") % {"name": name}, code="empty"
        )
    if size > limit:
        raise ValidationError(
            gettext("ไฟล์ %(name)s ใหญ่เกิน %(limit)s (ขนาด %(size)s)")
            % {"name": name, "limit": _human(limit), "size": _human(size)},
            code="too_large",
        )

    try:
        found = _sniff(uploaded)
    finally:
        uploaded.seek(0)
    expected = EXTENSIONS[extension]
    if found != expected:
        actual = (
            FORMATS[found][0]
            if found in FORMATS
            else _OTHER.get(found, gettext("ไฟล์ .%(extension)s") % {"extension": found})
        )
        raise ValidationError(
            gettext("ไฟล์ %(name)s ไม่ใช่%(expected)s จริง (เนื้อไฟล์เป็น%(actual)s)")
            % {"name": name, "expected": FORMATS[expected][0], "actual": actual},
            code="mismatch",
        )
    return FORMATS[found][1]


def _sniff(uploaded) -> str | None:
    """The content format: a FORMATS key, "zip", "html", filetype's extension, or None."""
    uploaded.seek(0)
    head = uploaded.read(HEAD_BYTES)
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(uploaded)
    if head.startswith(OLE2_SIGNATURE):
        return "ole2"
    kind = filetype.guess(head)
    if kind is not None:
        return _FILETYPE.get(kind.extension, kind.extension)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:14].lower().startswith((b"<!doctype html", b"<html")):
        return "html"
    return None


def _zip_format(uploaded) -> str:
    """docx/xlsx/pptx or odt/ods/odp from the zip's entries; "zip" for any other zip."""
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    return _ODF.get(entry.read(100).decode("ascii", "replace").strip(), "zip")
            if "[Content_Types].xml" in names:
                for folder, found in _OOXML.items():
                    if any(n.startswith(folder) for n in names):
                        return found
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError, EOFError):
        # Damaged, encrypted or oddly compressed: not a document we can vouch for.
        pass
    return "zip"


def _human(size: int) -> str:
    """12_897_485 → "12.3 MB"; 10 * 1024 * 1024 → "10 MB"; 2048 → "2 KB"."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f}".removesuffix(".0") + f" {unit}"
    return gettext("%(size)s ไบต์") % {"size": size}
