"""Fetch the addresses where offices publish their OIT items, and judge what is there.

One verdict per address and fiscal year (``Verdict``), from these rules, in this order:

* could not reach (``unreachable``): the name does not resolve, the connection is refused or
  times out, the scheme is not http/https, or the guard (oit/safety.py) refuses the address;
* broken: HTTP 4xx/5xx, a redirect without a target, a redirect loop, more than
  ``max_redirects`` redirects;
* not a document (``not_document``): an empty body, a sign-in page, or a body that is not a web
  page, a PDF or an office document (an image, an archive, plain text…), see oit/documents.py;
* wrong year: a web page or PDF whose text does not name the fiscal year the item demands
  (Buddhist Era, Arabic or Thai digits);
* ok: otherwise. An office document, or a PDF larger than the byte cap, is ok with
  ``mentions_year`` unknown and a detail asking for a look by hand: its text is not read.

Threads, not asyncio: the checker is called from a management command and from a page's
button, both plain synchronous Django; a pool of ``overall`` threads waiting on sockets costs
little, needs no event loop inside a request, and httpx's Client is safe to share across them.
"""

import logging
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from threading import Lock, Semaphore

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

from oit import documents
from oit.models import Result
from oit.safety import RefusedAddress, UnknownHost, guarded_transport

logger = logging.getLogger(__name__)

CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class Limits:
    timeout: float = 10.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    per_host: int = 4
    overall: int = 16
    allow_private: bool = False
    user_agent: str = "ITA-Tracker-LinkCheck/1.0"

    @property
    def deadline(self) -> float:
        """Seconds one address may take in all: a server trickling a byte at a time within
        the read timeout must still end."""
        return self.timeout * 3

    @classmethod
    def from_settings(cls, **overrides) -> "Limits":
        values = {
            "timeout": settings.ITA_LINKCHECK_TIMEOUT,
            "max_bytes": settings.ITA_LINKCHECK_MAX_BYTES,
            "per_host": settings.ITA_LINKCHECK_PER_HOST,
            "overall": settings.ITA_LINKCHECK_CONCURRENCY,
            "allow_private": settings.ITA_LINKCHECK_ALLOW_PRIVATE,
            "user_agent": f"ITA-Tracker-LinkCheck/1.0 (+{settings.ITA_SITE_URL})",
        }
        values.update(overrides)
        return cls(**values)


@dataclass
class Verdict:
    result: str
    detail: str = ""
    status_code: int | None = None
    final_url: str = ""
    content_type: str = ""
    title: str = ""
    size: int | None = None
    last_modified: datetime | None = None
    mentions_year: bool | None = None
    bytes_read: int = field(default=0, compare=False)

    def as_fields(self) -> dict:
        """The values of a LinkCheck, cut to its columns' lengths."""
        return {
            "result": self.result,
            "detail": self.detail[:500],
            "status_code": self.status_code,
            "final_url": self.final_url[:2000],
            "content_type": self.content_type[:200],
            "title": self.title[:500],
            "size": self.size,
            "last_modified": self.last_modified,
            "mentions_year": self.mentions_year,
        }


class _Unreachable(Exception):
    pass


