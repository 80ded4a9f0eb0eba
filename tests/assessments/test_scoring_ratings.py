"""Both ratings: NACC's (a total and a minimum for every tool) beside the AA–F bands, and what
stands between a level and the next one. Every number below is computed by hand."""

from decimal import Decimal as D

import pytest

from assessments import scoring
from assessments.scoring import Band

# NACC's rating since 2566. ผ่าน and ผ่านดี share the total 85.
NACC_BANDS = (
    Band("ผ่านดีเยี่ยม", D("95"), D("95")),
    Band("ผ่านดี", D("85"), D("85")),
    Band("ผ่าน", D("85")),
    Band("ต้องปรับปรุง", D("70")),
    Band("ต้องปรับปรุงโดยด่วน", D("0")),
)

# One indicator per tool: one point of an IIT item is 1/2 point of IIT, of an EIT item 1/5
# of EIT, of an OIT item 1/2 of OIT; IIT and EIT are 30 % of the total, OIT 40 %.
SPEC = scoring.FrameworkSpec(
    tools=(
        scoring.ToolSpec("IIT", D("30")),
        scoring.ToolSpec("EIT", D("30")),
        scoring.ToolSpec("OIT", D("40")),
    ),
    indicators=(
        scoring.IndicatorSpec(1, "IIT", D("30"), ("I1", "I2")),
        scoring.IndicatorSpec(6, "EIT", D("30"), ("E1", "E2", "E3", "E4", "E5")),
        scoring.IndicatorSpec(9, "OIT", D("40"), ("O1", "O2")),
    ),
    bands=NACC_BANDS,
    pass_mark=D("85"),
)

# IIT 98.80, EIT (80 + 82 + 84 + 86 + 88) / 5 = 84.00, OIT (100 + 99) / 2 = 99.50;
# total 98.80 × 0.3 + 84.00 × 0.3 + 99.50 × 0.4 = 29.64 + 25.20 + 39.80 = 94.64.
SCORES = {
    "I1": D("98.80"),
    "I2": D("98.80"),
    "E1": D("80"),
    "E2": D("82"),
    "E3": D("84"),
    "E4": D("86"),
    "E5": D("88"),
    "O1": D("100"),
    "O2": D("99"),
}


def tools(iit, eit, oit):
    return {"IIT": D(iit), "EIT": D(eit), "OIT": D(oit)}


@pytest.mark.parametrize(
    ("total", "tool_scores", "level"),
    [
        (D("95"), tools("95", "95", "95"), "ผ่านดีเยี่ยม"),
        (D("96"), tools("98", "94.99", "97"), "ผ่านดี"),  # one tool short of 95
        (D("94.99"), tools("99", "99", "99"), "ผ่านดี"),  # the total short of 95
        (D("85"), tools("85", "85", "85"), "ผ่านดี"),
        (D("94.64"), tools("98.80", "84.00", "99.50"), "ผ่าน"),
        (D("90"), tools("100", "100", "60"), "ผ่าน"),
        (D("84.99"), tools("90", "90", "90"), "ต้องปรับปรุง"),
        (D("70"), tools("70", "70", "70"), "ต้องปรับปรุง"),
        (D("69.99"), tools("99", "99", "0"), "ต้องปรับปรุงโดยด่วน"),
    ],
)
def test_nacc_levels_need_the_total_and_every_tool(total, tool_scores, level):
    assert scoring.level_for(total, tool_scores, NACC_BANDS) == level


def test_the_bands_may_come_in_any_order():
    shuffled = tuple(reversed(NACC_BANDS))
    assert scoring.level_for(D("94.64"), tools("98.80", "84", "99.5"), shuffled) == "ผ่าน"
    assert scoring.level_for(D("95"), tools("95", "95", "95"), shuffled) == "ผ่านดีเยี่ยม"


def test_a_tool_without_a_score_never_reaches_a_tool_minimum():
    scores = {"IIT": D("99"), "EIT": None, "OIT": D("99")}
    assert scoring.level_for(D("99"), scores, NACC_BANDS) == "ผ่าน"


def test_the_total_94_64_with_eit_84_is_pass():
    summary = scoring.summarize(SPEC, SCORES)
    assert summary.tools == tools("98.80", "84.00", "99.50")
    assert (summary.total, summary.level) == (D("94.64"), "ผ่าน")


def test_tool_minimums_read_the_tool_scores_rounded_as_reported():
    # EIT (80 + 82 + 84 + 86 + 92.975) / 5 = 84.995 → 85.00: every tool reaches 85.
    # Total 29.64 + 84.995 × 0.3 + 39.80 = 94.9385 → 94.94.
    summary = scoring.summarize(SPEC, {**SCORES, "E5": D("92.975")})
    assert (summary.tools["EIT"], summary.total, summary.level) == (
        D("85.00"),
        D("94.94"),
        "ผ่านดี",
    )


@pytest.mark.parametrize(
    ("total", "tool_scores", "expected"),
    [
        (D("94.64"), tools("98.80", "84.00", "99.50"), "ผ่านดี"),  # ผ่าน → ผ่านดี
        (D("90"), tools("90", "90", "90"), "ผ่านดีเยี่ยม"),
        (D("80"), tools("90", "90", "90"), "ผ่าน"),
        (D("50"), tools("50", "50", "50"), "ต้องปรับปรุง"),
        (D("95"), tools("95", "95", "95"), None),
    ],
)
def test_the_next_level_is_the_band_just_above_the_one_reached(total, tool_scores, expected):
    spec = scoring.FrameworkSpec(tools=(), indicators=(), bands=NACC_BANDS, pass_mark=D("85"))
    band = scoring.next_level(spec, total, tool_scores)
    assert (band.label if band else None) == expected


