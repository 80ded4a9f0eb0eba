"""Properties of the plan-row reader: any row of the official table is read or refused by
cell (RowError naming its row and column), and the pieces it is read into are consistent."""

import calendar
import csv
import io
import re
from datetime import date

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from assessments.tables import TableError
from assessments.thaidates import normalize_digits
from plans.documents import planrows
from plans.loaders import plan_rows, read_plan_table
from tests.properties.strategies import (
    FIRST_SUPPORTED,
    LAST_SUPPORTED,
    any_text,
    month_pairs,
    thai_digits_mixed,
    typed_month,
)

CHEAP = settings(deadline=None, max_examples=200)

DIVISIONS = [
    "ฝ่ายปกครอง",
    "ฝ่ายคลัง",
    "ฝ่ายการคลัง",
    "ฝ่ายโยธา",
    "ทุกฝ่าย",
    "- ฝ่าย รักษาความสะอาด",
    "พัฒนาชุมชน",
]


@st.composite
def item_codes(draw) -> str:
    letter = draw(st.sampled_from("IEOieo"))
    return letter + draw(thai_digits_mixed(str(draw(st.integers(1, 999)))))


@st.composite
def plan_row_values(draw) -> dict[str, str]:
    """A row as read from a file: each column mostly what belongs there, sometimes junk."""
    months = draw(month_pairs())
    window = draw(typed_month(*months[0])) + " – " + draw(typed_month(*months[1]))
    good = {
        planrows.ITEM: item_codes(),
        planrows.HEADING: item_codes().map(lambda code: f"{code} การเปิดเผยข้อมูล"),
        planrows.IMPROVEMENT: st.lists(any_text(), max_size=3).map(
            lambda lines: "\n".join(f"- {line}" for line in lines)
        ),
        planrows.RESPONSIBLE: st.lists(st.sampled_from(DIVISIONS), max_size=3).map("/".join),
        planrows.WINDOW: st.just(window),
    }
    values = {}
    for column in planrows.COLUMNS:
        if draw(st.integers(0, 4)) == 0:
            continue
        values[column] = draw(st.one_of(good.get(column, any_text()), any_text()))
    return values


def whole_months(window: tuple[date, date]) -> bool:
    start, end = window
    last = calendar.monthrange(end.year, end.month)[1]
    return start.day == 1 and end.day == last and start <= end


@CHEAP
@given(plan_row_values(), st.integers(2, 500))
@example({planrows.ITEM: "O1", planrows.IMPROVEMENT: "- ทำ"}, 4)
@example({planrows.ITEM: "O1", planrows.WINDOW: "มิ.ย. 65 – ต.ค. 64"}, 9)
# A bare bullet, its text wrapped onto the next line: one action, no leading space.
@example(
    {planrows.ITEM: "O1", planrows.IMPROVEMENT: "-\nจัดทำแผน", planrows.RESPONSIBLE: "ฝ่ายโยธา"}, 3
)
def test_a_plan_row_is_read_or_refused_at_one_cell(values, row):
    """Never a crash: a PlanRow with a code, clean actions and whole months, or RowError."""
    try:
        parsed = planrows.parse_plan_row(values, row)
    except planrows.RowError as error:
        assert error.row == row
        assert error.column in planrows.COLUMNS
        assert error.message
        return
    assert parsed.row == row
    assert parsed.item_code
    assert parsed.item_code == parsed.item_code.upper()
    assert not re.search(r"\s", parsed.item_code)
    assert all(action and action == action.strip() for action in parsed.actions)
    if parsed.actions:
        assert parsed.responsible.lead or parsed.responsible.all_divisions
    if parsed.window is not None:
        assert whole_months(parsed.window)
        assert FIRST_SUPPORTED <= parsed.window[0] <= parsed.window[1] <= LAST_SUPPORTED


@CHEAP
@given(
    st.lists(
        any_text()
        .map(str.strip)
        .filter(lambda text: text and len(text.splitlines()) == 1)
        .filter(lambda text: not planrows._BULLET.match(text)),
        max_size=5,
    ),
    st.sampled_from(["-", "–", "•", "▪", "●", "๏", "*"]),
)
def test_every_bullet_is_one_action(actions, bullet):
    """Each bullet line, whatever its mark and indent, is one action, in order."""
    text = "\n".join(f"  {bullet} {action}" for action in actions)
    assert planrows.split_actions(text) == actions


@CHEAP
@given(
    st.lists(st.sampled_from(DIVISIONS), max_size=5), st.sampled_from(["/", ",", ";", "\n", " - "])
)
def test_responsible_names_are_standard_unique_and_in_order(names, separator):
    """Divisions are named in standard spelling, once each, lead first; ทุกฝ่าย is a flag."""
    responsible = planrows.parse_responsible(separator.join(names))
    standard = [planrows.normalise_division_name(name) for name in names]
    expected = list(dict.fromkeys(name for name in standard if name != planrows.ALL_DIVISIONS))
    assert list(responsible.names) == expected
    assert responsible.all_divisions == (planrows.ALL_DIVISIONS in standard)
    assert all(name.startswith(planrows.DIVISION_PREFIX) for name in responsible.names)


@CHEAP
@given(any_text())
def test_division_names_and_item_codes_normalise_once_and_for_all(text):
    """Normalising a normalised name or code changes nothing."""
    division = planrows.normalise_division_name(text)
    assert planrows.normalise_division_name(division) == division
    code = planrows.normalise_item_code(text)
    assert planrows.normalise_item_code(code) == code
    assert planrows.parse_responsible(text).lead != planrows.ALL_DIVISIONS


@CHEAP
@given(item_codes(), st.sampled_from(["", " ", " - ", "  "]), any_text())
def test_the_item_code_that_starts_a_heading_is_found(code, separator, rest):
    """ "O๒๖ การดำเนินการ…" is item O26, whatever follows the code."""
    expected = code[0].upper() + normalize_digits(code[1:])
    # "I1" then "2" is item I12: a code must end where its digits do.
    assume(separator or not re.match(r"\d", normalize_digits(rest)))
    heading = f"{code}{separator}{rest}"
    assert planrows.item_code_from_heading(heading) == expected


@st.composite
def plan_files(draw) -> bytes:
    """A small plan CSV: maybe a title, the header row (in either layout), then rows."""
    header = draw(
        st.sampled_from(
            [list(planrows.COLUMNS), planrows.printed_headers(2565), ["ข้อ", "การปรับปรุง"]]
        )
    )
    rows = [[draw(st.one_of(any_text(), st.sampled_from(DIVISIONS))) for _ in header]]
    for _ in range(draw(st.integers(0, 3))):
        rows.append([draw(st.one_of(any_text(), item_codes())) for _ in header])
    title = [["แผนปรับปรุง"]] if draw(st.booleans()) else []
    buffer = io.StringIO()
    csv.writer(buffer).writerows([*title, header, *rows])
    return buffer.getvalue().encode("utf-8")


@CHEAP
@given(plan_files())
def test_any_plan_file_gives_rows_or_a_table_error(data):
    """A whole plan file (title, header, rows) is read into rows or refused with TableError."""
    try:
        rows = plan_rows(read_plan_table(data, "plan.csv"))
    except TableError as error:
        assert error.errors
        assert all(problem.message for problem in error.errors)
        return
    for row in rows:
        assert row.item_code
        if row.window is not None:
            assert whole_months(row.window)
