"""One edition in one workbook: read all or nothing, compare on re-import, export and back."""

import io
import zipfile
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessments.framework_book import export_book, import_book
from assessments.loaders import load_framework
from assessments.models import Framework, ImportRecord, Item, ItemLink, LevelBand, Tool
from assessments.tables import TableError, read_workbook
from tests.assessments.editions_2566 import (
    COUNTERPART_2564,
    EDITION_2566,
    OIT_2566,
    book_sheets,
    build_2566_workbook,
    workbook_bytes,
)
from tests.factories import make_assessment, make_organization

pytestmark = pytest.mark.django_db

CATALOG_2564 = Path(__file__).resolve().parents[2] / "fixtures" / "ita2564"


@pytest.fixture
def ita2564():
    return load_framework(CATALOG_2564)


def refusal(data: bytes, **kwargs) -> list[str]:
    with pytest.raises(TableError) as caught:
        import_book(data, "book.xlsx", **kwargs)
    return caught.value.lines()


def with_cell(sheet: str, row: int, column: str, value, sheets=None) -> bytes:
    """The 2566 workbook with one cell changed (``row`` as the spreadsheet numbers it)."""
    sheets = sheets or book_sheets()
    header = sheets[sheet][0]
    if column not in header:
        header.append(column)
    line = sheets[sheet][row - 1]
    line.extend([None] * (len(header) - len(line)))
    line[header.index(column)] = value
    return workbook_bytes(sheets)


# Round trips -------------------------------------------------------------------------------


def test_the_shipped_2564_edition_exported_and_imported_back_changes_nothing(ita2564):
    before = list(Item.objects.values_list("pk", "code", "order", "text", "name", "kind"))

    result = import_book(export_book(ita2564), "ita2564.xlsx")

    assert ita2564.issuer == "กรุงเทพมหานคร"  # from the fixture, and through the round trip
    assert result.total_changes == 0
    assert not result.new_edition
    assert result.diffs["items"].unchanged == 88
    assert result.diffs["levels"].unchanged == 7
    assert result.diffs["tools"].unchanged == 3
    assert result.diffs["indicators"].unchanged == 10
    assert list(Item.objects.values_list("pk", "code", "order", "text", "name", "kind")) == before


def test_a_new_edition_is_created_from_its_workbook_and_recorded(ita2564):
    result = import_book(build_2566_workbook(), "ita2566.xlsx")

    framework = Framework.objects.get(fiscal_year=2566)
    assert result.new_edition and result.framework == framework
    assert (framework.name, framework.issuer, framework.pass_mark) == (
        EDITION_2566,
        "กรุงเทพมหานคร",
        Decimal("85"),
    )
    assert {
        code: text
        for code, text in framework.items.filter(code__startswith="O").values_list("code", "text")
    } == OIT_2566
    assert framework.items.get(code="O10").indicator.number == 9
    assert framework.items.get(code="O31").indicator.number == 10
    assert framework.items.get(code="O31").kind == Item.Kind.CHECKLIST
    assert framework.items.count() == 88
    assert (result.diffs["items"].created, result.diffs["tools"].created) == (88, 3)
    record = ImportRecord.objects.get()
    assert (record.kind, record.file_name, record.created) == (
        "catalog",
        "ita2566.xlsx",
        1 + 3 + 10 + 88 + 7,
    )


def test_the_links_sheet_confirms_links_from_the_earlier_edition(ita2564):
    data = build_2566_workbook(links_from=(2564, ita2564.name))

    result = import_book(data, "ita2566.xlsx")

    framework = Framework.objects.get(fiscal_year=2566)
    links = ItemLink.objects.between(ita2564, framework)
    expected = {old: new for new, old in COUNTERPART_2564.items() if old}
    assert {
        link.from_item.code: link.to_item.code for link in links if link.to_item.code[0] == "O"
    } == expected
    assert set(links.values_list("status", flat=True)) == {ItemLink.Status.CONFIRMED}
    assert result.diffs["links"].created == links.count() == len(expected) + 45
    # The export carries them, and reading it back changes nothing.
    assert import_book(export_book(framework), "again.xlsx").total_changes == 0


