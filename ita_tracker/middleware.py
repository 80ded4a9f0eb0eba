"""Request middleware of the project."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

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


class DatabaseUnavailableMiddleware:
    """A page that fails because the database cannot be reached answers 503 in Thai.

    While PostgreSQL restarts (or its network is down) every page fails; the user is told the
    system is briefly unavailable and to try again, nothing was saved, and load balancers and
    monitoring see 503 with Retry-After rather than a 500 that looks like a bug. The next
    request after the database is back opens a fresh connection (CONN_HEALTH_CHECKS).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        log.error("Database unavailable for %s %s: %s", request.method, request.path, exception)
        return unavailable_response()


def unavailable_response() -> HttpResponse:
    body = render_to_string(
        "unavailable.html",
        {
            "title": "ระบบไม่พร้อมใช้งานชั่วคราว",
            "message": (
                "ฐานข้อมูลไม่ตอบสนองในขณะนี้ จึงยังไม่ได้บันทึกหรือแสดงข้อมูลใด "
                "กรุณารอสักครู่แล้วลองใหม่ หากยังไม่ได้ โปรดแจ้งผู้ดูแลระบบ"
            ),
        },
    )
    response = HttpResponse(body, status=503)
    response["Retry-After"] = "30"
    return response
