"""`manage.py start_plan`: the counts, --dry-run writes nothing, unlinked actions named."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from plans.models import Action, Plan
from tests.plans.start_world import make_start_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_start_world()


def start(*args) -> str:
    out = StringIO()
    call_command("start_plan", "--organization", "1009", *args, stdout=out)
    return out.getvalue()


def test_prints_the_counts_and_names_the_unlinked_actions(world):
    output = start("--year", "2566")
    assert "สร้างแผนปี 2566 แล้ว: 8 ประเด็น, ยกมา 2 การปรับปรุง, ไม่ได้ยกมา 1, 4 รอบการติดตาม" in output
    assert "I2: อบรมผู้บริหาร" in output
    assert Plan.objects.get(fiscal_year=2566).findings.count() == 8


def test_dry_run_writes_nothing(world):
    actions = Action.objects.count()
    output = start("--year", "2566", "--dry-run")
    assert "ทดลอง (ไม่บันทึก)" in output and "8 ประเด็น" in output
    assert not Plan.objects.filter(fiscal_year=2566).exists()
    assert Action.objects.count() == actions


def test_options(world):
    output = start("--year", "2566", "--items", "none", "--no-carry-over")
    assert "0 ประเด็น, ยกมา 0 การปรับปรุง, ไม่ได้ยกมา 0, 4 รอบการติดตาม" in output


def test_refusals_are_errors(world):
    with pytest.raises(CommandError, match="โปรดยืนยันปีของแผน"):
        start("--year", "2566", "--assessment-year", "2564")
    with pytest.raises(CommandError, match="ไม่พบผลการประเมินของหน่วยงาน 1009 ปีงบประมาณ 2563"):
        start("--year", "2564", "--assessment-year", "2563")
    with pytest.raises(CommandError, match="ไม่พบหน่วยงานรหัส 9999"):
        call_command("start_plan", "--organization", "9999", "--year", "2566")
    start("--year", "2566")
    with pytest.raises(CommandError, match="มีแผนปีงบประมาณ 2566 อยู่แล้ว"):
        start("--year", "2566")


def test_another_year_with_confirmation(world):
    output = start("--year", "2567", "--assessment-year", "2565", "--confirm-year")
    assert "สร้างแผนปี 2567 แล้ว" in output
