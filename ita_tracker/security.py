"""Request-level protections that Django has no setting for: the client's address behind the
proxy and the page of a locked-out sign-in (for django-axes), and a hard cap on the size of a
request body, with Thai pages for the requests refused."""

from django.conf import settings
from django.contrib.auth.views import LogoutView
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.functional import empty

_MB = 1024 * 1024


def client_ip(request) -> str | None:
    """The address sign-in throttling counts failures against.

    Behind nginx (DJANGO_BEHIND_PROXY=1) every request comes from the proxy, so the client is
    the right-most X-Forwarded-For entry: the one the proxy itself appended
    (``proxy_add_x_forwarded_for``). Entries to its left come from the client and may be forged.
    Without a proxy the header is ignored altogether.
    """
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
        if entries:
            return entries[-1]
    return request.META.get("REMOTE_ADDR")


def locked_out(request, original_response=None, credentials=None) -> HttpResponse:
    """The page shown instead of signing in while a username is locked out from an address."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body is larger than ITA_REQUEST_MAX_BYTES (413).

    The forms check each upload against its own limit with a helpful message; this stops a
    body far beyond any of them before a byte of it is read or written to disk.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.ITA_REQUEST_MAX_BYTES:
            return too_large(request, settings.ITA_REQUEST_MAX_BYTES)
        return self.get_response(request)


def too_large(request, limit: int, *, typed: bool = False) -> HttpResponse:
    """The Thai 413 page: what was sent is larger than ``limit`` bytes; nothing was saved.

    ``typed`` says the limit is on the text typed into the form, not on an uploaded file.
    """
    context = {"limit_mb": f"{limit / _MB:.1f}".removesuffix(".0"), "typed": typed}
    return HttpResponse(render_to_string("413.html", context, request=request), status=413)


def bad_request(request, exception=None) -> HttpResponse:
    """handler400: a form beyond Django's limits gets a Thai page saying which limit.

    Django refuses the text fields of a form over DATA_UPLOAD_MAX_MEMORY_SIZE and a form with
    more than DATA_UPLOAD_MAX_NUMBER_FIELDS fields as a bare 400; the first is really a 413.
    """
    if isinstance(exception, RequestDataTooBig):
        return too_large(request, settings.DATA_UPLOAD_MAX_MEMORY_SIZE, typed=True)
    context = {
        "too_many_fields": isinstance(exception, TooManyFieldsSent),
        "max_fields": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
    }
    return HttpResponse(render_to_string("400.html", context, request=request), status=400)


class PrivatePagesMiddleware:
    """Pages of a signed-in user are never stored by the browser or a proxy.

    On a shared office PC the back button or the disk cache would otherwise show the last
    user's plan after sign-out. Static files (served earlier, by WhiteNoise) and the
    signed-out pages keep their own caching, and so do the dashboards, which the browser
    keeps only to ask again every time (``no-cache`` with an ETag that names the user: a
    304 after a change of user or data is impossible).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if signed_in_without_query(request) and not revalidated(response):
            patch_cache_control(response, private=True, no_store=True)
        return response


def revalidated(response) -> bool:
    """Whether the response is one the browser must check with the server before every use."""
    return response.has_header("ETag") and "no-cache" in response.get("Cache-Control", "")


def signed_in_without_query(request) -> bool:
    """Whether the request is a signed-in user's, asking the database nothing more.

    The user the page already loaded decides; a page that never loaded it (or failed to, as
    every page does while the database is down) is taken as signed in when a session cookie
    came with it. Loading the user here would fail a second time, outside the middleware that
    turns a lost database into the 503 page, and make that page a 500.
    """
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "_wrapped", None) is not empty:
        return user.is_authenticated
    return settings.SESSION_COOKIE_NAME in request.COOKIES


class SignOutView(LogoutView):
    """Sign-out, which also empties this site's part of the browser's cache.

    The dashboards are kept by the browser to revalidate (``no-cache`` with an ETag, see
    ``PrivatePagesMiddleware``); on a shared office PC the Back button must not show them to
    the next person after sign-out."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache"'
        return response