def test_the_gap_from_pass_to_good_is_eit_plus_one_by_raising_e1():
    gap = scoring.level_gap(SPEC, SCORES)
    assert gap.band.label == "ผ่านดี"
    assert gap.total_shortfall == D("0")  # 94.64 ≥ 85
    assert [(tool.code, tool.score, tool.shortfall) for tool in gap.tools] == [
        ("EIT", D("84.00"), D("1.00"))
    ]
    # E1 80 → 85 adds 5 / 5 = 1.00 to EIT (and 1.00 × 0.3 = 0.30 to the total): enough alone.
    (step,) = gap.tools[0].steps
    assert (step.gain.code, step.gain.target, step.rise, step.tool_score) == (
        "E1",
        D("85"),
        D("1"),
        D("85.00"),
    )
    assert step.gain.points == D("0.3")


def test_the_gap_to_excellent_lists_every_short_tool_and_the_total():
    # IIT 96, EIT (90 + 92 + 94 + 96 + 98) / 5 = 94.00, OIT (100 + 89) / 2 = 94.50;
    # total 28.80 + 28.20 + 37.80 = 94.80: ผ่านดี.
    scores = {
        "I1": D("96"),
        "I2": D("96"),
        **{f"E{n}": D(v) for n, v in enumerate(["90", "92", "94", "96", "98"], 1)},
        "O1": D("100"),
        "O2": D("89"),
    }
    assert scoring.summarize(SPEC, scores).level == "ผ่านดี"
    gap = scoring.level_gap(SPEC, scores)
    assert gap.band.label == "ผ่านดีเยี่ยม"
    assert gap.total_shortfall == D("0.20")
    by_tool = {tool.code: tool for tool in gap.tools}
    assert set(by_tool) == {"EIT", "OIT"}
    assert by_tool["EIT"].shortfall == D("1.00")
    assert [(s.gain.code, s.rise) for s in by_tool["EIT"].steps] == [("E1", D("1"))]  # 5 / 5
    assert by_tool["OIT"].shortfall == D("0.50")
    # O2 89 → 95 adds 6 / 2 = 3.00 to OIT: 97.50.
    assert [(s.gain.code, s.rise, s.tool_score) for s in by_tool["OIT"].steps] == [
        ("O2", D("3"), D("97.50"))
    ]


def test_the_items_that_close_a_tool_gap_are_the_fewest_most_first():
    # EIT (70 + 80 + 80 + 84 + 86) / 5 = 80.00: 5.00 short of 85. E1 70 → 85 adds 3.00,
    # E2 and E3 80 → 85 add 1.00 each: the three together reach 85.00 exactly.
    scores = {**SCORES, **{f"E{n}": D(v) for n, v in enumerate(["70", "80", "80", "84", "86"], 1)}}
    (eit,) = scoring.level_gap(SPEC, scores).tools
    assert eit.shortfall == D("5.00")
    assert [(s.gain.code, s.tool_score) for s in eit.steps] == [
        ("E1", D("83.00")),
        ("E2", D("84.00")),
        ("E3", D("85.00")),
    ]


def test_a_total_short_of_a_band_without_tool_minimums_has_no_tool_gaps():
    # IIT 80, EIT 84, OIT 80: total 24 + 25.2 + 32 = 81.20: ต้องปรับปรุง, 3.80 short of ผ่าน.
    scores = {**SCORES, "I1": D("80"), "I2": D("80"), "O1": D("80"), "O2": D("80")}
    gap = scoring.level_gap(SPEC, scores)
    assert (gap.band.label, gap.total_shortfall, gap.tools) == ("ผ่าน", D("3.80"), [])


def test_no_gap_at_the_top():
    scores = {code: D("100") for code in SCORES}
    assert scoring.level_gap(SPEC, scores) is None


def test_a_lift_plan_carries_the_tools_and_reaches_good_once_eit_does():
    # Below 85 are E1 (5 × 0.06 = 0.30), E2 (3 × 0.06 = 0.18), E3 (1 × 0.06 = 0.06).
    steps = scoring.lift_plan(SPEC, SCORES, D("85"))
    assert [(s.gain.code, s.total, s.level) for s in steps] == [
        ("E1", D("94.94"), "ผ่านดี"),
        ("E2", D("95.12"), "ผ่านดี"),  # EIT 85.60 < 95: not yet ผ่านดีเยี่ยม
        ("E3", D("95.18"), "ผ่านดี"),
    ]


def test_the_aa_to_f_bands_keep_working_beside_them():
    bands = (Band("AA", D("95")), Band("A", D("85")), Band("B", D("75")), Band("F", D("0")))
    assert scoring.level_for(D("94.64"), tools("98.80", "84", "99.50"), bands) == "A"
    spec = scoring.FrameworkSpec(tools=SPEC.tools, indicators=(), bands=bands, pass_mark=D("85"))
    assert scoring.next_level(spec, D("94.64"), {}) == Band("AA", D("95"))