def _last_modified(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _content_length(value: str | None) -> int | None:
    try:
        length = int(value) if value is not None else None
    except ValueError:
        return None
    return length if length is not None and length >= 0 else None


class Checker:
    """Fetch and judge addresses within ``limits``; use as a context manager."""

    def __init__(self, limits: Limits | None = None):
        self.limits = limits or Limits.from_settings()
        self.client = httpx.Client(
            transport=guarded_transport(
                allow_private=self.limits.allow_private, max_connections=self.limits.overall
            ),
            timeout=httpx.Timeout(self.limits.timeout),
            headers={"User-Agent": self.limits.user_agent, "Accept": "*/*"},
            follow_redirects=False,
            trust_env=False,
        )
        self._hosts: dict[str, Semaphore] = {}
        self._hosts_lock = Lock()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.client.close()

    def _host_slot(self, url: str) -> Semaphore:
        try:
            host = httpx.URL(url).host.lower()
        except httpx.InvalidURL:
            host = ""
        with self._hosts_lock:
            if host not in self._hosts:
                self._hosts[host] = Semaphore(self.limits.per_host)
            return self._hosts[host]

    def check_many(self, pairs: Iterable[tuple[str, int]]) -> dict[tuple[str, int], Verdict]:
        """Return the verdict of each (address, fiscal year), each pair fetched once."""
        unique = list(dict.fromkeys(pairs))
        with ThreadPoolExecutor(max_workers=self.limits.overall) as pool:
            verdicts = pool.map(lambda pair: self.check(*pair), unique)
            return dict(zip(unique, verdicts, strict=True))

    def check(self, url: str, year: int) -> Verdict:
        """Return the verdict on ``url`` for an item that demands ``year``; never raises."""
        with self._host_slot(url):
            try:
                return self._follow(url, year)
            except Exception as error:  # one odd server must not end the whole run
                logger.exception("link check of %s failed", url)
                return Verdict(
                    Result.UNREACHABLE,
                    _("ตรวจไม่สำเร็จ (%(error)s)") % {"error": type(error).__name__},
                    final_url=url,
                )

    def _follow(self, url: str, year: int) -> Verdict:
        started = time.monotonic()
        visited: list[str] = []
        current = url
        for _hop in range(self.limits.max_redirects + 1):
            try:
                target = httpx.URL(current)
            except (httpx.InvalidURL, TypeError):
                return Verdict(Result.UNREACHABLE, _("ที่อยู่ไม่ถูกต้อง"), final_url=current)
            if target.scheme not in ("http", "https"):
                return Verdict(
                    Result.UNREACHABLE,
                    _("ตรวจได้เฉพาะที่อยู่ http และ https (ได้รับ %(scheme)s)")
                    % {"scheme": target.scheme or "—"},
                    final_url=current,
                )
            visited.append(str(target))
            try:
                with self.client.stream("GET", target) as response:
                    if not response.is_redirect:
                        return self._judge(response, year, started)
                    location = response.headers.get("location", "").strip()
                    if not location:
                        return Verdict(
                            Result.BROKEN,
                            _("HTTP %(code)s เปลี่ยนเส้นทางโดยไม่ระบุปลายทาง")
                            % {"code": response.status_code},
                            status_code=response.status_code,
                            final_url=str(target),
                        )
                    current = str(response.url.join(location))
                    if current in visited:
                        return Verdict(
                            Result.BROKEN,
                            _("เปลี่ยนเส้นทางวนกลับมาที่เดิม (%(url)s)") % {"url": current},
                            status_code=response.status_code,
                            final_url=current,
                        )
            except RefusedAddress as refused:
                return Verdict(Result.UNREACHABLE, str(refused), final_url=str(target))
            except UnknownHost as unknown:
                return Verdict(Result.UNREACHABLE, str(unknown), final_url=str(target))
            except _Unreachable as slow:
                return Verdict(Result.UNREACHABLE, str(slow), final_url=str(target))
            except httpx.TimeoutException:
                return Verdict(
                    Result.UNREACHABLE,
                    _("หมดเวลารอ (%(seconds)s วินาที)") % {"seconds": f"{self.limits.timeout:g}"},
                    final_url=str(target),
                )
            except httpx.ConnectError as error:
                return Verdict(
                    Result.UNREACHABLE,
                    _("เชื่อมต่อไม่ได้ (%(error)s)") % {"error": error or type(error).__name__},
                    final_url=str(target),
                )
            except httpx.HTTPError as error:
                return Verdict(
                    Result.UNREACHABLE,
                    _("การรับส่งข้อมูลขัดข้อง (%(error)s)") % {"error": type(error).__name__},
                    final_url=str(target),
                )
        return Verdict(
            Result.BROKEN,
            _("เปลี่ยนเส้นทางเกิน %(count)s ครั้ง") % {"count": self.limits.max_redirects},
            final_url=current,
        )

    def _read(self, chunks, started: float, budget: int, body: bytes) -> tuple[bytes, bool]:
        """Read on after ``body`` up to ``budget`` bytes; True when the body went on beyond."""
        buffer = bytearray(body[:budget])
        if len(body) > budget:
            return bytes(buffer), True
        for chunk in chunks:
            if time.monotonic() - started > self.limits.deadline:
                raise _Unreachable(
                    _("อ่านนานเกิน %(seconds)s วินาที") % {"seconds": f"{self.limits.deadline:g}"}
                )
            room = budget - len(buffer)
            buffer += chunk[:room]
            if len(chunk) > room:
                return bytes(buffer), True
        return bytes(buffer), False

    def _judge(self, response: httpx.Response, year: int, started: float) -> Verdict:
        content_type = response.headers.get("content-type", "")
        verdict = Verdict(
            Result.OK,
            status_code=response.status_code,
            final_url=str(response.url),
            content_type=content_type,
            last_modified=_last_modified(response.headers.get("last-modified")),
            size=_content_length(response.headers.get("content-length")),
        )
        if response.status_code >= 300:
            verdict.result = Result.BROKEN
            verdict.detail = f"HTTP {response.status_code}"
            return verdict
        chunks = response.iter_bytes(CHUNK_BYTES)
        # The first chunk tells a PDF sent as a generic binary, and an empty body; only web
        # pages and PDFs are read on (to the cap), the rest is judged by its type.
        first = next(chunks, b"")
        kind = documents.kind_of(content_type, first)
        if kind in (documents.Kind.HTML, documents.Kind.PDF):
            body, cut = self._read(chunks, started, self.limits.max_bytes, first)
            if verdict.size is None and not cut:
                verdict.size = len(body)
        else:
            body, cut = first, False
        verdict.bytes_read = len(body)
        if not body:
            verdict.result = Result.NOT_DOCUMENT
            verdict.detail = _("ไม่มีเนื้อหา")
            return verdict
        if kind == documents.Kind.OTHER:
            verdict.result = Result.NOT_DOCUMENT
            verdict.detail = _("เนื้อหาชนิด %(type)s ไม่ใช่หน้าเว็บ PDF หรือเอกสารสำนักงาน") % {
                "type": content_type.split(";", 1)[0].strip() or "—"
            }
            return verdict
        if kind == documents.Kind.OFFICE:
            verdict.detail = _("เอกสารสำนักงาน: ระบบไม่ได้อ่านเนื้อหา โปรดตรวจปีงบประมาณด้วยตนเอง")
            return verdict
        reading = documents.read(kind, body, content_type)
        verdict.title = reading.title
        megabytes = f"{self.limits.max_bytes / 1024 / 1024:g}"
        if reading.sign_in:
            verdict.result = Result.NOT_DOCUMENT
            verdict.detail = _("เป็นหน้าเข้าสู่ระบบ ผู้ประเมินจะไม่เห็นเนื้อหา")
            return verdict
        if reading.unreadable:
            if cut:
                verdict.detail = _(
                    "ไฟล์ PDF ใหญ่เกิน %(mb)s MB ระบบจึงไม่ได้อ่าน โปรดตรวจปีงบประมาณด้วยตนเอง"
                ) % {"mb": megabytes}
                return verdict
            verdict.result = Result.NOT_DOCUMENT
            verdict.detail = _("เปิดไฟล์ PDF ไม่ได้ (%(error)s)") % {"error": reading.unreadable}
            return verdict
        verdict.mentions_year = documents.mentions_year(reading.text, year)
        if not verdict.mentions_year:
            verdict.result = Result.WRONG_YEAR
            verdict.detail = _("ไม่พบ พ.ศ. %(year)s ในเนื้อหา") % {"year": year}
            if cut:
                verdict.detail += _(" (อ่านเฉพาะ %(mb)s MB แรก)") % {"mb": megabytes}
        return verdict
