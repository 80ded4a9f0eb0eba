"""A plan file in the seven-column layout: findings and actions, or nothing and a clear error."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.tables import TableError
from plans.loaders import load_divisions, load_plan, read_plan_table
from plans.models import Action, Finding, PlanTally
from tests.factories import make_plan

pytestmark = pytest.mark.django_db

HEADER = (
    "ข้อ,หัวข้อการประเมิน,การวิเคราะห์การดำเนินงาน,จุดเด่น/จุดด้อย/ประเด็นที่จะต้องแก้ไข,"
    "การปรับปรุงในการดำเนินงานในปีงบประมาณ พ.ศ. 2565,ผู้รับผิดชอบ,ระยะเวลาการติดตาม,วิธีการติดตาม\n"
)


@pytest.fixture
def plan(assessment, district):
    load_divisions(district, ["ฝ่ายปกครอง", "ฝ่ายการคลัง", "ฝ่ายโยธา"])
    return make_plan(assessment)


def write(tmp_path, rows):
    return read_plan_table((HEADER + rows).encode(), "plan.csv")


GOOD = (
    'O1,โครงสร้าง,- วิเคราะห์,- จุดด้อย,"- ทำข้อแรก\n- ทำข้อสอง",- ฝ่ายคลัง,'
    "ต.ค. 64 – มิ.ย. 65,ผลการดำเนินงานบนเว็บไซต์\n"
    "I1,,- วิเคราะห์,- จุดด้อย,- เวียนแจ้งคู่มือ,- ฝ่ายปกครอง /ทุกฝ่าย,,\n"
)


def test_a_plan_file_loads_and_loading_it_again_changes_nothing(tmp_path, plan):
    path = write(tmp_path, GOOD)
    counts = load_plan(plan, path)
    assert (counts["findings"].created, counts["actions"].created) == (2, 3)
    o1 = Finding.objects.get(item__code="O1")
    assert [a.text for a in o1.actions.all()] == ["ทำข้อแรก", "ทำข้อสอง"]
    assert {a.lead_division.name for a in o1.actions.all()} == {"ฝ่ายการคลัง"}
    i1 = Action.objects.get(finding__item__code="I1")
    assert (i1.lead_division.name, i1.all_divisions, i1.due_on) == ("ฝ่ายปกครอง", True, None)
    counts = load_plan(plan, path)
    assert (counts["findings"].unchanged, counts["actions"].unchanged) == (2, 3)


def test_the_plan_is_recounted_once_for_the_whole_file(tmp_path, plan):
    with CaptureQueriesContext(connection) as queries:
        load_plan(plan, write(tmp_path, GOOD))
    upserts = [q for q in queries.captured_queries if q["sql"].startswith("INSERT INTO")]
    assert len([q for q in upserts if "plans_plantally" in q["sql"]]) == 1
    tally = PlanTally.objects.get(plan=plan)
    assert (tally.actions, tally.done, tally.cancelled) == (3, 0, 0)


def test_other_divisions_are_kept_beside_the_lead(tmp_path, plan):
    load_plan(plan, write(tmp_path, "E1,,,,- ประชาสัมพันธ์,ฝ่ายโยธา / ฝ่ายการคลัง,,\n"))
    action = Action.objects.get()
    assert action.lead_division.name == "ฝ่ายโยธา"
    assert [d.name for d in action.divisions.all()] == ["ฝ่ายการคลัง"]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("O9,,,,- ทำ,- ฝ่ายปกครอง,,\n", "แถว 3, คอลัมน์ ข้อ: ไม่มีข้อ O9 ในชุดการประเมินปี 2564"),
        ("O1,,,,- ทำ,- ฝ่ายปกครอง,,\n", "แถว 3, คอลัมน์ ข้อ: ข้อ O1 ซ้ำกับแถว 2"),
        ("E2,,,,- ทำ,- ฝ่ายเทศกิจ,,\n", "แถว 3, คอลัมน์ ผู้รับผิดชอบ: ไม่มีฝ่ายเทศกิจในเขตพระโขนง"),
        ("E2,,,,- ทำ,- ฝ่ายปกครอง,ต.ค. 64 ถึง,\n", "แถว 3, คอลัมน์ ระยะเวลาการติดตาม:"),
    ],
)
def test_one_bad_row_and_nothing_is_written(tmp_path, plan, rows, message):
    path = write(tmp_path, "O1,,- วิเคราะห์,,- ทำ,- ฝ่ายปกครอง,,\n" + rows)
    with pytest.raises(TableError) as caught:
        load_plan(plan, path)
    assert any(str(error).startswith(message) for error in caught.value.errors), caught.value.errors
    assert not Finding.objects.exists()
    assert not Action.objects.exists()


def test_rows_are_counted_as_in_a_spreadsheet_even_with_multi_line_cells(tmp_path, plan):
    path = write(tmp_path, GOOD + "O9,,,,- ทำ,- ฝ่ายปกครอง,,\n")
    with pytest.raises(TableError) as caught:
        load_plan(plan, path)
    assert str(caught.value.errors[0]).startswith("แถว 4, คอลัมน์ ข้อ: ไม่มีข้อ O9")