def test_a_new_edition_gets_links_suggested_from_the_texts(ita2564):
    result = import_book(build_2566_workbook(), "ita2566.xlsx")

    framework = Framework.objects.get(fiscal_year=2566)
    assert result.suggested_from == ita2564
    links = ItemLink.objects.between(ita2564, framework).select_related("from_item", "to_item")
    assert result.suggested == links.count() > 0
    assert set(links.values_list("status", flat=True)) == {ItemLink.Status.SUGGESTED}
    suggested = {link.to_item.code: link.from_item.code for link in links}
    # The renumbered OIT items are found under their new codes, from their texts alone.
    for new_code, old_code in (("O13", "O12"), ("O17", "O16"), ("O19", "O21"), ("O34", "O36")):
        assert suggested[new_code] == old_code == COUNTERPART_2564[new_code]
    # The new personal-data policy item continues nothing.
    assert "O10" not in suggested or suggested["O10"] != "O10"
    # 37 of the 39 continued items are paired right; the two others merge two 2564 items.
    right = sum(suggested.get(new) == old for new, old in COUNTERPART_2564.items() if old)
    assert right >= 0.9 * sum(1 for old in COUNTERPART_2564.values() if old)


def test_a_suggested_link_named_in_the_workbook_becomes_confirmed(ita2564):
    import_book(build_2566_workbook(), "ita2566.xlsx")
    framework = Framework.objects.get(fiscal_year=2566)
    suggested = ItemLink.objects.between(ita2564, framework)
    assert suggested.exists()
    assert not suggested.filter(status=ItemLink.Status.CONFIRMED).exists()

    result = import_book(build_2566_workbook(links_from=(2564, ita2564.name)), "again.xlsx")

    links = ItemLink.objects.between(ita2564, framework)
    expected = {old: new for new, old in COUNTERPART_2564.items() if old}
    assert {
        link.from_item.code: link.to_item.code for link in links if link.to_item.code[0] == "O"
    } == expected
    assert set(links.values_list("status", flat=True)) == {ItemLink.Status.CONFIRMED}
    assert result.diffs["links"].updated >= 1
    assert result.suggested == 0  # every item is linked now


# Refused workbooks: every error by sheet, row and column, nothing written -------------------


@pytest.mark.parametrize(
    ("sheet", "row", "column", "value", "message"),
    [
        (
            "framework",
            2,
            "fiscal_year",
            2023,
            "ชีต framework, แถว 2, คอลัมน์ fiscal_year: ปีงบประมาณ 2023",
        ),
        ("framework", 2, "pass_mark", "สูง", 'ชีต framework, แถว 2, คอลัมน์ pass_mark: "สูง" ไม่ใช่ตัวเลข'),
        ("framework", 2, "edition", "", "ชีต framework, แถว 2, คอลัมน์ edition: ต้องกรอก edition"),
        ("tools", 3, "weight", "abc", 'ชีต tools, แถว 3, คอลัมน์ weight: "abc" ไม่ใช่ตัวเลข'),
        ("tools", 4, "code", "IIT", "ชีต tools, แถว 4, คอลัมน์ code: “IIT” ซ้ำกับแถว 2"),
        ("indicators", 3, "tool", "XIT", "ชีต indicators, แถว 3, คอลัมน์ tool: ไม่มีเครื่องมือรหัส “XIT”"),
        (
            "indicators",
            3,
            "number",
            "หนึ่ง",
            "ชีต indicators, แถว 3, คอลัมน์ number: “หนึ่ง” ต้องเป็นจำนวนเต็ม",
        ),
        ("items", 3, "code", "I1", "ชีต items, แถว 3, คอลัมน์ code: “I1” ซ้ำกับแถว 2"),
        ("items", 2, "indicator", 99, "ชีต items, แถว 2, คอลัมน์ indicator: ไม่มีตัวชี้วัดที่ “99”"),
        ("items", 50, "kind", "yes/no", "ชีต items, แถว 50, คอลัมน์ kind: วิธีให้คะแนน “yes/no” ต้องเป็น"),
        ("items", 4, "text", "", "ชีต items, แถว 4, คอลัมน์ text: ต้องกรอก text"),
        ("items", 5, "order", "x", "ชีต items, แถว 5, คอลัมน์ order: “x” ต้องเป็นจำนวนเต็ม"),
        (
            "levels",
            2,
            "min_score",
            120,
            "ชีต levels, แถว 2, คอลัมน์ min_score: คะแนน 120 ต้องอยู่ระหว่าง 0 ถึง 100",
        ),
        (
            "levels",
            3,
            "min_each_tool",
            -5,
            "ชีต levels, แถว 3, คอลัมน์ min_each_tool: คะแนน -5 ต้องอยู่ระหว่าง",
        ),
        ("levels", 3, "label", "AA", "ชีต levels, แถว 3, คอลัมน์ label: “AA” ซ้ำกับแถว 2"),
    ],
)
def test_each_bad_cell_is_named_by_sheet_row_and_column(sheet, row, column, value, message):
    lines = refusal(with_cell(sheet, row, column, value))

    assert any(line.startswith(message) for line in lines), lines
    assert not Framework.objects.exists()
    assert not ImportRecord.objects.exists()


