"""Request middleware of the project."""

from django.conf import settings
from django.utils import translation


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
