"""The addresses of the app's pages, each reversed once per process.

Reversing a page's name walks the URL patterns (30–60 µs a time here); a district's
dashboard asks for two dozen (its menu, its sibling pages and each of its years). The
patterns are fixed for the life of a process, so each address is kept by everything it
depends on: the URL configuration, the script prefix the app is mounted under, the language
and the page's name and arguments."""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language


def address(name: str, *args) -> str:
    """``reverse(name, args=args)``, kept."""
    urlconf = get_urlconf(settings.ROOT_URLCONF)
    return _reversed(urlconf, get_script_prefix(), get_language(), name, args)


@lru_cache(maxsize=4096)
def _reversed(urlconf, prefix: str, language: str | None, name: str, args: tuple) -> str:
    return reverse(name, args=args, urlconf=urlconf)
