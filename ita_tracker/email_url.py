"""Read the mail server from one URL (``ITA_EMAIL_URL``), refusing what it cannot mean.

    smtp://user:password@host:587?tls=1   SMTP, STARTTLS after connecting
    smtps://user:password@host:465        SMTP over TLS from the first byte
    console://                            print the e-mails (development)

User and password are percent-decoded (an "@" in a password is written %40); ``timeout`` is
the seconds one SMTP conversation may wait (10 by default), so a dead server cannot hold the
reminder run for ever.
"""

from email.utils import parseaddr
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

DEFAULT_TIMEOUT = 10
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"

_DEFAULT_PORTS = {("smtp", False): 25, ("smtp", True): 587, ("smtps", False): 465}
_QUERY = {"smtp": {"tls", "timeout"}, "smtps": {"timeout"}, "console": set()}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _refuse(problem: str) -> ImproperlyConfigured:
    # Never repeat the URL itself: it may carry the password into a log.
    return ImproperlyConfigured(
        f"ITA_EMAIL_URL: {problem}. Use smtp://user:password@host:587?tls=1, "
        "smtps://user:password@host:465 or console://"
    )


def _one(query: dict[str, list[str]], name: str) -> str | None:
    values = query.get(name)
    if values is None:
        return None
    if len(values) != 1:
        raise _refuse(f"'{name}' is given {len(values)} times")
    return values[0]


def _tls(raw: str | None) -> bool:
    if raw is None:
        return False
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise _refuse(f"tls={raw!r} is not a yes/no value (use tls=1 or tls=0)")


def _timeout(raw: str | None) -> float:
    if raw is None:
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        raise _refuse(f"timeout={raw!r} is not a number of seconds") from None
    if not 0 < value <= 600:
        raise _refuse(f"timeout={raw!r} must be more than 0 and at most 600 seconds")
    return value


def parse_email_url(url: str) -> dict:
    """Return the Django ``EMAIL_*`` settings that ``url`` describes."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in _QUERY:
        shown = f"'{scheme}'" if scheme else "none"
        raise _refuse(f"the scheme is {shown}")
    try:
        query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
    except ValueError:
        raise _refuse("the part after '?' is not name=value pairs") from None
    unknown = sorted(set(query) - _QUERY[scheme])
    if unknown:
        raise _refuse(f"{scheme}:// does not take {', '.join(unknown)}")
    if parts.fragment:
        raise _refuse("a '#' part means nothing here")
    if scheme == "console":
        if parts.netloc or parts.path.strip("/"):
            raise _refuse("console:// takes no host or path")
        return {"EMAIL_BACKEND": CONSOLE_BACKEND}

    if not parts.hostname:
        raise _refuse(f"{scheme}:// needs a host")
    if parts.path.strip("/"):
        raise _refuse("a mail server URL has no path")
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0:
        raise _refuse("the port is not a number from 1 to 65535")
    use_tls = _tls(_one(query, "tls"))
    return {
        "EMAIL_BACKEND": SMTP_BACKEND,
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port if port is not None else _DEFAULT_PORTS[(scheme, use_tls)],
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": scheme == "smtps",
        "EMAIL_TIMEOUT": _timeout(_one(query, "timeout")),
    }


def parse_from_address(raw: str) -> str:
    """Return ``raw`` if it is one sender address ("ITA Tracker <ita@district.go.th>" or a
    bare address); a server refuses anything else only when the first e-mail goes out."""
    _name, address = parseaddr(raw.strip())
    local, at, domain = address.rpartition("@")
    if not (local and at and domain) or any(c.isspace() for c in address) or "," in raw:
        raise ImproperlyConfigured(
            f"DJANGO_DEFAULT_FROM_EMAIL={raw!r} is not one e-mail address "
            "(e.g. ITA Tracker <ita@district.bangkok.go.th>)"
        )
    return raw.strip()


def parse_site_url(raw: str) -> str:
    """Return the site's address without a trailing slash: the links in e-mails start with it."""
    parts = urlsplit(raw.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            f"ITA_SITE_URL={raw!r} is not the site's address (e.g. https://ita.example.go.th)"
        )
    return raw.strip().rstrip("/")
