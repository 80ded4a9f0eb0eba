"""export_plan writes the official table; import_plan reads it back, all or nothing."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from assessments.models import ImportRecord, Organization
from plans.management.commands.import_plan import Command as ImportPlan
from plans.models import Action, Finding, Plan
from tests.factories import make_assessment, make_framework

pytestmark = pytest.mark.django_db


def command(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def exported(demo, tmp_path):
    path = tmp_path / "plan.xlsx"
    command(
        "export_plan",
        "--organization",
        "1009",
        "--year",
        "2565",
        "--format",
        "xlsx",
        "--output",
        str(path),
    )
    return path


def test_the_export_is_laid_out_like_the_seed(exported):
    workbook = load_workbook(exported)
    sheet = workbook["แผนปรับปรุง"]
    assert [cell.value for cell in sheet[2]] == [
        "หัวข้อการประเมิน",
        "การวิเคราะห์การดำเนินงาน",
        "จุดเด่น/จุดด้อย/ประเด็นที่จะต้องแก้ไข",
        "การปรับปรุงในการดำเนินงานในปีงบประมาณ พ.ศ. 2565",
        "ผู้รับผิดชอบ",
        "ระยะเวลาการติดตาม",
        "วิธีการติดตาม",
    ]
    assert "เขตพระโขนง" in sheet["A1"].value
    assert sheet.freeze_panes == "A3"
    assert sheet.print_title_rows == "$2:$2"
    assert (sheet.page_setup.orientation, sheet.page_setup.paperSize) == ("landscape", 9)
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=3) if row[0].value}
    assert "หัวข้อ การเปิดเผยข้อมูลสาธารณะ (OIT)" in rows
    assert "ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่ คะแนนเฉลี่ย 91.25" in rows
    i1 = next(row for key, row in rows.items() if key.startswith("I1 "))
    assert i1[0].value.endswith("(คะแนนเฉลี่ย 84.67)")
    assert i1[4].value == "ฝ่ายปกครอง /ทุกฝ่าย"
    assert i1[5].value == "ต.ค. 64 – มิ.ย. 65"
    o1 = next(row for key, row in rows.items() if key.startswith("O1 "))
    # O1's three actions: one row each, under the item, analysis and issues merged down them.
    first = o1[0].row
    block = list(sheet.iter_rows(min_row=first, max_row=first + 2))
    assert [row[3].value for row in block] == [
        "- เพิ่มเติมการแสดงความสัมพันธ์ของโครงสร้างหน่วยงานทั้งหมดของกรุงเทพมหานคร",
        "- เพิ่มเติมการแสดงความสัมพันธ์ของโครงสร้างโรงเรียนในสังกัดสำนักงานเขต",
        "- เพิ่มลิงก์ข้อมูลในโครงสร้างของสำนักงานเขตเพื่อให้เชื่อมโยงข้อมูลได้อย่างสะดวก เช่น อานาจหน้าที่ เบอร์โทรศัพท์",
    ]
    assert all(row[4].value for row in block)
    merged = {str(cell_range) for cell_range in sheet.merged_cells.ranges}
    assert {f"{column}{first}:{column}{first + 2}" for column in "ABC"} <= merged
    # A bullet is text, not a formula, and shows as typed.
    assert (o1[3].data_type, o1[3].quotePrefix) == ("s", True)
    scores = workbook["คะแนน"]
    values = {row[0].value: row[2].value for row in scores.iter_rows(min_row=3)}
    assert values["E13"] == pytest.approx(64.23)
    assert values["O26"] == 0


def test_user_text_that_looks_like_a_formula_stays_text(demo, tmp_path):
    finding = Finding.objects.get(plan__fiscal_year=2565, item__code="O1")
    finding.analysis = '=HYPERLINK("http://evil.example","click")'
    finding.save()
    path = tmp_path / "plan.xlsx"
    command("export_plan", "--organization", "1009", "--year", "2565", "--output", str(path))
    sheet = load_workbook(path)["แผนปรับปรุง"]
    cell = next(row[1] for row in sheet.iter_rows(min_row=3) if str(row[0].value).startswith("O1 "))
    assert cell.value == '=HYPERLINK("http://evil.example","click")'
    assert cell.data_type == "s"


def test_export_then_dry_run_import_reports_zero_changes(exported):
    out, _ = command(
        "import_plan", str(exported), "--organization", "1009", "--year", "2565", "--dry-run"
    )
    assert "ประเด็น ใหม่ 0, ปรับปรุง 0, ไม่เปลี่ยน 83" in out
    assert "การปรับปรุง ใหม่ 0, ปรับปรุง 0, ไม่เปลี่ยน 103" in out


def test_a_changed_cell_is_one_update_and_a_dry_run_writes_nothing(exported, tmp_path):
    workbook = load_workbook(exported)
    sheet = workbook["แผนปรับปรุง"]
    row = next(r for r in sheet.iter_rows(min_row=3) if str(r[0].value).startswith("E13 "))
    row[3].value = "- ประชาสัมพันธ์แอปพลิเคชัน BMA Q\n- เพิ่มตู้บริการอัตโนมัติ"
    changed = tmp_path / "changed.xlsx"
    workbook.save(changed)
    out, _ = command(
        "import_plan", str(changed), "--organization", "1009", "--year", "2565", "--dry-run"
    )
    assert "การปรับปรุง ใหม่ 1, ปรับปรุง 1, ไม่เปลี่ยน 102" in out
    e13 = Finding.objects.get(plan__fiscal_year=2565, item__code="E13")
    assert e13.actions.count() == 1
    out, _ = command("import_plan", str(changed), "--organization", "1009", "--year", "2565")
    assert e13.actions.count() == 2
    assert ImportRecord.objects.filter(kind="plan", file_name="changed.xlsx").exists()


def test_a_bad_plan_file_lists_every_error_and_writes_nothing(demo, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "ข้อ,หัวข้อการประเมิน,การปรับปรุงในการดำเนินงาน,ผู้รับผิดชอบ,ระยะเวลาการติดตาม\n"
        "O99,,- ทำ,ฝ่ายปกครอง,\n"
        "I1,,- ทำ,ฝ่ายดับเพลิง,\n"
        "I2,,- ทำ,ฝ่ายปกครอง,ก.ย. 65 – ต.ค. 64\n",
        encoding="utf-8",
    )
    actions = Action.objects.count()
    with pytest.raises(CommandError) as caught:
        command("import_plan", str(path), "--organization", "1009", "--year", "2565")
    assert "ไม่มีข้อมูลใดถูกบันทึก" in str(caught.value)
    assert Action.objects.count() == actions
    assert not ImportRecord.objects.filter(kind="plan").exists()


def test_errors_are_printed_one_per_line(demo, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(
        "ข้อ,หัวข้อการประเมิน,การปรับปรุงในการดำเนินงาน,ผู้รับผิดชอบ\n"
        "O99,,- ทำ,ฝ่ายปกครอง\nI1,,- ทำ,ฝ่ายดับเพลิง\n",
        encoding="utf-8",
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_plan", str(path), "--organization", "1009", "--year", "2565", stderr=err
        )
    assert err.getvalue().splitlines() == [
        "แถว 2, คอลัมน์ ข้อ: ไม่มีข้อ O99 ในชุดการประเมินปี 2564",
        "แถว 3, คอลัมน์ ผู้รับผิดชอบ: ไม่มีฝ่ายดับเพลิงในเขตพระโขนง",
    ]


def test_a_new_plan_year_answers_the_previous_years_assessment(demo, exported):
    command("import_plan", str(exported), "--organization", "1009", "--year", "2565")
    with pytest.raises(CommandError) as caught:
        command("import_plan", str(exported), "--organization", "1009", "--year", "2567")
    assert "ไม่พบผลการประเมินของหน่วยงาน 1009 ปีงบประมาณ 2566" in str(caught.value)
    assert "นำเข้าคะแนนก่อน" in str(caught.value)
    assert not Plan.objects.filter(fiscal_year=2567).exists()


def test_a_year_with_two_editions_needs_the_edition(demo, exported):
    organization = Organization.objects.get(code="1009")
    for name in ("ITA ของสำนักงานเขต กรุงเทพมหานคร", "ITA ระดับประเทศ"):
        make_assessment(organization, make_framework(2565, name=name))
    with pytest.raises(CommandError) as caught:
        command("import_plan", str(exported), "--organization", "1009", "--year", "2566")
    assert "มากกว่าหนึ่งชุด" in str(caught.value)
    assert "“ITA ระดับประเทศ”" in str(caught.value)
    assert not Plan.objects.filter(fiscal_year=2566).exists()

    plan = ImportPlan.plan_for(organization, 2566, "ITA ระดับประเทศ")
    assert plan.assessment.framework.name == "ITA ระดับประเทศ"
    assert plan.assessment.framework.fiscal_year == 2565
