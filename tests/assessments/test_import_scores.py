"""`import_scores`: long and wide files, .csv and .xlsx, all or nothing, every error named."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessments.models import Assessment, ImportRecord, ItemScore
from assessments.score_import import import_scores
from assessments.tables import TableError
from tests.factories import make_organization

pytestmark = pytest.mark.django_db

FILES = Path(__file__).resolve().parent.parent / "data" / "scores"


@pytest.fixture
def districts(district, other_district, framework):
    return district, other_district


def run(name, *args):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_scores", str(FILES / name), *args, stdout=out, stderr=err)
    except CommandError as error:
        return None, out.getvalue(), err.getvalue() + str(error)
    return True, out.getvalue(), err.getvalue()


def scores():
    return {
        (organization, code): value
        for organization, code, value in ItemScore.objects.values_list(
            "assessment__organization__code", "item__code", "score"
        )
    }


def test_a_long_csv_with_what_real_files_contain(districts):
    ok, out, _ = run("long_ok.csv")
    assert ok
    assert scores() == {
        ("1009", "I1"): Decimal("84.67"),
        ("1009", "I2"): Decimal("82.86"),
        ("1009", "O1"): 0,
    }
    assert "ใหม่ 3, ปรับปรุง 0, ไม่เปลี่ยน 0" in out


def test_thai_headers(districts):
    assert run("long_thai_headers.csv")[0]
    assert scores()[("1009", "E1")] == Decimal("70.11")


def test_a_wide_csv_one_row_per_organization(districts):
    ok, out, _ = run("wide_ok.csv")
    assert ok
    assert len(scores()) == 9  # 1033 has no I2
    assert scores()[("1033", "E1")] == Decimal("75.5")
    assert "(wide, 2 แถว)" in out


def test_a_wide_xlsx_with_formulas_and_numbers_stored_as_text(districts):
    ok, _, _ = run("wide_formulas.xlsx")
    assert ok
    assert scores() == {
        ("1009", "I1"): Decimal("84.67"),
        ("1009", "I2"): Decimal("82.86"),
        ("1009", "E1"): Decimal("70.11"),
        ("1009", "O1"): 100,
    }


def test_importing_the_same_file_twice_changes_nothing_the_second_time(districts):
    run("wide_ok.csv")
    history = ItemScore.history.count()
    ok, out, _ = run("wide_ok.csv")
    assert ok
    assert "ใหม่ 0, ปรับปรุง 0, ไม่เปลี่ยน 9" in out
    assert ItemScore.history.count() == history


def test_a_changed_score_is_updated_and_keeps_its_history(districts, django_user_model):
    user = django_user_model.objects.create(username="importer")
    import_scores((FILES / "long_ok.csv").read_bytes(), "long_ok.csv", user=user)
    data = b"organization,fiscal_year,item,score\n1009,2564,I1,90\n"
    result = import_scores(data, "fix.csv", user=user)
    assert [(c.item_code, c.old, c.new) for c in result.updated] == [
        ("I1", Decimal("84.67"), Decimal("90"))
    ]
    score = ItemScore.objects.get(item__code="I1")
    assert [h.score for h in score.history.all()] == [Decimal("90"), Decimal("84.67")]
    assert {h.history_user for h in score.history.all()} == {user}


def test_every_import_is_recorded(districts, django_user_model):
    user = django_user_model.objects.create(username="importer")
    data = (FILES / "wide_ok.csv").read_bytes()
    import_scores(data, "wide_ok.csv", user=user)
    record = ImportRecord.objects.get()
    assert (record.kind, record.file_name, record.user) == ("scores", "wide_ok.csv", user)
    assert (record.rows, record.created, record.updated, record.unchanged) == (2, 9, 0, 0)
    assert len(record.checksum) == 64


def test_a_dry_run_writes_nothing(districts):
    ok, out, _ = run("wide_ok.csv", "--dry-run")
    assert ok
    assert "ใหม่ 9" in out
    assert not ItemScore.objects.exists()
    assert not ImportRecord.objects.exists()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("missing_column.csv", ["แถว 1: ไม่มีคอลัมน์ fiscal_year"]),
        ("unknown_organization.csv", ["แถว 3, คอลัมน์ organization: ไม่มีหน่วยงานรหัส 9999"]),
        ("unknown_item.csv", ["แถว 3, คอลัมน์ item: ไม่มีข้อ I99 ในชุดการประเมินปี 2564"]),
        ("not_a_number.csv", ['แถว 2, คอลัมน์ score: "84..71" ไม่ใช่ตัวเลข', "แถว 3, คอลัมน์ score:"]),
        (
            "out_of_range.csv",
            [
                "แถว 2, คอลัมน์ score: คะแนน 100.5 ต้องอยู่ระหว่าง 0 ถึง 100",
                "แถว 3, คอลัมน์ score: คะแนน -1 ต้องอยู่ระหว่าง 0 ถึง 100",
            ],
        ),
        ("checklist_not_0_or_100.csv", ["แถว 2, คอลัมน์ score: ข้อ O1 เป็นข้อ OIT ได้ 0 หรือ 100"]),
        ("same_item_twice.csv", ["แถว 3, คอลัมน์ score: หน่วยงาน 1009 ข้อ I1 มีสองคะแนน"]),
        (
            "year_without_framework.csv",
            ["แถว 2, คอลัมน์ fiscal_year: ยังไม่มีชุดการประเมินของปีงบประมาณ 2599"],
        ),
        ("empty.csv", ["ไฟล์ว่าง"]),
        ("not_a_spreadsheet.csv", ["ไฟล์นี้ไม่ใช่ตาราง"]),
        ("corrupt.xlsx", ["อ่านไฟล์ Excel ไม่ได้"]),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(districts, name, expected):
    run("long_ok.csv")
    before = scores()
    ok, _, err = run(name)
    assert ok is None
    lines = err.splitlines()
    for message in expected:
        assert any(line.startswith(message) for line in lines), (message, lines)
    assert "ไม่มีข้อมูลใดถูกบันทึก" in err
    assert scores() == before
    assert ImportRecord.objects.count() == 1


def test_a_file_over_the_limit_is_refused(districts, settings):
    settings.ITA_IMPORT_MAX_BYTES = 50
    ok, _, err = run("wide_ok.csv")
    assert ok is None
    assert "ไฟล์ใหญ่เกิน" in err
    assert not ItemScore.objects.exists()


def test_one_bad_row_in_a_large_file_writes_nothing(districts):
    organizations = [f"2{number:03d}" for number in range(50)]
    for code in organizations:
        make_organization(code=code, name_th=f"หน่วยงาน {code}")
    lines = ["organization,fiscal_year,item,score"]
    codes = [f"I{n}" for n in range(1, 7)] + [f"E{n}" for n in range(1, 6)]
    for organization in organizations:
        for code in codes:
            lines.append(f"{organization},2564,{code},80")
    lines[-1] = lines[-1].replace(",80", ",8O")  # a letter O for a zero, on the last row
    with pytest.raises(TableError) as caught:
        import_scores("\n".join(lines).encode(), "all.csv")
    assert [str(error)[:22] for error in caught.value.errors] == [f"แถว {len(lines)}, คอลัมน์ score"]
    assert not ItemScore.objects.exists()
    assert not Assessment.objects.exists()


def test_rows_are_numbered_as_in_the_spreadsheet(districts):
    data = b"organization,fiscal_year,item,score\n1009,2564,I1,84.67\n\n\n1009,2564,I2,x\n"
    with pytest.raises(TableError) as caught:
        import_scores(data, "gaps.csv")
    assert str(caught.value.errors[0]).startswith("แถว 5, คอลัมน์ score:")
