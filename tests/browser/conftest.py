"""Browser tests: Playwright drives the system Chromium against pytest-django's live server.

Every test in this folder is marked ``browser`` and runs apart from the rest of the suite,
with ``DJANGO_ALLOW_ASYNC_UNSAFE=true`` (``make test`` does both): Playwright's sync API keeps
an event loop in the test thread, and Django refuses database access from such a thread
unless told otherwise. Without that variable these tests are skipped, saying why.
"""

import os
from pathlib import Path

import pytest

# Debian's package (scripts/ensure-chromium.sh installs it); never Playwright's download.
CHROMIUM = Path("/usr/bin/chromium")
# Runs as root without a GPU; and the machine's closed network refuses Chromium's own
# background connections (QUIC, sync, component updates), so they are turned off.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HERE = Path(__file__).resolve().parent
NEEDS_ASYNC_UNSAFE = (
    "browser tests run apart with DJANGO_ALLOW_ASYNC_UNSAFE=true: "
    "`make test`, or `DJANGO_ALLOW_ASYNC_UNSAFE=true pytest -m browser`"
)


@pytest.hookimpl(tryfirst=True)  # Before `-m` selects by marker.
def pytest_collection_modifyitems(config, items):
    async_unsafe = bool(os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE"))
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if not async_unsafe:
                item.add_marker(pytest.mark.skip(reason=NEEDS_ASYNC_UNSAFE))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"No Chromium at {CHROMIUM}: run scripts/ensure-chromium.sh", pytrace=False)
    headless = browser_type_launch_args.get("headless", True)  # False with --headed.
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": (["--headless"] if headless else []) + CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def base_url(live_server):
    """Relative URLs (``page.goto("/")``) go to the live server."""
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A desktop browser on an office PC in Bangkok."""
    return {
        **browser_context_args,
        "viewport": {"width": 1366, "height": 768},
        "locale": "th-TH",
        "timezone_id": "Asia/Bangkok",
    }
