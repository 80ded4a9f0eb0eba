"""A small web site on 127.0.0.1 that serves every case the OIT link checker must judge.

Started by the ``web`` fixture (tests/oit/conftest.py) and by scripts/bench_linkcheck.py:

    with LocalSite() as site:
        site.url("/good")            # http://127.0.0.1:<free port>/good

The pages demand fiscal year ``YEAR``; ``LAST_YEAR`` is the year before.
"""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

YEAR = 2569
LAST_YEAR = YEAR - 1
THAI_YEAR = str(YEAR).translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
HUGE_BYTES = 50 * 1024 * 1024
SLOW_SECONDS = 3.0
# The smallest valid PNG (1×1): an image is not a document.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def make_pdf(text: str, title: str | None = None) -> bytes:
    """Return a one-page PDF whose page shows ``text`` (ASCII) and whose metadata has ``title``."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    if title is not None:
        objects.append(b"<< /Title (" + title.encode("ascii") + b") >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    info = b" /Info %d 0 R" % len(objects) if title is not None else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        info,
        xref,
    )
    return bytes(out)


def _page(title: str, body: str) -> bytes:
    return (
        '<!doctype html><html lang="th"><head><meta charset="utf-8">'
        f"<title>{title}</title><script>var year = {YEAR};</script></head>"
        f"<body><h1>{title}</h1><p>{body}</p></body></html>"
    ).encode()


PAGES = {
    "/good": ("text/html; charset=utf-8", _page("แผนปฏิบัติการ", f"ประจำปีงบประมาณ พ.ศ. {YEAR}")),
    "/good-thai": ("text/html; charset=utf-8", _page("รายงานผล", f"ปีงบประมาณ พ.ศ. {THAI_YEAR}")),
    # The demanded year only in a script and in a longer number: neither is the text.
    "/last-year": (
        "text/html; charset=utf-8",
        _page("แผนปฏิบัติการ", f"ประจำปีงบประมาณ พ.ศ. {LAST_YEAR} เลขที่ 1{YEAR}0"),
    ),
    "/login": (
        "text/html; charset=utf-8",
        _page("เข้าสู่ระบบ", f'ปี {YEAR} <form><input type="password" name="p"></form>'),
    ),
    "/pdf-year": ("application/pdf", make_pdf(f"Annual report fiscal year {YEAR}", "Report")),
    "/pdf-old": ("application/pdf", make_pdf(f"Annual report fiscal year {LAST_YEAR}")),
    "/pdf-as-binary": ("application/octet-stream", make_pdf(f"Plan {YEAR}", "Plan")),
    "/image": ("image/png", PNG),
    "/empty": ("text/html", b""),
    "/docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        b"PK\x03\x04 not really a docx",
    ),
}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet in the test output
        pass

    def _send(self, status: int, headers: dict, body: bytes = b""):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str):
        self._send(302, {"Location": location})

    def do_GET(self):
        self.server.requests.append((self.path, dict(self.headers)))
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        site = f"http://127.0.0.1:{self.server.server_address[1]}"
        try:
            if path in PAGES:
                content_type, body = PAGES[path]
                self._send(
                    200,
                    {
                        "Content-Type": content_type,
                        "Last-Modified": "Wed, 01 Oct 2025 08:00:00 GMT",
                    },
                    body,
                )
            elif path == "/missing":
                self._send(404, {"Content-Type": "text/html"}, b"<title>Not found</title>")
            elif path == "/loop-a":
                self._redirect("/loop-b")
            elif path == "/loop-b":
                self._redirect("/loop-a")
            elif path.startswith("/chain/"):
                left = int(path.rsplit("/", 1)[1])
                self._redirect(f"/chain/{left - 1}" if left > 1 else "/good")
            elif path == "/slow":
                time.sleep(float(query.get("s", [SLOW_SECONDS])[0]))
                self._send(200, {"Content-Type": "text/html"}, _page("ช้า", str(YEAR)))
            elif path == "/to-local":
                self._redirect(f"{site}/good")
            elif path == "/to-private":
                self._redirect("http://10.0.0.1/internal")
            elif path == "/huge":
                self._huge()
            else:
                self._send(404, {"Content-Type": "text/plain"}, b"no such page")
        except (BrokenPipeError, ConnectionResetError):
            # The checker stops reading at its cap or its timeout and hangs up: expected.
            self.close_connection = True

    def _huge(self):
        """50 MB of HTML, written from one reused block so the server itself stays small."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(HUGE_BYTES))
        self.end_headers()
        block = b"<p>" + b"x" * (64 * 1024 - 8) + b"</p>\n\n"
        sent = 0
        while sent < HUGE_BYTES:
            piece = block[: HUGE_BYTES - sent]
            self.wfile.write(piece)
            sent += len(piece)


class LocalSite:
    """The site in a thread of its own, on a free port of 127.0.0.1."""

    def __init__(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.requests = []
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    @property
    def requests(self) -> list:
        return self.server.requests

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