def test_every_error_of_every_sheet_is_listed_at_once():
    sheets = book_sheets()
    sheets["tools"][2][2] = "abc"
    sheets["items"][1][4] = "maybe"
    sheets["levels"][1][1] = 101

    lines = refusal(workbook_bytes(sheets))

    assert [line.split(":")[0] for line in lines if "แถว" in line] == [
        "ชีต tools, แถว 3, คอลัมน์ weight",
        "ชีต items, แถว 2, คอลัมน์ kind",
        "ชีต levels, แถว 2, คอลัมน์ min_score",
    ]


def test_tool_weights_that_do_not_add_up_to_100_say_by_how_much():
    lines = refusal(with_cell("tools", 2, "weight", 25))

    assert "ชีต tools, คอลัมน์ weight: น้ำหนักของเครื่องมือรวมกันได้ 95 ต้องเท่ากับ 100 (ขาดอีก 5)" in lines


def test_indicator_weights_that_miss_their_tool_say_by_how_much():
    lines = refusal(with_cell("indicators", 2, "weight", "6.5"))

    assert (
        "ชีต indicators, คอลัมน์ weight: น้ำหนักตัวชี้วัดของ IIT รวมกันได้ 30.5 "
        "ต้องเท่ากับน้ำหนักของเครื่องมือ 30 (เกิน 0.5)"
    ) in lines


def test_a_lowest_band_above_zero_is_refused():
    sheets = book_sheets()
    sheets["levels"][-1][1] = 10  # F ≥ 10: a total of 5 would have no level

    lines = refusal(workbook_bytes(sheets))

    assert any(line.startswith("ชีต levels, คอลัมน์ min_score: ระดับต่ำสุดต้องเริ่มที่ 0") for line in lines)


def test_bands_that_differ_only_by_the_minimum_of_each_tool_are_taken():
    sheets = book_sheets(bands=[("A+", 85, 85), ("A", 85, None), ("F", 0, None)])

    import_book(workbook_bytes(sheets), "book.xlsx")

    bands = LevelBand.objects.values_list("label", "min_score", "min_each_tool")
    assert list(bands) == [("A+", 85, 85), ("A", 85, None), ("F", 0, None)]


def test_two_bands_with_the_same_thresholds_are_refused():
    sheets = book_sheets(bands=[("A+", 85, 85), ("A", 85, 85), ("F", 0, None)])

    lines = refusal(workbook_bytes(sheets))

    assert "ชีต levels, แถว 3, คอลัมน์ min_score: “85 / 85” ซ้ำกับแถว 2" in lines


def test_a_missing_sheet_and_a_missing_column_are_named():
    sheets = book_sheets()
    del sheets["levels"]
    sheets["tools"] = [["code", "name"], ["IIT", "x"]]

    lines = refusal(workbook_bytes(sheets))

    assert "ชีต levels: ไม่มีชีต levels ในไฟล์" in lines
    assert "ชีต tools, แถว 1: ไม่มีคอลัมน์ weight" in lines


def test_links_to_an_unknown_edition_or_item_are_refused(ita2564):
    sheets = book_sheets(links_from=(2564, ita2564.name))
    sheets["links"].append([2563, "", "O1", "O1"])
    sheets["links"].append([2564, "ITA ระดับประเทศ", "O1", "O1"])
    sheets["links"].append([2564, ita2564.name, "O99", "O2"])
    sheets["links"].append([2564, ita2564.name, "O1", "O99"])
    last = len(sheets["links"])

    lines = refusal(workbook_bytes(sheets))

    assert f"ชีต links, แถว {last - 3}, คอลัมน์ from_year: ยังไม่มีชุดการประเมินของปีงบประมาณ 2563" in lines
    assert any(line.startswith(f"ชีต links, แถว {last - 2}, คอลัมน์ from_edition:") for line in lines)
    assert any(line.startswith(f"ชีต links, แถว {last - 1}, คอลัมน์ from_code:") for line in lines)
    assert f"ชีต links, แถว {last}, คอลัมน์ to_code: ไม่มีข้อ “O99” ในชีต items" in lines
    assert Framework.objects.count() == 1


