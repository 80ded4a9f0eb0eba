"""Request-level protections that Django has no setting for: the client's address behind the
proxy and the page of a locked-out sign-in (for django-axes), and a hard cap on the size of a
request body."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string


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
        limit = settings.ITA_REQUEST_MAX_BYTES
        if length > limit:
            body = render_to_string(
                "413.html", {"limit_mb": limit // (1024 * 1024)}, request=request
            )
            return HttpResponse(body, status=413)
        return self.get_response(request)
