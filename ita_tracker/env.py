"""Read settings from the environment, refusing values that make no sense."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    """Return the variable as text, or the default when it is unset."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    """Return the variable as a boolean; anything but a clear yes/no is an error."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no)")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    """Return the variable as a whole number, at least ``minimum`` when one is given."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    """Return a comma-separated variable as a list of non-empty, stripped strings."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def load_env_file(path: Path) -> None:
    """Set variables from a KEY=VALUE file, never overriding the real environment.

    The file is a developer's local convenience (``make run`` writes one with
    DJANGO_DEBUG=1); a line that is not KEY=VALUE is an error, not a guess.
    """
    if not path.is_file():
        return
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        key = key.strip()
        if not sep or not key.isidentifier():
            raise ImproperlyConfigured(f"{path}, line {number}: expected KEY=VALUE, got {line!r}")
        os.environ.setdefault(key, value.strip().strip("'\""))


# The key pyproject.toml gives the test suite; accepted with DEBUG off only when
# DJANGO_TEST_SUITE=1 says this is a test run (see settings.py).
TEST_SUITE_SECRET_KEY = "test-only-secret-key-not-for-any-real-site"

# Keys published in this repository (the docs' placeholder, the test suite's, the benchmark
# scripts' old ones) sign nothing safely: anyone who reads the code can forge a session.
PUBLISHED_SECRET_KEYS = frozenset(
    {
        "…50 or more random characters: python3 -c "
        '"import secrets; print(secrets.token_urlsafe(50))"',
        TEST_SUITE_SECRET_KEY,
        "bench-only",
        "loadtest-only",
        "faults-only",
        "loopback-only",
        "change-me",
        "changeme",
        "secret",
        "x",
    }
)
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE = 5


def weak_secret_key_reason(key: str) -> str | None:
    """Return why ``key`` is too weak to sign sessions in production, or None if it will do.

    The same rules as Django's deploy check (security.W009), which only warns; here they stop
    the start, plus the placeholders and test keys published in this repository.
    """
    if key.strip() in PUBLISHED_SECRET_KEYS:
        return "it is a placeholder or test key published in the repository"
    if key.startswith("django-insecure-"):
        return "it starts with 'django-insecure-' (a development key)"
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"it has {len(key)} characters; use at least {SECRET_KEY_MIN_LENGTH}"
    if len(set(key)) < SECRET_KEY_MIN_UNIQUE:
        return f"it has fewer than {SECRET_KEY_MIN_UNIQUE} different characters"
    return None
