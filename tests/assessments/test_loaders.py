"""The fixture loaders: scores go through the score importer; reported figures by scope."""

from decimal import Decimal

import pytest

from assessments.loaders import load_item_scores, load_reported_scores
from assessments.models import ItemScore, ReportedScore
from assessments.tables import TableError

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
    with pytest.raises(TableError) as caught:
        load_reported_scores(path)
    assert [str(error) for error in caught.value.errors] == ["แถว 2, คอลัมน์ target: ไม่มี 11"]
    assert not ReportedScore.objects.exists()
