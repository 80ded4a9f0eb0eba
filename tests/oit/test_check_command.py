"""A run of the link checker (oit/runs.py) and the check_oit_links command."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from oit.checker import Limits
from oit.models import CheckRun, LinkCheck, PublishedUrl, Readiness, Result
from oit.runs import run_checks
from tests.factories import make_framework, make_organization, make_user

LOCAL = Limits(allow_private=True, timeout=1, max_bytes=1024 * 1024)


def publish(organization, framework, code, *urls):
    readiness = Readiness.objects.create(
        organization=organization, item=framework.items.get(code=code)
    )
    for order, url in enumerate(urls):
        PublishedUrl.objects.create(readiness=readiness, url=url, order=order)
    return readiness


@pytest.fixture
def world(db, web):
    """Phra Khanong with four OIT items published on the local site, Khlong Toei with one."""
    framework = make_framework(fiscal_year=2569)
    district = make_organization()
    other = make_organization(code="1033", name_th="เขตคลองเตย")
    publish(district, framework, "O1", web.url("/good"), web.url("/pdf-year"))
    publish(district, framework, "O2", web.url("/last-year"))
    publish(district, framework, "O3", web.url("/missing"))
    publish(district, framework, "O4", web.url("/image"))
    publish(other, framework, "O1", web.url("/good?other"))
    return district, other, framework


def test_a_run_records_each_address_and_marks_it_latest(world):
    district, _other, _framework = world
    user = make_user("owner")

    run = run_checks(district, fiscal_year=2569, user=user, limits=LOCAL)

    assert (run.organization, run.user, run.urls) == (district, user, 5)
    assert run.finished_at is not None
    assert run.counts == {
        "ok": 2,
        "broken": 1,
        "wrong_year": 1,
        "not_document": 1,
        "unreachable": 0,
    }
    found = {
        url.url.rsplit("/", 1)[1]: url.latest.result
        for url in PublishedUrl.objects.filter(readiness__organization=district)
    }
    assert found == {
        "good": Result.OK,
        "pdf-year": Result.OK,
        "last-year": Result.WRONG_YEAR,
        "missing": Result.BROKEN,
        "image": Result.NOT_DOCUMENT,
    }
    assert set(LinkCheck.objects.values_list("run", flat=True)) == {run.pk}


def test_a_run_for_one_organization_touches_only_its_addresses(world, web):
    district, other, _framework = world
    before = len(web.requests)

    run_checks(district, fiscal_year=2569, limits=LOCAL)

    theirs = PublishedUrl.objects.get(readiness__organization=other)
    assert theirs.latest is None
    assert not LinkCheck.objects.filter(published=theirs).exists()
    assert "/good?other" not in [path for path, _headers in web.requests[before:]]


def test_a_run_for_all_checks_every_organization(world):
    run = run_checks(fiscal_year=2569, limits=LOCAL)

    assert run.organization is None
    assert run.urls == 6
    assert not PublishedUrl.objects.filter(latest__isnull=True).exists()


def test_a_new_run_moves_latest_and_keeps_the_history(world):
    district, _other, _framework = world
    first = run_checks(district, fiscal_year=2569, limits=LOCAL)
    second = run_checks(district, fiscal_year=2569, limits=LOCAL)

    assert {url.latest.run_id for url in PublishedUrl.objects.filter(latest__isnull=False)} == {
        second.pk
    }
    assert first.checks.count() == second.checks.count() == 5


def test_addresses_of_another_year_are_not_checked(world):
    district, _other, _framework = world

    run = run_checks(district, fiscal_year=2570, limits=LOCAL)

    assert run.urls == 0
    assert run.counts["ok"] == 0


def test_the_year_demanded_is_the_items_edition_year(db, web):
    framework = make_framework(fiscal_year=2568)
    district = make_organization()
    publish(district, framework, "O1", web.url("/last-year"))

    run = run_checks(district, fiscal_year=2568, limits=LOCAL)

    assert run.counts["ok"] == 1


@pytest.fixture
def allow_local(settings):
    settings.ITA_LINKCHECK_ALLOW_PRIVATE = True
    settings.ITA_LINKCHECK_TIMEOUT = 2


def test_the_command_prints_counts_and_the_links_to_fix(world, allow_local):
    out = StringIO()

    call_command("check_oit_links", "--organization", "1009", "--year", "2569", stdout=out)

    text = out.getvalue()
    assert "ตรวจ 5 ที่อยู่ของเขตพระโขนง ปีงบประมาณ 2569" in text
    assert "  ใช้ได้: 2" in text
    assert "  ลิงก์เสีย: 1" in text
    assert "1009 O3 " in text and "/missing — HTTP 404" in text
    assert "1009 O2 " in text and "ไม่พบ พ.ศ. 2569 ในเนื้อหา" in text
    assert "1033" not in text
    run = CheckRun.objects.get()
    assert (run.organization.code, run.fiscal_year, run.user) == ("1009", 2569, None)


def test_the_command_defaults_to_every_organization_and_the_latest_year(world, allow_local):
    out = StringIO()

    call_command("check_oit_links", stdout=out)

    run = CheckRun.objects.get()
    assert (run.organization, run.fiscal_year, run.urls) == (None, 2569, 6)
    assert "ทุกหน่วยงาน" in out.getvalue()


def test_the_command_takes_an_edition_name(world, allow_local):
    call_command(
        "check_oit_links",
        "--year",
        "2569",
        "--edition",
        "ITA ของสำนักงานเขต กรุงเทพมหานคร",
        stdout=StringIO(),
    )

    assert CheckRun.objects.get().urls == 6


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--organization", "9999"], "ไม่พบหน่วยงานรหัส 9999"),
        (["--year", "2569", "--edition", "ไม่มีชุดนี้"], "ไม่มีชุดการประเมินชื่อ"),
    ],
)
def test_the_command_refuses_wrong_arguments_and_records_nothing(world, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("check_oit_links", *arguments, stdout=StringIO())

    assert not CheckRun.objects.exists()
