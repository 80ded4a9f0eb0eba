"""The rules that read one row of the seven-column plan table (no database)."""

from datetime import date

import pytest

from plans.documents import planrows
from plans.documents.planrows import Responsible, RowError


@pytest.mark.parametrize(
    ("cell", "actions"),
    [
        ("- ลงประกาศ\n- เพิ่มไอคอน", ["ลงประกาศ", "เพิ่มไอคอน"]),
        # A long bullet broken over two lines stays one action.
        (
            "- เพิ่มข้อมูลการประชาสัมพันธ์ของ\nหน่วยงานภาครัฐ (ITA)",
            ["เพิ่มข้อมูลการประชาสัมพันธ์ของ หน่วยงานภาครัฐ (ITA)"],
        ),
        # Without bullet marks, every line is an action.
        ("ลงรายงานผลรายไตรมาส", ["ลงรายงานผลรายไตรมาส"]),
        ("ข้อแรก\nข้อสอง", ["ข้อแรก", "ข้อสอง"]),
        ("• ข้อแรก\n\n  • ข้อสอง  ", ["ข้อแรก", "ข้อสอง"]),
        ("", []),
        ("  \n ", []),
    ],
)
def test_every_bullet_is_one_action(cell, actions):
    assert planrows.split_actions(cell) == actions


@pytest.mark.parametrize(
    ("printed", "standard"),
    [
        ("ฝ่ายคลัง", "ฝ่ายการคลัง"),
        ("- ฝ่ายการคลัง", "ฝ่ายการคลัง"),
        ("ฝ่าย ปกครอง", "ฝ่ายปกครอง"),
        ("ปกครอง", "ฝ่ายปกครอง"),
        ("ฝ่ายรักษาความสะอาด", "ฝ่ายรักษาความสะอาดและสวนสาธารณะ"),
        ("ทุกฝ่าย", "ทุกฝ่าย"),
    ],
)
def test_division_names_are_normalised(printed, standard):
    assert planrows.normalise_division_name(printed) == standard


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("- ฝ่ายปกครอง /ทุกฝ่าย", Responsible("ฝ่ายปกครอง", (), True)),
        ("- ฝ่ายปกครอง/ทุกฝ่าย", Responsible("ฝ่ายปกครอง", (), True)),
        ("- ฝ่ายปกครอง", Responsible("ฝ่ายปกครอง", (), False)),
        ("- ฝ่ายคลัง", Responsible("ฝ่ายการคลัง", (), False)),
        ("- ทุกฝ่าย", Responsible(None, (), True)),
        ("ฝ่ายโยธา, ฝ่ายเทศกิจ / ฝ่ายโยธา", Responsible("ฝ่ายโยธา", ("ฝ่ายเทศกิจ",), False)),
        ("- ฝ่ายปกครอง\n- ฝ่ายการคลัง", Responsible("ฝ่ายปกครอง", ("ฝ่ายการคลัง",), False)),
        ("", Responsible(None, (), False)),
    ],
)
def test_the_responsible_cell_gives_a_lead_and_the_others(cell, expected):
    assert planrows.parse_responsible(cell) == expected


def seed_row(**changes):
    row = {
        planrows.ITEM: "o26",
        planrows.ANALYSIS: "- ไม่มีการแสดงการดำเนินการ",
        planrows.ISSUES: "- จัดทำหลักฐาน",
        planrows.IMPROVEMENT: "- แสดงหลักฐานบนเว็บไซต์",
        planrows.RESPONSIBLE: "- ฝ่ายปกครอง /ทุกฝ่าย",
        planrows.WINDOW: "ต.ค. 64 – มิ.ย. 65",
        planrows.METHOD: "ผลการดำเนินงานบนเว็บไซต์สำนักงานเขตพระโขนง",
    }
    return row | changes


