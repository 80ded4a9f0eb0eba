"""Copy an edition into another year: everything copied, each item linked to its source."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessments.editions import EditionError
from assessments.framework_book import export_book, import_book
from assessments.framework_copy import copy_framework
from assessments.loaders import load_framework
from assessments.models import Framework, ItemLink, LevelBand

pytestmark = pytest.mark.django_db

CATALOG_2564 = Path(__file__).resolve().parents[2] / "fixtures" / "ita2564"


@pytest.fixture
def ita2564():
    framework = load_framework(CATALOG_2564)
    framework.issuer = "กรุงเทพมหานคร"
    framework.save()
    LevelBand.objects.create(framework=framework, label="A+", min_score=85, min_each_tool=85)
    return framework


def test_a_copy_has_everything_and_every_item_is_linked_to_its_source(ita2564):
    result = copy_framework(ita2564, 2565)

    copy = Framework.objects.get(fiscal_year=2565)
    assert result.framework == copy
    assert (copy.name, copy.issuer, copy.pass_mark) == (ita2564.name, "กรุงเทพมหานคร", 85)
    assert (result.tools, result.indicators, result.items, result.bands, result.links) == (
        3,
        10,
        88,
        8,
        88,
    )
    assert copy.bands.get(label="A+").min_each_tool == 85
    assert copy.items.get(code="O31").indicator.tool.code == "OIT"
    assert copy.items.get(code="O31").kind == "checklist"
    links = ItemLink.objects.between(ita2564, copy)
    assert links.count() == 88
    assert {(link.from_item.code, link.to_item.code) for link in links} == {
        (code, code) for code in ita2564.items.values_list("code", flat=True)
    }
    assert set(links.values_list("status", "similarity")) == {(ItemLink.Status.CONFIRMED, 100)}


def test_the_copy_exported_reads_back_as_the_source_does(ita2564):
    """Same sheets but the year; the links sheet lists every item's source."""
    copy = copy_framework(ita2564, 2565).framework

    assert import_book(export_book(copy), "copy.xlsx").total_changes == 0


def test_an_existing_target_is_refused_and_nothing_is_written(ita2564):
    copy_framework(ita2564, 2565)

    with pytest.raises(EditionError, match=r"มีชุดการประเมิน .* ปีงบประมาณ 2565 อยู่แล้ว"):
        copy_framework(ita2564, 2565)

    assert Framework.objects.filter(fiscal_year=2565).count() == 1
    assert ItemLink.objects.count() == 88


def test_a_copy_under_another_name_may_share_the_year(ita2564):
    copy_framework(ita2564, 2565, "ITA ระดับประเทศ")

    assert copy_framework(ita2564, 2565).framework.name == ita2564.name
    assert Framework.objects.filter(fiscal_year=2565).count() == 2


def test_a_copy_into_an_earlier_year_is_refused(ita2564):
    with pytest.raises(EditionError, match="ปีเดียวกันหรือปีถัดไปเท่านั้น"):
        copy_framework(ita2564, 2563)
    assert Framework.objects.count() == 1


def test_the_command_copies_and_prints_the_counts(ita2564):
    out = StringIO()

    call_command("copy_framework", "--from-year", "2564", "--to-year", "2565", stdout=out)

    assert "ข้อ 88 ระดับ 8 การเชื่อมโยงข้อ 88" in out.getvalue()
    assert Framework.objects.get(fiscal_year=2565).items.count() == 88


def test_the_command_refuses_an_existing_target_in_thai(ita2564):
    call_command("copy_framework", "--from-year", "2564", "--to-year", "2565", stdout=StringIO())

    with pytest.raises(CommandError, match="อยู่แล้ว จึงไม่คัดลอกทับ"):
        call_command("copy_framework", "--from-year", "2564", "--to-year", "2565")


def test_the_command_asks_which_edition_when_the_year_has_two(ita2564):
    Framework.objects.create(fiscal_year=2564, name="ITA ระดับประเทศ")

    with pytest.raises(CommandError, match="ระบุ --edition"):
        call_command("copy_framework", "--from-year", "2564", "--to-year", "2565")
    call_command(
        "copy_framework",
        "--from-year",
        "2564",
        "--from-edition",
        ita2564.name,
        "--to-year",
        "2565",
        "--to-edition",
        "ITA 2565",
        stdout=StringIO(),
    )
    assert Framework.objects.get(fiscal_year=2565).name == "ITA 2565"
