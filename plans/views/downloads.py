"""A generated document sent as a download."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header


def attachment(data: bytes, content_type: str, name: str) -> HttpResponse:
    """``data`` as an attachment named ``name``: a Thai name goes as filename*=utf-8''…
    (RFC 5987) beside an ASCII fallback."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
