"""The link checker's verdict on each case of the local web site (tests/oit/web.py)."""

import threading
import time
import tracemalloc

import pytest

from oit.checker import Checker, Limits
from oit.models import Result
from tests.oit.web import HUGE_BYTES, YEAR

# The local site is on 127.0.0.1: these tests run with the guard's flag on, as the issue says;
# tests/oit/test_checker_guard.py runs with it off.
LOCAL = Limits(allow_private=True, timeout=1, max_bytes=1024 * 1024)


@pytest.fixture
def checker():
    with Checker(LOCAL) as checker:
        yield checker


@pytest.mark.parametrize(
    "path, result, mentions_year, title",
    [
        ("/good", Result.OK, True, "แผนปฏิบัติการ"),
        ("/good-thai", Result.OK, True, "รายงานผล"),
        ("/last-year", Result.WRONG_YEAR, False, "แผนปฏิบัติการ"),
        ("/pdf-year", Result.OK, True, "Report"),
        ("/pdf-old", Result.WRONG_YEAR, False, f"Annual report fiscal year {YEAR - 1}"),
        ("/pdf-as-binary", Result.OK, True, "Plan"),
        ("/image", Result.NOT_DOCUMENT, None, ""),
        ("/empty", Result.NOT_DOCUMENT, None, ""),
        ("/login", Result.NOT_DOCUMENT, None, "เข้าสู่ระบบ"),
        ("/docx", Result.OK, None, ""),
        ("/chain/5", Result.OK, True, "แผนปฏิบัติการ"),
    ],
)
def test_verdict_on_each_kind_of_page(web, checker, path, result, mentions_year, title):
    verdict = checker.check(web.url(path), YEAR)

    assert (verdict.result, verdict.mentions_year, verdict.title) == (result, mentions_year, title)
    assert verdict.status_code == 200


def test_a_good_page_records_what_was_found(web, checker):
    verdict = checker.check(web.url("/good"), YEAR)

    assert verdict.final_url == web.url("/good")
    assert verdict.content_type == "text/html; charset=utf-8"
    assert verdict.size == verdict.bytes_read > 0
    assert verdict.last_modified.isoformat() == "2025-10-01T08:00:00+00:00"
    assert verdict.detail == ""


def test_the_year_only_in_a_script_or_inside_a_longer_number_is_not_the_year(web, checker):
    verdict = checker.check(web.url("/last-year"), YEAR)

    assert verdict.result == Result.WRONG_YEAR
    assert verdict.detail == f"ไม่พบ พ.ศ. {YEAR} ในเนื้อหา"


def test_a_page_of_last_year_is_ok_for_last_year(web, checker):
    assert checker.check(web.url("/last-year"), YEAR - 1).result == Result.OK


def test_not_found_is_broken(web, checker):
    verdict = checker.check(web.url("/missing"), YEAR)

    assert (verdict.result, verdict.status_code, verdict.detail) == (
        Result.BROKEN,
        404,
        "HTTP 404",
    )


def test_a_redirect_loop_is_broken(web, checker):
    verdict = checker.check(web.url("/loop-a"), YEAR)

    assert verdict.result == Result.BROKEN
    assert "วนกลับ" in verdict.detail


def test_six_redirects_are_one_too_many(web, checker):
    before = len(web.requests)
    verdict = checker.check(web.url("/chain/6"), YEAR)

    assert verdict.result == Result.BROKEN
    assert verdict.detail == "เปลี่ยนเส้นทางเกิน 5 ครั้ง"
    # The first request and five redirects followed, no more.
    assert len(web.requests) - before == 6


def test_a_page_slower_than_the_timeout_is_unreachable(web, checker):
    started = time.monotonic()
    verdict = checker.check(web.url("/slow?s=3"), YEAR)

    assert verdict.result == Result.UNREACHABLE
    assert verdict.detail == "หมดเวลารอ (1 วินาที)"
    assert time.monotonic() - started < 2.5


def test_a_50_mb_body_is_cut_at_the_cap_and_never_held_whole(web, checker):
    tracemalloc.start()
    try:
        verdict = checker.check(web.url("/huge"), YEAR)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert verdict.bytes_read == LOCAL.max_bytes
    assert verdict.size == HUGE_BYTES  # what the server announced
    assert verdict.result == Result.WRONG_YEAR
    assert "อ่านเฉพาะ 1 MB แรก" in verdict.detail
    # The cap is 1 MB; a 50 MB body read whole would show here.
    assert peak < 12 * 1024 * 1024


def test_requests_name_the_app(web, checker, settings):
    settings.ITA_SITE_URL = "https://ita.example.go.th"
    with Checker(Limits.from_settings(allow_private=True)) as named:
        named.check(web.url("/good?ua"), YEAR)

    headers = next(headers for path, headers in web.requests if path == "/good?ua")
    assert headers["User-Agent"] == "ITA-Tracker-LinkCheck/1.0 (+https://ita.example.go.th)"


def test_limits_come_from_the_settings(settings):
    settings.ITA_LINKCHECK_TIMEOUT = 7
    settings.ITA_LINKCHECK_MAX_BYTES = 2_000_000
    settings.ITA_LINKCHECK_PER_HOST = 2
    settings.ITA_LINKCHECK_CONCURRENCY = 5
    settings.ITA_LINKCHECK_ALLOW_PRIVATE = False

    limits = Limits.from_settings()

    assert (limits.timeout, limits.max_bytes, limits.per_host, limits.overall) == (
        7,
        2_000_000,
        2,
        5,
    )
    assert limits.allow_private is False
    assert limits.max_redirects == 5


def test_one_host_gets_at_most_per_host_requests_at_once(web, monkeypatch):
    busy, most = 0, 0
    lock = threading.Lock()
    original = Checker._follow

    def counted(self, url, year):
        nonlocal busy, most
        with lock:
            busy += 1
            most = max(most, busy)
        try:
            time.sleep(0.05)
            return original(self, url, year)
        finally:
            with lock:
                busy -= 1

    monkeypatch.setattr(Checker, "_follow", counted)
    limits = Limits(allow_private=True, timeout=2, per_host=3, overall=10)
    with Checker(limits) as checker:
        verdicts = checker.check_many((web.url(f"/good?n={n}"), YEAR) for n in range(20))

    assert len(verdicts) == 20
    assert {verdict.result for verdict in verdicts.values()} == {Result.OK}
    assert most == 3


def test_each_address_and_year_is_fetched_once(web):
    with Checker(LOCAL) as checker:
        before = len(web.requests)
        verdicts = checker.check_many([(web.url("/good?once"), YEAR)] * 3)

    assert list(verdicts) == [(web.url("/good?once"), YEAR)]
    assert len(web.requests) - before == 1
