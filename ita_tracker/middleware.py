"""Request middleware of the project."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)


class ChosenLanguageMiddleware:
    """Speak Thai unless the user chose another language with the switcher.

    Django's LocaleMiddleware follows the browser's Accept-Language, which on many office
    PCs says English; this app speaks Thai first and changes only on the user's choice
    (the language cookie set by ``set_language``).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


# PostgreSQL error classes of a server that cannot serve anyone right now: a connection
# failure (08…), a shutdown or restart (57P01 admin, 57P02 crash, 57P03 not accepting
# connections yet) and no free connection slot (53300).
_UNREACHABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03", "53300")
_UNREACHABLE_MESSAGES = (
    # libpq, for the errors that carry no SQLSTATE (the socket went away, nothing listens).
    "server closed the connection unexpectedly",
    "could not connect to server",
    "connection refused",
    "terminating connection",
    "the database system is",
    # SQLite: the file cannot be opened, or another writer held the lock for the whole busy
    # timeout. Waiting and trying again is the right advice for both.
    "unable to open database",
    "database is locked",
)


def database_unreachable(exception: BaseException, databases=None) -> bool:
    """Whether a database error means the database cannot be reached (503), not a bug (500).

    An OperationalError is also what a query too large for SQLite ("too many SQL variables",
    "Expression tree is too large") or a PostgreSQL statement timeout raises; telling those
    users to wait and try again would hide a bug that a retry never fixes. The connection's
    own state decides: none could be opened, or the driver closed it under the query.
    """
    if isinstance(exception, InterfaceError):
        return True  # psycopg2 "connection already closed": used after the server went away
    if not isinstance(exception, OperationalError):
        return False
    cause = exception.__cause__
    sqlstate = getattr(cause, "pgcode", None) or ""
    if sqlstate.startswith(_UNREACHABLE_SQLSTATES):
        return True
    if any(text in str(exception).lower() for text in _UNREACHABLE_MESSAGES):
        return True
    if databases is None:
        databases = connections.all(initialized_only=True)
    for database in databases:
        raw = database.connection
        # None: connecting failed (refused, server starting up); closed: lost mid-request.
        if raw is None:
            return True
        if getattr(raw, "closed", False):
            return True
    return False


class DatabaseUnavailableMiddleware:
    """A page that fails because the database cannot be reached answers 503 in Thai.

    While PostgreSQL restarts (or its network is down) every page fails; the user is told the
    system is briefly unavailable and to try again, nothing was saved, and load balancers and
    monitoring see 503 with Retry-After rather than a 500 that looks like a bug. The next
    request after the database is back opens a fresh connection (CONN_HEALTH_CHECKS). Any
    other database error is a bug and gets the ordinary 500 page (database_unreachable).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_unreachable(exception):
            return None
        log.error("Database unavailable for %s %s: %s", request.method, request.path, exception)
        return unavailable_response()


def unavailable_response() -> HttpResponse:
    body = render_to_string(
        "unavailable.html",
        {
            "title": _("ระบบไม่พร้อมใช้งานชั่วคราว"),
            "message": (
                _(
                    "ฐานข้อมูลไม่ตอบสนองในขณะนี้ จึงยังไม่ได้บันทึกหรือแสดงข้อมูลใด "
                    "กรุณารอสักครู่แล้วลองใหม่ หากยังไม่ได้ โปรดแจ้งผู้ดูแลระบบ"
                )
            ),
        },
    )
    response = HttpResponse(body, status=503)
    response["Retry-After"] = "30"
    return response
