"""The SSRF guard: which addresses the checker refuses, before connecting and after redirects."""

import httpcore
import pytest

from oit import safety
from oit.checker import Checker, Limits
from oit.models import Result
from tests.oit.web import YEAR

GUARDED = Limits(allow_private=False, timeout=1)
# A public address (example.com's) standing for a public web server; nothing connects to it.
PUBLIC = "93.184.216.34"


@pytest.mark.parametrize(
    "address, refused",
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "private"),  # Python counts 240/4 as private (and reserved)
        ("100.64.0.1", "ไม่ใช่อินเทอร์เน็ตสาธารณะ"),
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link-local"),
        ("fe80::1%eth0", "link-local"),
        ("fc00::1", "private"),
        ("ff02::1", "multicast"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("::ffff:169.254.169.254", "link-local"),
        ("8.8.8.8", None),
        (PUBLIC, None),
        ("2606:4700:4700::1111", None),
        ("::ffff:8.8.8.8", None),
    ],
)
def test_address_classification(address, refused):
    reason = safety.refusal_reason(address)

    if refused is None:
        assert reason is None
    else:
        assert refused in reason


def test_every_address_of_a_name_must_pass(monkeypatch):
    monkeypatch.setattr(safety, "resolve", lambda host, port: [PUBLIC, "10.1.2.3"])

    with pytest.raises(safety.RefusedAddress) as refused:
        safety.checked_address("mixed.example", 80, allow_private=False)

    assert refused.value.address == "10.1.2.3"


@pytest.mark.parametrize("path", ["/good", "/to-local"])
def test_a_direct_address_on_this_machine_is_refused(web, path):
    before = len(web.requests)
    with Checker(GUARDED) as checker:
        verdict = checker.check(web.url(path), YEAR)

    assert verdict.result == Result.UNREACHABLE
    assert "loopback" in verdict.detail
    assert len(web.requests) == before  # nothing reached the server


@pytest.mark.parametrize("url", ["http://10.0.0.1/", "http://[::ffff:10.0.0.1]/", "http://[::1]/"])
def test_a_direct_private_address_is_refused(url):
    with Checker(GUARDED) as checker:
        verdict = checker.check(url, YEAR)

    assert verdict.result == Result.UNREACHABLE
    assert verdict.detail.startswith("ไม่ตรวจที่อยู่นี้")


@pytest.fixture
def public_site(web, monkeypatch):
    """The local site as if it were a public server: "public.test" resolves to a public
    address, and only the socket layer under the guard is pointed at 127.0.0.1."""
    real_resolve = safety.resolve
    monkeypatch.setattr(
        safety,
        "resolve",
        lambda host, port: [PUBLIC] if host == "public.test" else real_resolve(host, port),
    )
    real_connect = httpcore.SyncBackend.connect_tcp

    def connect(self, host, port, *args, **kwargs):
        return real_connect(self, "127.0.0.1" if host == PUBLIC else host, port, *args, **kwargs)

    monkeypatch.setattr(httpcore.SyncBackend, "connect_tcp", connect)
    return web


def test_a_public_page_passes_the_guard(public_site):
    with Checker(GUARDED) as checker:
        verdict = checker.check(public_site.url("/good", host="public.test"), YEAR)

    assert verdict.result == Result.OK


@pytest.mark.parametrize("path, address", [("/to-local", "127.0.0.1"), ("/to-private", "10.0.0.1")])
def test_a_redirect_to_a_private_address_is_refused(public_site, path, address):
    with Checker(GUARDED) as checker:
        verdict = checker.check(public_site.url(path, host="public.test"), YEAR)

    assert verdict.result == Result.UNREACHABLE
    assert f"ชี้ไปที่ {address}" in verdict.detail
    assert verdict.final_url.startswith(f"http://{address}")


def test_an_unknown_name_is_unreachable():
    with Checker(GUARDED) as checker:
        verdict = checker.check("http://no-such-host.invalid/", YEAR)

    assert verdict.result == Result.UNREACHABLE
    assert verdict.detail == "ไม่พบชื่อโดเมน no-such-host.invalid (DNS)"


@pytest.mark.parametrize("url", ["ftp://example.com/plan.pdf", "file:///etc/passwd"])
def test_only_http_and_https_are_fetched(url):
    with Checker(GUARDED) as checker:
        verdict = checker.check(url, YEAR)

    assert verdict.result == Result.UNREACHABLE
    assert "เฉพาะที่อยู่ http และ https" in verdict.detail


def test_proxies_from_the_environment_are_ignored(web, monkeypatch):
    # A proxy would connect on the checker's behalf, out of the guard's sight.
    monkeypatch.setenv("HTTP_PROXY", "http://10.0.0.1:3128")
    monkeypatch.setenv("ALL_PROXY", "http://10.0.0.1:3128")
    with Checker(Limits(allow_private=True, timeout=1)) as checker:
        verdict = checker.check(web.url("/good"), YEAR)

    assert verdict.result == Result.OK
