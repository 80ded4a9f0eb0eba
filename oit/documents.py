"""What a fetched body is: its kind, its title, and whether its text names a fiscal year.

The kinds the assessors accept as a published item are web pages, PDF files and office
documents. Anything else (an image, an archive, plain text, an empty body) is "not a
document". A sign-in page (a form with a password field) is not the item either.
"""

import io
import logging
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from assessments.thaidates import normalize_digits

HTML_TYPES = {"text/html", "application/xhtml+xml"}
PDF_TYPES = {"application/pdf", "application/x-pdf"}
OFFICE_TYPES = {
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/rtf",
}
OFFICE_PREFIXES = ("application/vnd.openxmlformats-officedocument.", "application/vnd.oasis.")
# A PDF is read page by page; a report of hundreds of pages names its year on the first ones.
PDF_MAX_PAGES = 30

logging.getLogger("pypdf").setLevel(logging.ERROR)


class Kind:
    HTML = "html"
    PDF = "pdf"
    OFFICE = "office"
    OTHER = "other"


def kind_of(content_type: str, head: bytes) -> str:
    """Return the kind of a body from its media type (the first bytes decide for a PDF sent
    as a generic binary, as many office web servers do)."""
    media = content_type.split(";", 1)[0].strip().lower()
    if media in HTML_TYPES:
        return Kind.HTML
    if media in PDF_TYPES or head.startswith(b"%PDF-"):
        return Kind.PDF
    if media in OFFICE_TYPES or media.startswith(OFFICE_PREFIXES):
        return Kind.OFFICE
    return Kind.OTHER


def mentions_year(text: str, year: int) -> bool:
    """Whether ``text`` names ``year`` (Buddhist Era) in Arabic or Thai digits, as a number
    of its own (2569 in "พ.ศ. ๒๕๖๙" or "2569", not in "125690")."""
    return re.search(rf"(?<!\d){year}(?!\d)", normalize_digits(text)) is not None


@dataclass
class Reading:
    title: str = ""
    text: str = ""
    sign_in: bool = False
    unreadable: str = ""


class _PageText(HTMLParser):
    """The title, the visible text (no scripts or styles) and any password field."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title, self.parts, self.sign_in = [], [], False
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "input" and ("type", "password") in [(k, (v or "").lower()) for k, v in attrs]:
            self.sign_in = True

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title.append(data)
        elif not self._skip:
            self.parts.append(data)


def _charset(content_type: str) -> str:
    match = re.search(r"charset=([\w.-]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else "utf-8"


def read_html(body: bytes, content_type: str) -> Reading:
    try:
        html = body.decode(_charset(content_type), errors="replace")
    except LookupError:
        html = body.decode("utf-8", errors="replace")
    parser = _PageText()
    parser.feed(html)
    parser.close()
    title = " ".join("".join(parser.title).split())
    return Reading(title=title, text=" ".join(parser.parts), sign_in=parser.sign_in)


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return " ".join(line.split())
    return ""


def read_pdf(body: bytes) -> Reading:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(body))
        texts = [page.extract_text() or "" for page in reader.pages[:PDF_MAX_PAGES]]
        title = ""
        if reader.metadata and reader.metadata.title:
            title = " ".join(str(reader.metadata.title).split())
    except Exception as error:  # pypdf raises many kinds on a broken or cut file
        return Reading(unreadable=type(error).__name__)
    text = "\n".join(texts)
    return Reading(title=title or _first_line(text), text=text)


def read(kind: str, body: bytes, content_type: str) -> Reading:
    """Return the title and text of a body of ``kind`` (office documents are not opened)."""
    if kind == Kind.HTML:
        return read_html(body, content_type)
    if kind == Kind.PDF:
        return read_pdf(body)
    return Reading()
