"""The roll-up rules, pinned with hand-computed numbers."""

from decimal import Decimal as D

import pytest

from assessments import scoring

NATIONAL_BANDS = (
    ("AA", D("95")),
    ("A", D("85")),
    ("B", D("75")),
    ("C", D("65")),
    ("D", D("55")),
    ("E", D("50")),
    ("F", D("0")),
)

SPEC = scoring.FrameworkSpec(
    tools=(
        scoring.ToolSpec("IIT", D("30")),
        scoring.ToolSpec("EIT", D("30")),
        scoring.ToolSpec("OIT", D("40")),
    ),
    indicators=(
        scoring.IndicatorSpec(1, "IIT", D("15"), ("I1", "I2", "I3", "I4", "I5", "I6")),
        scoring.IndicatorSpec(2, "IIT", D("15"), ("I7", "I8")),
        scoring.IndicatorSpec(6, "EIT", D("30"), ("E1", "E2", "E3", "E4", "E5")),
        scoring.IndicatorSpec(9, "OIT", D("30"), ("O1", "O2", "O3")),
        scoring.IndicatorSpec(10, "OIT", D("10"), ("O4",)),
    ),
    bands=NATIONAL_BANDS,
    pass_mark=D("85"),
)

SCORES = {
    # The seed's I1–I6: 547.48 / 6 = 91.2466… → 91.25.
    **{
        f"I{n}": D(v)
        for n, v in enumerate(["84.67", "82.86", "83.74", "98.71", "98.61", "98.89"], 1)
    },
    "I7": D("77.41"),
    "I8": D("81.57"),  # indicator 2: 158.98 / 2 = 79.49
    # The seed's E1–E5: 356.12 / 5 = 71.224 → 71.22.
    **{f"E{n}": D(v) for n, v in enumerate(["70.11", "69.62", "69.55", "74.70", "72.14"], 1)},
    "O1": D("0"),
    "O2": D("100"),
    "O3": D("100"),  # indicator 9: 200 / 3 = 66.666…
    "O4": D("100"),  # indicator 10: 100
}


def test_mean_of_seed_i1_to_i6_is_91_25():
    values = [D("84.67"), D("82.86"), D("83.74"), D("98.71"), D("98.61"), D("98.89")]
    assert scoring.round_score(scoring.mean(values)) == D("91.25")


def test_mean_of_nothing_is_unknown():
    assert scoring.mean([]) is None


@pytest.mark.parametrize(
    ("value", "rounded"),
    [(D("84.665"), D("84.67")), (D("84.664999"), D("84.66")), (D("0.005"), D("0.01"))],
)
def test_rounding_is_two_places_half_up(value, rounded):
    assert scoring.round_score(value) == rounded


def test_summary_rolls_items_up_to_total_and_level():
    summary = scoring.summarize(SPEC, SCORES)

    assert summary.indicators == {
        1: D("91.25"),
        2: D("79.49"),
        6: D("71.22"),
        9: D("66.67"),
        10: D("100.00"),
    }
    # IIT = (91.2466…×15 + 79.49×15) / 30 = 85.3683… ; EIT = 71.224 ;
    # OIT = (66.666…×30 + 100×10) / 40 = 75.
    assert summary.tools == {"IIT": D("85.37"), "EIT": D("71.22"), "OIT": D("75.00")}
    # Total = (85.3683…×30 + 71.224×30 + 75×40) / 100 = (2561.05 + 2136.72 + 3000) / 100.
    assert summary.total == D("76.98")
    assert summary.level == "B"


def test_total_is_unknown_while_a_tool_has_no_scores():
    partial = {code: value for code, value in SCORES.items() if not code.startswith("O")}
    summary = scoring.summarize(SPEC, partial)
    assert summary.tools["OIT"] is None
    assert summary.total is None
    assert summary.level is None


def test_indicator_without_scores_does_not_drag_its_tool_down():
    partial = {code: value for code, value in SCORES.items() if code not in ("I7", "I8")}
    summary = scoring.summarize(SPEC, partial)
    assert summary.indicators[2] is None
    assert summary.tools["IIT"] == D("91.25")


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (D("84.99"), "B"),
        (D("85.00"), "A"),
        (D("94.99"), "A"),
        (D("95.00"), "AA"),
        (D("100"), "AA"),
        (D("49.99"), "F"),
        (D("50.00"), "E"),
        (D("0"), "F"),
    ],
)
def test_level_band_edges(score, level):
    assert scoring.level_for(score, NATIONAL_BANDS) == level


def test_level_of_unknown_score_is_unknown():
    assert scoring.level_for(None, NATIONAL_BANDS) is None


def test_points_are_score_times_weight():
    assert scoring.points(D("63.10"), D("40")) == D("25.24")


@pytest.mark.parametrize(
    ("reported", "warned"),
    [
        (D("91.25"), False),
        (D("91.26"), False),  # 0.01 away: rounding, not a disagreement
        (D("91.24"), False),
        (D("91.27"), True),  # 0.02 away
        (D("91.23"), True),
        (D("90.00"), True),
    ],
)
def test_warning_only_beyond_one_hundredth(reported, warned):
    summary = scoring.summarize(SPEC, SCORES)
    figures = [scoring.Reported("indicator", 1, reported, source="ตารางคะแนน")]
    warnings = scoring.data_quality_warnings(SPEC, summary, figures)
    assert bool(warnings) is warned
    if warned:
        (warning,) = warnings
        assert warning.computed == D("91.25")
        assert warning.difference == reported - D("91.25")
        assert "ตัวชี้วัดที่ 1" in warning.message
        assert "ตารางคะแนน" in warning.message


def test_points_basis_compares_with_weighted_contribution():
    summary = scoring.summarize(SPEC, SCORES)  # OIT 75 × 40 % = 30.00 points
    agree = scoring.Reported("tool", "OIT", D("30.00"), basis="points")
    disagree = scoring.Reported("tool", "OIT", D("25.24"), basis="points")
    warnings = scoring.data_quality_warnings(SPEC, summary, [agree, disagree])
    assert [(w.key, w.computed, w.reported) for w in warnings] == [("OIT", D("30.00"), D("25.24"))]


def test_reported_item_and_total_figures_are_checked():
    summary = scoring.summarize(SPEC, SCORES)
    figures = [
        scoring.Reported("item", "I1", D("84.67")),
        scoring.Reported("item", "E4", D("74.07")),
        scoring.Reported("total", None, D("76.98")),
        scoring.Reported("total", None, D("80.00")),
    ]
    warnings = scoring.data_quality_warnings(SPEC, summary, figures)
    assert [(w.scope, w.key, w.computed) for w in warnings] == [
        ("item", "E4", D("74.70")),
        ("total", None, D("76.98")),
    ]


def test_reported_figure_without_anything_to_compare_is_a_warning():
    summary = scoring.summarize(SPEC, {})
    warnings = scoring.data_quality_warnings(
        SPEC, summary, [scoring.Reported("indicator", 1, D("91.25"))]
    )
    assert len(warnings) == 1
    assert warnings[0].computed is None
    assert "ไม่มีคะแนนรายข้อ" in warnings[0].message
