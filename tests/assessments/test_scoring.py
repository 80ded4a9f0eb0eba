"""The roll-up rules, pinned with hand-computed numbers."""

from decimal import Decimal as D

import pytest

from assessments import scoring

NATIONAL_BANDS = tuple(
    scoring.Band(label, D(minimum))
    for label, minimum in [
        ("AA", "95"),
        ("A", "85"),
        ("B", "75"),
        ("C", "65"),
        ("D", "55"),
        ("E", "50"),
        ("F", "0"),
    ]
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
    assert scoring.level_for(score, {}, NATIONAL_BANDS) == level


def test_level_of_unknown_score_is_unknown():
    assert scoring.level_for(None, {}, NATIONAL_BANDS) is None


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


# --- Where the points are: hand-computed shares of the total --------------------------------
# One point of an item is worth (indicator weight / tool's indicator weights) × (tool weight /
# 100) / items of the indicator: I1 15/30 × 0.30 / 6 = 0.025, I7 15/30 × 0.30 / 2 = 0.075,
# E1 30/30 × 0.30 / 5 = 0.06, O1 30/40 × 0.40 / 3 = 0.1.


def test_item_gains_to_the_pass_mark_ranked_by_points():
    gains = scoring.item_gains(SPEC, SCORES, D("85"))
    assert [(gain.code, gain.points) for gain in gains] == [
        ("O1", D("8.5")),  # 85 × 0.1
        ("E3", D("0.927")),  # 15.45 × 0.06
        ("E2", D("0.9228")),  # 15.38 × 0.06
        ("E1", D("0.8934")),  # 14.89 × 0.06
        ("E5", D("0.7716")),  # 12.86 × 0.06
        ("E4", D("0.618")),  # 10.30 × 0.06
        ("I7", D("0.56925")),  # 7.59 × 0.075
        ("I8", D("0.25725")),  # 3.43 × 0.075
        ("I2", D("0.0535")),  # 2.14 × 0.025
        ("I3", D("0.0315")),  # 1.26 × 0.025
        ("I1", D("0.00825")),  # 0.33 × 0.025
    ]
    assert gains[0].indicator == 9 and gains[0].score == D("0") and gains[0].target == D("85")


def test_item_gains_to_100_include_every_item_below_100():
    gains = {gain.code: gain.points for gain in scoring.item_gains(SPEC, SCORES, D("100"))}
    assert gains["O1"] == D("10")
    assert gains["I4"] == D("1.29") * D("0.025")
    assert "O2" not in gains and "O4" not in gains


def test_each_gain_equals_recomputing_the_total_with_that_item_raised():
    before = scoring.summarize(SPEC, SCORES).exact_total
    for gain in scoring.item_gains(SPEC, SCORES, D("85")):
        raised = scoring.summarize(SPEC, {**SCORES, gain.code: D("85")}).exact_total
        assert abs(raised - before - gain.points) < D("1e-20"), gain.code


def test_an_item_alone_in_its_indicator_carries_its_indicator_share():
    # O4 is indicator 10's only item: 10/40 × 0.40 = 0.1 per point.
    gains = scoring.item_gains(SPEC, {**SCORES, "O4": D("50")}, D("85"))
    assert next(g for g in gains if g.code == "O4").points == D("3.5")


def test_unscored_items_are_left_out_and_shares_follow_the_scored_ones():
    scores = {code: value for code, value in SCORES.items() if code not in ("I7", "I8")}
    gains = {gain.code: gain.points for gain in scoring.item_gains(SPEC, scores, D("85"))}
    assert "I7" not in gains
    # Indicator 1 is now all of IIT: 1 × 0.30 / 6 = 0.05 per point.
    assert gains["I1"] == D("0.33") * D("0.05")


def test_lift_plan_shows_the_one_item_that_moves_b_to_a():
    # Total 76.9777… (B): IIT 85.3683…, EIT 71.224, OIT 75.
    assert scoring.summarize(SPEC, SCORES).total == D("76.98")
    steps = scoring.lift_plan(SPEC, SCORES, D("85"))
    assert (steps[0].gain.code, steps[0].total, steps[0].level) == ("O1", D("85.48"), "A")
    assert (steps[1].gain.code, steps[1].total) == ("E3", D("86.40"))
    assert steps[-1].total == scoring.round_score(
        scoring.summarize(SPEC, {**SCORES, **{s.gain.code: D("85") for s in steps}}).exact_total
    )


def test_lift_plan_is_empty_without_a_total():
    assert scoring.lift_plan(SPEC, {"I1": D("50")}, D("85")) == []


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        (D("76.98"), scoring.Band("A", D("85"))),
        (D("85"), scoring.Band("AA", D("95"))),
        (D("95"), None),
        (None, None),
    ],
)
def test_next_level(total, expected):
    assert scoring.next_level(SPEC, total, {}) == expected


def test_a_checklist_item_below_the_pass_mark_goes_to_100():
    spec = scoring.FrameworkSpec(
        tools=SPEC.tools,
        indicators=SPEC.indicators,
        bands=SPEC.bands,
        pass_mark=SPEC.pass_mark,
        checklist=frozenset({"O1", "O2", "O3", "O4"}),
    )
    gains = {gain.code: gain for gain in scoring.item_gains(spec, SCORES, D("85"))}
    assert (gains["O1"].target, gains["O1"].points) == (D("100"), D("10"))  # 100 × 0.1
    assert (gains["E3"].target, gains["E3"].points) == (D("85"), D("0.927"))
    assert scoring.lift_plan(spec, SCORES, D("85"))[0].total == D("86.98")  # 76.9777… + 10
