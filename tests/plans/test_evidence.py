"""Evidence files for progress reports: the type is read from the content, not the name."""

import contextlib
import io
import re
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from plans.evidence import ACCEPT, OLE2_SIGNATURE, check_evidence_file

MB = 1024 * 1024
THAI = re.compile(r"[\u0e00-\u0e7f]")

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x00;"
WEBP = (
    b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07"
)
OLE2 = OLE2_SIGNATURE + bytes(1024)
HTML = b"<!DOCTYPE html>\n<html><head><title>Login</title></head><body></body></html>\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(64)


def png() -> bytes:
    """A valid 1x1 grey PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


def zipped(entries: dict[str, bytes]) -> bytes:
    """A zip with these entries, in this order ("mimetype" stored, as ODF requires)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            kind = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=kind)
    return buffer.getvalue()


def ooxml(folder: str, part: str) -> bytes:
    return zipped(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "_rels/.rels": b'<?xml version="1.0"?><Relationships/>',
            f"{folder}/{part}": b'<?xml version="1.0"?><root/>',
        }
    )


def odf(mime: str) -> bytes:
    return zipped({"mimetype": mime.encode(), "content.xml": b'<?xml version="1.0"?><doc/>'})


DOCX = ooxml("word", "document.xml")
XLSX = ooxml("xl", "workbook.xml")
PPTX = ooxml("ppt", "presentation.xml")
ODT = odf("application/vnd.oasis.opendocument.text")
ODS = odf("application/vnd.oasis.opendocument.spreadsheet")
ODP = odf("application/vnd.oasis.opendocument.presentation")
# Word parts come after many others: filetype only looks at the first few zip entries.
DOCX_LATE_WORD = zipped(
    {
        "[Content_Types].xml": b"<Types/>",
        **{f"customXml/item{i}.xml": bytes(300) for i in range(8)},
        "docProps/core.xml": b"<core/>",
        "word/document.xml": b"<document/>",
    }
)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def refusal(name: str, content: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check_evidence_file(upload(name, content))
    return caught.value


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("report.pdf", PDF, "PDF"),
        ("photo.png", png(), "รูปภาพ"),
        ("photo.jpg", JPEG, "รูปภาพ"),
        ("photo.jpeg", JPEG, "รูปภาพ"),
        ("SCAN.JPG", JPEG, "รูปภาพ"),
        ("anim.gif", GIF, "รูปภาพ"),
        ("photo.webp", WEBP, "รูปภาพ"),
        ("minutes.docx", DOCX, "เอกสาร Office"),
        ("budget.xlsx", XLSX, "เอกสาร Office"),
        ("slides.pptx", PPTX, "เอกสาร Office"),
        ("minutes.doc", OLE2, "เอกสาร Office"),
        ("budget.xls", OLE2, "เอกสาร Office"),
        ("slides.ppt", OLE2, "เอกสาร Office"),
        ("minutes.odt", ODT, "เอกสาร Office"),
        ("budget.ods", ODS, "เอกสาร Office"),
        ("slides.odp", ODP, "เอกสาร Office"),
        ("รายงานผล.docx", DOCX_LATE_WORD, "เอกสาร Office"),
    ],
)
def test_accepted_kinds(name, content, kind):
    assert check_evidence_file(upload(name, content)) == kind


@pytest.mark.parametrize(
    ("name", "content", "claimed", "actual"),
    [
        ("report.pdf", HTML, "ไฟล์ PDF", "หน้าเว็บ HTML"),
        ("report.pdf", EXE, "ไฟล์ PDF", "โปรแกรม (.exe)"),
        ("minutes.docx", EXE, "เอกสาร Word (.docx)", "โปรแกรม (.exe)"),
        ("report.pdf", png(), "ไฟล์ PDF", "รูปภาพ PNG"),
        ("photo.png", JPEG, "รูปภาพ PNG", "รูปภาพ JPEG"),
        ("budget.xlsx", DOCX, "เอกสาร Excel (.xlsx)", "เอกสาร Word (.docx)"),
        ("minutes.docx", ODT, "เอกสาร Word (.docx)", "เอกสาร OpenDocument (.odt)"),
        ("minutes.docx", OLE2, "เอกสาร Word (.docx)", "เอกสาร Office รุ่นเก่า"),
        ("minutes.doc", DOCX, "เอกสาร Office รุ่นเก่า", "เอกสาร Word (.docx)"),
        ("minutes.docx", zipped({"a.txt": b"hello"}), "เอกสาร Word", "ไฟล์ zip"),
        ("minutes.docx", zipped({"[Content_Types].xml": b"<Types/>"}), "เอกสาร Word", "zip"),
        ("minutes.odt", odf("application/epub+zip"), "เอกสาร OpenDocument", "ไฟล์ zip"),
        ("minutes.docx", b"PK\x03\x04" + bytes(200), "เอกสาร Word", "ไฟล์ zip"),
        ("report.pdf", "สรุปผล".encode(), "ไฟล์ PDF", "ชนิดที่ตรวจไม่ได้"),
        ("photo.jpg", b"ID3\x03\x00" + bytes(100), "รูปภาพ JPEG", "ไฟล์ .mp3"),
    ],
)
def test_content_must_match_the_extension(name, content, claimed, actual):
    error = refusal(name, content)
    assert error.code == "mismatch"
    assert error.message.startswith(f"ไฟล์ {name} ไม่ใช่{claimed}")
    assert "จริง (เนื้อไฟล์เป็น" in error.message
    assert actual in error.message