def test_two_counterparts_for_one_item_are_refused(ita2564):
    sheets = book_sheets(links_from=(2564, ita2564.name))
    sheets["links"].append([2564, ita2564.name, "O1", "O10"])  # O1 already → O1

    lines = refusal(workbook_bytes(sheets))

    assert any(
        line.startswith(f"ชีต links, แถว {len(sheets['links'])}, คอลัมน์ from_code: ")
        for line in lines
    )


# Re-importing an edition that assessments use --------------------------------------------


@pytest.fixture
def scored_2564(ita2564):
    make_assessment(make_organization(), ita2564, {"I1": "80"})
    make_assessment(make_organization(code="1033", name_th="เขตคลองเตย"), ita2564)
    return ita2564


def exported_sheets(framework) -> dict[str, list[list]]:
    workbook = read_workbook(export_book(framework), "x.xlsx")
    return {
        title: [table.headers] + [[row.get(h, "") for h in table.headers] for _, row in table.rows]
        for title, table in workbook.sheets.items()
    }


def test_a_text_change_to_a_used_edition_is_taken(scored_2564):
    sheets = exported_sheets(scored_2564)
    sheets["items"][1][3] = "ข้อความที่แก้ไขแล้ว"
    sheets["framework"][1][2] = "กรุงเทพมหานคร (สำนักยุทธศาสตร์และประเมินผล)"

    result = import_book(workbook_bytes(sheets), "texts.xlsx")

    assert (result.diffs["items"].updated, result.diffs["framework"].updated) == (1, 1)
    assert result.total_changes == 2
    assert scored_2564.items.get(code="I1").text == "ข้อความที่แก้ไขแล้ว"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda s: s["items"].pop(),
            "ชีต items: “O43” ไม่มีในไฟล์ จะถูกลบ — ชุดการประเมินนี้มีผลการประเมินของหน่วยงาน 1009, 1033 แล้ว",
        ),
        (
            lambda s: s["items"][1].__setitem__(1, 2),
            "ชีต items, แถว 2, คอลัมน์ indicator: “I1” เปลี่ยน indicator",
        ),
        (
            lambda s: s["items"][1].__setitem__(4, "checklist"),
            "ชีต items, แถว 2, คอลัมน์ kind: “I1” เปลี่ยน kind",
        ),
        (
            lambda s: s["levels"][1].__setitem__(1, 94),
            "ชีต levels, แถว 2, คอลัมน์ min_score: “AA” เปลี่ยน min_score",
        ),
        (
            lambda s: s["framework"][1].__setitem__(3, 80),
            "ชีต framework, แถว 2, คอลัมน์ pass_mark:",
        ),
        (
            lambda s: (s["indicators"][1].__setitem__(3, 5), s["indicators"][2].__setitem__(3, 7)),
            "ชีต indicators, แถว 2, คอลัมน์ weight: “1” เปลี่ยน weight",
        ),
    ],
)
def test_a_change_that_would_alter_scores_is_refused_naming_the_assessments(
    scored_2564, change, expected
):
    sheets = exported_sheets(scored_2564)
    change(sheets)

    lines = refusal(workbook_bytes(sheets))

    assert any(line.startswith(expected) for line in lines), lines
    assert all("1009, 1033" in line for line in lines)
    assert scored_2564.items.count() == 88
    assert not ImportRecord.objects.exists()


def test_an_unused_edition_may_lose_an_item(ita2564):
    sheets = exported_sheets(ita2564)
    sheets["items"].pop()

    result = import_book(workbook_bytes(sheets), "fewer.xlsx")

    assert result.diffs["items"].removed == 1
    assert not ita2564.items.filter(code="O43").exists()


def test_a_dry_run_compares_and_writes_nothing(ita2564):
    result = import_book(build_2566_workbook(), "ita2566.xlsx", dry_run=True)

    assert result.new_edition and result.diffs["items"].created == 88
    assert Framework.objects.count() == 1
    assert not Tool.objects.filter(framework__fiscal_year=2566).exists()
    assert not ImportRecord.objects.exists()


# The reader keeps every limit of a single sheet -------------------------------------------