def test_a_seed_row_reads_into_a_finding_and_its_actions():
    row = planrows.parse_plan_row(seed_row(), row=7)
    assert row.item_code == "O26"
    assert row.actions == ("แสดงหลักฐานบนเว็บไซต์",)
    assert row.responsible == Responsible("ฝ่ายปกครอง", (), True)
    assert row.window == (date(2021, 10, 1), date(2022, 6, 30))
    assert row.follow_up_method == "ผลการดำเนินงานบนเว็บไซต์สำนักงานเขตพระโขนง"


def test_empty_cells_stay_empty():
    row = planrows.parse_plan_row(seed_row(**{planrows.WINDOW: "", planrows.METHOD: ""}), row=3)
    assert row.window is None
    assert row.follow_up_method == ""


@pytest.mark.parametrize(
    ("changes", "column", "words"),
    [
        ({planrows.ITEM: " "}, planrows.ITEM, "ไม่ได้ระบุรหัสข้อ"),
        ({planrows.WINDOW: "ต.ค. 64 – ก.ย."}, planrows.WINDOW, "ต.ค. 64 – ก.ย."),
        ({planrows.WINDOW: "มิ.ย. 65 – ต.ค. 64"}, planrows.WINDOW, "สิ้นสุดก่อนเริ่ม"),
        ({planrows.RESPONSIBLE: ""}, planrows.RESPONSIBLE, "ไม่ได้ระบุฝ่าย"),
    ],
)
def test_a_bad_cell_is_named_by_row_and_column(changes, column, words):
    with pytest.raises(RowError) as caught:
        planrows.parse_plan_row(seed_row(**changes), row=12)
    assert caught.value.row == 12
    assert caught.value.column == column
    assert words in str(caught.value)
    assert str(caught.value).startswith(f"แถว 12, คอลัมน์ {column}:")


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("การปรับปรุงในการดำเนินงานในปีงบประมาณ พ.ศ. 2565", planrows.IMPROVEMENT),
        ("การปรับปรุงในการดำเนินงาน ในปีงบประมาณ พ.ศ. 2566", planrows.IMPROVEMENT),
        ("จุดเด่น/จุดด้อย/ ประเด็นที่จะต้องแก้ไข", planrows.ISSUES),
        ("จุดเด่น/จุดด้อย/ประเด็นที่ต้องแก้ไข", planrows.ISSUES),
        ("ระยะเวลาการ ติดตาม", planrows.WINDOW),
        (" ข้อ ", planrows.ITEM),
        ("หมายเหตุ", None),
    ],
)
def test_headers_are_matched_whatever_their_spacing_or_year(header, column):
    assert planrows.column_for(header) == column


@pytest.mark.parametrize(
    ("heading", "code"),
    [
        ("O26 การดำเนินการตามนโยบาย (คะแนนเฉลี่ย 0 คะแนน)", "O26"),
        ("-I11 มีความโปร่งใส (คะแนนเฉลี่ย 79.04)", "I11"),
        ("e 4 ในระยะเวลา 1 ปี", "E4"),
        ("ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่", ""),
        ("โครงสร้างหน่วยงาน (คะแนนเฉลี่ย 0 คะแนน)", ""),
    ],
)
def test_the_item_code_may_come_from_the_heading(heading, code):
    assert planrows.item_code_from_heading(heading) == code


def test_a_row_without_a_code_column_takes_the_code_of_its_heading():
    row = seed_row(**{planrows.ITEM: "", planrows.HEADING: "O26 การดำเนินการ (คะแนนเฉลี่ย 0 คะแนน)"})
    assert planrows.parse_plan_row(row, row=4).item_code == "O26"


def test_tool_and_indicator_heading_rows_are_sections():
    assert planrows.is_section_row({planrows.HEADING: "ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่"})
    assert planrows.is_section_row({planrows.HEADING: "IIT การรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน"})
    assert not planrows.is_section_row(seed_row())
    assert not planrows.is_section_row({planrows.HEADING: "O1 โครงสร้าง"})