def test_png_named_pdf_message_names_both():
    error = refusal("report.pdf", png())
    assert error.message == "ไฟล์ report.pdf ไม่ใช่ไฟล์ PDF จริง (เนื้อไฟล์เป็นรูปภาพ PNG)"


@pytest.mark.parametrize(
    "name", ["notes.txt", "setup.exe", "archive.zip", "page.html", "a.pdf.exe"]
)
def test_unaccepted_extension(name):
    error = refusal(name, PDF)
    assert error.code == "extension"
    assert error.message == (
        f"ไฟล์ {name} เป็นชนิดที่ไม่รับ — รับเฉพาะ PDF รูปภาพ (PNG, JPEG, GIF, WebP)"
        " และเอกสาร Office (Word, Excel, PowerPoint, OpenDocument)"
    )


@pytest.mark.parametrize("name", ["report", "report.", ".pdf"])
def test_no_extension(name):
    error = refusal(name, PDF)
    assert error.code == "extension"
    assert f"ไฟล์ {name} ไม่มีนามสกุล" in error.message
    assert "รับเฉพาะ PDF" in error.message


def test_empty_file():
    error = refusal("report.pdf", b"")
    assert error.code == "empty"
    assert error.message == "ไฟล์ report.pdf ว่างเปล่า (ขนาด 0 ไบต์)"


def test_oversize_with_the_default_limit(settings):
    settings.ITA_EVIDENCE_MAX_BYTES = 10 * MB
    big = upload("scan.pdf", PDF)
    big.size = int(12.3 * MB)  # the size is checked before any content is read
    with pytest.raises(ValidationError) as caught:
        check_evidence_file(big)
    assert caught.value.code == "too_large"
    assert caught.value.message == "ไฟล์ scan.pdf ใหญ่เกิน 10 MB (ขนาด 12.3 MB)"


def test_oversize_with_a_lowered_limit(settings):
    settings.ITA_EVIDENCE_MAX_BYTES = 1024
    error = refusal("scan.pdf", PDF + bytes(1536 - len(PDF)))
    assert error.message == "ไฟล์ scan.pdf ใหญ่เกิน 1 KB (ขนาด 1.5 KB)"


def test_exactly_at_the_limit_is_accepted(settings):
    settings.ITA_EVIDENCE_MAX_BYTES = 1024
    assert check_evidence_file(upload("scan.pdf", PDF + bytes(1024 - len(PDF)))) == "PDF"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", HTML),
        ("report.pdf", png()),
        ("minutes.docx", EXE),
        ("minutes.docx", zipped({"a.txt": b"hello"})),
        ("notes.txt", PDF),
        ("report", PDF),
        ("report.pdf", b""),
    ],
)
def test_messages_are_thai_and_name_the_file(name, content):
    error = refusal(name, content)
    assert THAI.search(error.message)
    assert name in error.message


@pytest.mark.parametrize(
    ("name", "content"),
    [("report.pdf", PDF), ("minutes.docx", DOCX), ("report.pdf", HTML), ("minutes.docx", EXE)],
)
def test_file_is_back_at_the_start(name, content):
    uploaded = upload(name, content)
    uploaded.read(5)  # someone read it before: the check still sees the whole file
    with contextlib.suppress(ValidationError):
        check_evidence_file(uploaded)
    assert uploaded.tell() == 0
    assert uploaded.read() == content


def test_any_file_object_with_name_and_size():
    plain = io.BytesIO(DOCX)
    plain.name, plain.size = "minutes.docx", len(DOCX)
    assert check_evidence_file(plain) == "เอกสาร Office"
    assert plain.tell() == 0


def test_accept_attribute_lists_the_accepted_extensions():
    parts = ACCEPT.split(",")
    assert {".pdf", ".png", ".jpg", ".jpeg", ".gif", ".webp"} <= set(parts)
    assert {".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp"} <= set(parts)
    assert all(part.startswith(".") and part == part.strip().lower() for part in parts)
    assert ".exe" not in parts
    assert ".zip" not in parts