def test_the_workbook_reader_caps_rows_in_any_sheet(settings):
    settings.ITA_IMPORT_MAX_ROWS = 50

    lines = refusal(build_2566_workbook())

    assert lines == ["ตารางมีเกิน 50 แถว — แบ่งเป็นหลายไฟล์แล้วนำเข้าทีละไฟล์"]


def test_the_workbook_reader_caps_cells_over_all_sheets(settings):
    settings.ITA_IMPORT_MAX_CELLS = 500  # the items sheet alone has 6 × 89

    assert any("เกิน 500 ช่อง" in line for line in refusal(build_2566_workbook()))


def test_the_workbook_reader_names_the_sheet_of_repeated_headers():
    sheets = book_sheets()
    sheets["tools"][0] = ["code", "name", "code"]

    lines = refusal(workbook_bytes(sheets))

    assert lines == ["ชีต tools, แถว 1, คอลัมน์ C: หัวคอลัมน์ code ซ้ำกัน: คอลัมน์ A และ C"]


def test_the_workbook_reader_refuses_formulas_without_values():
    sheets = book_sheets()
    sheets["tools"][1][2] = "=100-70"  # openpyxl saves the formula, never its value

    lines = refusal(workbook_bytes(sheets))

    assert len(lines) == 1 and lines[0].startswith("ชีต tools, แถว 2, คอลัมน์ C: มีสูตรที่ไม่ได้บันทึกค่า")


def test_the_workbook_reader_refuses_a_csv_and_a_zip_bomb(settings):
    assert refusal(b"code,name\nIIT,x\n") == [
        "ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx) — ไฟล์ที่มีหลายชีตต้องบันทึกเป็น .xlsx"
    ]
    settings.ITA_IMPORT_MAX_COMPRESSION_RATIO = 2
    padded = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(build_2566_workbook())) as source,
        zipfile.ZipFile(padded, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        target.writestr("xl/padding.bin", b"\0" * 4 * 1024 * 1024)
    assert any("บีบอัดมากผิดปกติ" in line for line in refusal(padded.getvalue()))


# Commands ---------------------------------------------------------------------------------


def test_the_export_command_writes_a_workbook_the_import_command_takes_back(ita2564, tmp_path):
    path = tmp_path / "ita2564.xlsx"
    out = StringIO()
    call_command("export_framework", "--year", "2564", "--output", str(path), stdout=out)
    assert "ข้อ 88 ข้อ" in out.getvalue()

    out = StringIO()
    call_command("import_framework", str(path), stdout=out)

    assert "items: ใหม่ 0, ปรับปรุง 0, ลบ 0, ไม่เปลี่ยน 88" in out.getvalue()
    assert "รวมการเปลี่ยนแปลง 0 รายการ" in out.getvalue()
    assert ImportRecord.objects.get().kind == "catalog"


def test_the_export_command_asks_for_an_edition_when_a_year_has_two(ita2564, tmp_path):
    Framework.objects.create(fiscal_year=2564, name="ITA ระดับประเทศ")

    with pytest.raises(CommandError, match="ระบุ --edition"):
        call_command("export_framework", "--year", "2564", "--output", str(tmp_path / "x.xlsx"))
    call_command(
        "export_framework",
        "--year",
        "2564",
        "--edition",
        ita2564.name,
        "--output",
        str(tmp_path / "x.xlsx"),
        stdout=StringIO(),
    )
    assert (tmp_path / "x.xlsx").stat().st_size > 0


def test_the_import_command_prints_errors_to_stderr_and_fails(tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(with_cell("tools", 3, "weight", "abc"))
    err = StringIO()

    with pytest.raises(CommandError, match="ไม่ได้นำเข้า"):
        call_command("import_framework", str(path), stdout=StringIO(), stderr=err)

    assert 'ชีต tools, แถว 3, คอลัมน์ weight: "abc" ไม่ใช่ตัวเลข' in err.getvalue()
    assert not Framework.objects.exists()


def test_the_import_command_dry_run_writes_nothing(tmp_path):
    path = tmp_path / "ita2566.xlsx"
    path.write_bytes(build_2566_workbook())
    out = StringIO()

    call_command("import_framework", str(path), "--dry-run", stdout=out)

    assert "ตรวจแล้ว (dry run) ยังไม่บันทึก" in out.getvalue()
    assert "items: ใหม่ 88" in out.getvalue()
    assert not Framework.objects.exists()
    assert not ImportRecord.objects.exists()
