"""Text fields have lengths that fit real documents: longer is refused, by field or cell."""

import csv

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from assessments.tables import TableError
from plans.documents import planrows
from plans.forms import FindingForm, ProgressForm
from plans.loaders import load_divisions, load_plan, read_plan_table
from plans.models import (
    ACTION_TEXT_MAX_CHARS,
    ANALYSIS_MAX_CHARS,
    FOLLOW_UP_MAX_CHARS,
    ISSUES_MAX_CHARS,
    Action,
    Finding,
)
from tests.factories import make_plan

SEED_PLAN = settings.BASE_DIR / "fixtures" / "phra_khanong" / "plan_2565.csv"
HEADER = (
    "ข้อ,หัวข้อการประเมิน,การวิเคราะห์การดำเนินงาน,จุดเด่น/จุดด้อย/ประเด็นที่จะต้องแก้ไข,"
    "การปรับปรุงในการดำเนินงานในปีงบประมาณ พ.ศ. 2565,ผู้รับผิดชอบ,ระยะเวลาการติดตาม,วิธีการติดตาม\n"
)


def test_the_real_plan_fits_with_room_to_spare():
    """Every cell of the district's own plan is under a fifth of its limit."""
    with SEED_PLAN.open(encoding="utf-8-sig") as handle:
        rows = [
            {planrows.column_for(k): v for k, v in row.items()} for row in csv.DictReader(handle)
        ]
    longest = {
        column: max(len(row[column] or "") for row in rows)
        for column in (planrows.ANALYSIS, planrows.ISSUES, planrows.METHOD)
    }
    actions = [a for row in rows for a in planrows.split_actions(row[planrows.IMPROVEMENT])]
    assert longest[planrows.ANALYSIS] * 5 < ANALYSIS_MAX_CHARS
    assert longest[planrows.ISSUES] * 5 < ISSUES_MAX_CHARS
    assert longest[planrows.METHOD] * 5 < FOLLOW_UP_MAX_CHARS
    assert max(len(a) for a in actions) * 5 < ACTION_TEXT_MAX_CHARS


@pytest.mark.django_db
def test_an_over_long_analysis_is_refused_in_thai_by_the_form(assessment):
    finding = Finding.objects.create(
        plan=make_plan(assessment), item=assessment.framework.items.get(code="O1")
    )
    form = FindingForm(
        {"analysis": "ก" * (ANALYSIS_MAX_CHARS + 1), "issues": "", "version": finding.version},
        instance=finding,
    )
    assert not form.is_valid()
    assert form.errors["analysis"] == ["ยาวเกินไป: พิมพ์ได้ไม่เกิน 5000 ตัวอักษร (ตอนนี้ 5001 ตัวอักษร)"]


def test_the_progress_form_speaks_thai_for_every_limited_field():
    form = ProgressForm(action=Action(version=1), user=AnonymousUser())
    assert "ยาวเกินไป" in str(form.fields["note"].error_messages["max_length"])
    assert "ยาวเกินไป" in str(form.fields["evidence_url"].error_messages["max_length"])


@pytest.fixture
def plan(assessment, district):
    load_divisions(district, ["ฝ่ายปกครอง"])
    return make_plan(assessment)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            f'O1,,"{"ก" * 5001}",,- ทำ,ฝ่ายปกครอง,,\n',
            "แถว 2, คอลัมน์ การวิเคราะห์การดำเนินงาน: ข้อความยาว 5001 ตัวอักษร เกินที่รับได้ 5000",
        ),
        (
            f'O1,,,"{"ข" * 5001}",- ทำ,ฝ่ายปกครอง,,\n',
            "แถว 2, คอลัมน์ จุดเด่น/จุดด้อย/ประเด็นที่จะต้องแก้ไข: ข้อความยาว 5001 ตัวอักษร",
        ),
        (
            f'O1,,,,"- สั้น\n- {"ค" * 2001}",ฝ่ายปกครอง,,\n',
            "แถว 2, คอลัมน์ การปรับปรุงในการดำเนินงาน: การปรับปรุงข้อที่ 2: ข้อความยาว 2001",
        ),
        (
            f'O1,,,,- ทำ,ฝ่ายปกครอง,,"{"ง" * 1001}"\n',
            "แถว 2, คอลัมน์ วิธีการติดตาม: ข้อความยาว 1001 ตัวอักษร เกินที่รับได้ 1000",
        ),
    ],
    ids=["analysis", "issues", "action", "method"],
)
def test_the_plan_importer_refuses_an_over_long_cell_by_row_and_column(plan, row, message):
    table = read_plan_table((HEADER + row).encode(), "plan.csv")
    with pytest.raises(TableError) as caught:
        load_plan(plan, table)
    assert str(caught.value.errors[0]).startswith(message), caught.value.errors
    assert not Finding.objects.exists()
