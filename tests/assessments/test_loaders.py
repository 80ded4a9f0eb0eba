"""Score and reported-figure files: every bad row named by row and column, nothing written."""

from decimal import Decimal

import pytest

from assessments.loaders import LoadError, load_item_scores, load_reported_scores
from assessments.models import Assessment, ItemScore, ReportedScore

pytestmark = pytest.mark.django_db

HEADER = "organization,fiscal_year,item,score\n"


def write(tmp_path, text, name="scores.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_long_score_file_loads_and_a_second_run_changes_nothing(tmp_path, district, framework):
    path = write(tmp_path, HEADER + "1009,2564,I1,84.67\n1009,2564,i2,๘๒.๘๖\n\n1009,2564,O1,0\n")
    counts = load_item_scores(path)
    assert (counts.created, counts.updated, counts.unchanged) == (3, 0, 0)
    scores = dict(ItemScore.objects.values_list("item__code", "score"))
    assert scores == {"I1": Decimal("84.67"), "I2": Decimal("82.86"), "O1": 0}
    counts = load_item_scores(path)
    assert (counts.created, counts.updated, counts.unchanged) == (0, 0, 3)
    assert ItemScore.history.count() == 3


def test_a_changed_score_is_an_update(tmp_path, district, framework):
    load_item_scores(write(tmp_path, HEADER + "1009,2564,I1,84.67\n"))
    counts = load_item_scores(write(tmp_path, HEADER + "1009,2564,I1,85\n"))
    assert counts.updated == 1
    assert ItemScore.objects.get().score == 85


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("1009,2564,I99,80\n", "แถว 3 คอลัมน์ item: ไม่มีข้อ I99 ในปี 2564"),
        ("1009,2564,I2,84..71\n", "แถว 3 คอลัมน์ score:"),
        ("1009,2564,I2,abc\n", "แถว 3 คอลัมน์ score:"),
        ("1009,2564,I2,100.5\n", "แถว 3 คอลัมน์ score: คะแนนต้องอยู่ระหว่าง 0 ถึง 100"),
        ("1009,2564,O2,75\n", "แถว 3 คอลัมน์ score: ข้อ O2 ได้ 0 หรือ 100 เท่านั้น"),
        ("9999,2564,I2,80\n", "แถว 3 คอลัมน์ organization: ไม่มีหน่วยงานรหัส 9999"),
        ("1009,2564,i1,80\n", "แถว 3 คอลัมน์ item: ข้อ I1 ซ้ำกับแถว 2"),
    ],
)
def test_one_bad_row_and_nothing_is_written(tmp_path, district, framework, rows, message):
    path = write(tmp_path, HEADER + "1009,2564,I1,84.67\n" + rows)
    with pytest.raises(LoadError) as caught:
        load_item_scores(path)
    assert any(error.startswith(message) for error in caught.value.errors), caught.value.errors
    assert not ItemScore.objects.exists()
    assert not Assessment.objects.exists()


def test_a_missing_column_is_named(tmp_path, district, framework):
    with pytest.raises(LoadError) as caught:
        load_item_scores(write(tmp_path, "organization,item,score\n1009,I1,80\n"))
    assert caught.value.errors == ["ไม่มีคอลัมน์ fiscal_year"]


def test_reported_figures_by_scope(tmp_path, assessment):
    path = write(
        tmp_path,
        "organization,fiscal_year,scope,target,value,basis,source,note\n"
        "1009,2564,indicator,1,91.25,score,ตารางวิเคราะห์,\n"
        "1009,2564,item,I1,84.67,score,ตารางวิเคราะห์,\n"
        "1009,2564,tool,OIT,25.24,points,ตารางคะแนน,พิมพ์ไว้ว่า 25.24/40\n",
        "reported.csv",
    )
    counts = load_reported_scores(path)
    assert counts.created == 3
    assert load_reported_scores(path).unchanged == 3
    oit = ReportedScore.objects.get(scope="tool")
    assert (oit.tool.code, oit.value, oit.basis) == ("OIT", Decimal("25.24"), "points")


def test_a_reported_figure_for_an_unknown_target_is_refused(tmp_path, assessment):
    path = write(
        tmp_path,
        "organization,fiscal_year,scope,target,value,basis\n1009,2564,indicator,11,80,score\n",
        "reported.csv",
    )
    with pytest.raises(LoadError) as caught:
        load_reported_scores(path)
    assert caught.value.errors == ["แถว 2 คอลัมน์ target: ไม่มี 11"]
    assert not ReportedScore.objects.exists()


def test_blank_lines_are_skipped_but_still_counted(tmp_path, district, framework):
    with pytest.raises(LoadError) as caught:
        load_item_scores(write(tmp_path, HEADER + "1009,2564,I1,84.67\n\n1009,2564,I2,x\n"))
    assert caught.value.errors[0].startswith("แถว 4 คอลัมน์ score:")
