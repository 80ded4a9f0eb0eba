"""A gunicorn of this app on 127.0.0.1, and a browser-like client: shared by the scripts that
measure or break a running server (bench.py, loadtest.py, faults.py).

The server runs the production settings (DEBUG off) with the two exceptions that plain HTTP on
the loopback needs: no redirect to HTTPS and cookies not marked Secure (a client would not send
them back over HTTP). Everything else — CSP, sign-in throttling, session expiry — is as deployed.
"""

import http.cookiejar
import os
import re
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
GUNICORN = BASE / ".venv" / "bin" / "gunicorn"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Production settings on the loopback: DEBUG off, this host only, plain HTTP."""
    env = dict(os.environ, **(extra or {}))
    env.pop("DJANGO_DEBUG", None)
    env.update(
        DJANGO_ENV_FILE="",
        # DEBUG is off, so settings refuse a weak key; a fresh one signs this run's sessions.
        DJANGO_SECRET_KEY=env.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        # No TLS on 127.0.0.1: no redirect to https, no Secure cookies, no HSTS.
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_HSTS_SECONDS="0",
        # Pages are served and measured, not static files: no `collectstatic` manifest needed.
        DJANGO_STATIC_MANIFEST="0",
        DJANGO_LOG_LEVEL=env.get("DJANGO_LOG_LEVEL", "WARNING"),
    )
    env.update(extra or {})
    return env


def start_gunicorn(
    port: int, log, extra: dict[str, str] | None = None, workers: int = 4, timeout: int = 120
) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:port, its output to ``log`` (an open file)."""
    command = [
        str(GUNICORN),
        "ita_tracker.wsgi",
        "-w",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        # A slow page (a PDF) should be measured, not killed.
        "--timeout",
        str(timeout),
    ]
    return subprocess.Popen(
        command, cwd=BASE, env=server_environment(extra), stdout=log, stderr=subprocess.STDOUT
    )


def stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)  # gunicorn: graceful shutdown of its workers
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def wait_until_up(base_url: str, server: subprocess.Popen, log_path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}; see {log_path}")
        try:
            with urllib.request.urlopen(f"{base_url}/health/", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s; see {log_path}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer to look at (e.g. to the login page), not one to follow."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class Client:
    """One browser: its own cookie jar, hence its own session."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def request(
        self, path: str, data: dict | None = None, timeout: float = 180
    ) -> tuple[int, bytes]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base_url + path, body, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.read()

    def csrf_token(self, html: bytes) -> str:
        found = CSRF_FIELD.search(html)
        if not found:
            raise RuntimeError("no CSRF token in the form")
        return found.group(1).decode()

    def sign_in(self, username: str, password: str) -> None:
        status, html = self.request("/accounts/login/")
        if status != 200:
            raise RuntimeError(f"login form: HTTP {status}")
        status, _ = self.request(
            "/accounts/login/",
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": self.csrf_token(html),
            },
        )
        if status != 302 or not any(cookie.name == "sessionid" for cookie in self.jar):
            raise RuntimeError(f"sign-in refused (HTTP {status})")
