"""The smallest page the app serves: for load balancers, and as the baseline of `make bench`."""

from django.http import HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def health(request):
    """Answer "ok" without touching the database or the session."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
