"""A real SMTP server for the reminder tests, and a stand-in for the digest builder."""

import email
import email.policy
import socket
import sys
import threading
import types

import pytest
from aiosmtpd.controller import Controller

from reminders.content import DigestContent, Line, Section

SITE = "https://ita.example.go.th"


class RecordingHandler:
    """Keeps every message it accepts; refuses (550) the addresses in ``refused``."""

    def __init__(self):
        self.messages = []
        self.refused = set()
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refused:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address):
        """The messages sent to ``address``."""
        return [m for m in self.messages if m["To"] == address]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """An SMTP server on 127.0.0.1 that the e-mail settings point at."""
    handler = RecordingHandler()
    controller = Controller(
        handler, hostname="127.0.0.1", port=_free_port(), server_hostname="smtp.test"
    )
    controller.start()
    settings.ITA_EMAIL_CONFIGURED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "ITA Tracker <ita@example.go.th>"
    settings.ITA_SITE_URL = SITE
    try:
        yield handler
    finally:
        controller.stop()


class FakeBuilder:
    """Stands in for ``reminders.digests.build_digests``: returns, for each requested (user,
    kind), the lines given to ``give`` for that user (none: an empty digest)."""

    def __init__(self):
        self.lines = {}
        self.languages = {}
        self.figures = {}
        self.calls = []

    def give(self, user, *lines: Line, language="th", figures=None):
        self.lines[user.pk] = lines
        self.languages[user.pk] = language
        self.figures[user.pk] = figures or {}

    def __call__(self, requests, today, previous):
        self.calls.append((list(requests), today, dict(previous)))
        return [self.content(user.pk, kind) for user, kind in requests]

    def content(self, user_id, kind):
        lines = self.lines.get(user_id, ())
        english = self.languages.get(user_id) == "en"
        title = "Overdue" if english else "งานที่เกินกำหนด"
        subject = "ITA Tracker: what is due" if english else "ITA Tracker: งานที่ต้องติดตาม"
        return DigestContent(
            user_id=user_id,
            kind=kind,
            language=self.languages.get(user_id, "th"),
            subject=subject,
            sections=(Section("overdue", title, lines),) if lines else (),
            figures=self.figures.get(user_id, {}),
        )


@pytest.fixture
def builder(monkeypatch):
    """The fake builder, in place of the real one (imported by name when sending)."""
    fake = FakeBuilder()
    module = types.ModuleType("reminders.digests")
    module.build_digests = fake
    monkeypatch.setitem(sys.modules, "reminders.digests", module)
    return fake
