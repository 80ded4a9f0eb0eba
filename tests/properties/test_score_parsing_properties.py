"""Properties of the score importer and the spreadsheet reader under it.

Whatever an uploaded file holds, reading and checking it returns a result or raises
TableError, whose CellErrors name the row and column of every bad score; nothing else
escapes. A score is a number from 0 to 100 with at most two decimal places, and a checklist
(OIT) item takes only 0 or 100.
"""

import csv
import io
import zipfile
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from assessments.models import ItemScore
from assessments.score_import import ALIASES, ScoreImport, apply_import, import_scores, plan_import
from assessments.tables import CellError, Table, TableError, header_key, read_table
from assessments.thaidates import ThaiNumberError, parse_number
from tests.properties.strategies import any_text, padding, thai_digits_mixed

CHEAP = settings(deadline=None, max_examples=200)
# Examples share the test's fixtures and roll back whatever they write themselves.
WITH_DB = settings(
    deadline=None, max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Items of tests.factories.make_framework (fiscal year 2564): I1–I6 and E1–E5 are survey
# items, O1–O4 checklist items scored 0 or 100.
SURVEY_ITEMS = ["I1", "I2", "I6", "E1", "E5"]
CHECKLIST_ITEMS = ["O1", "O4"]
ITEMS = SURVEY_ITEMS + CHECKLIST_ITEMS
HUNDREDTH = Decimal("0.01")


def verdict(value: object, item: str) -> Decimal | None:
    """The score a cell means, or None when the importer must refuse it."""
    if isinstance(value, bool | date | time) or value is None:
        return None
    try:
        score = parse_number(value)
    except ThaiNumberError:
        return None
    if not 0 <= score <= 100 or score != score.quantize(HUNDREDTH):
        return None
    if item in CHECKLIST_ITEMS and score not in (0, 100):
        return None
    return score


def no_nul(text: str) -> bool:
    return "\x00" not in text


def scores_in(places: st.SearchStrategy[int], low="-150", high="250"):
    return places.flatmap(
        lambda p: st.decimals(min_value=Decimal(low), max_value=Decimal(high), places=p)
    )


@st.composite
def score_texts(draw) -> str:
    """A score as typed: any number of places, Thai digits, spaces, or plain junk."""
    if draw(st.integers(0, 4)) == 0:
        return draw(any_text())
    value = draw(scores_in(st.integers(0, 4)))
    text = draw(st.sampled_from(["{:f}", "{:,f}", "{:.2f}", "{:f}0"])).format(value)
    return draw(padding()) + draw(thai_digits_mixed(text)) + draw(padding())


workbook_values = st.one_of(
    st.integers(-5, 105),
    st.floats(-1, 101, allow_nan=False),
    st.sampled_from([0.1 + 0.2, 84.67, 100.0, 1e-300, 99.999]),
    scores_in(st.integers(0, 3), "-5", "105"),
    st.datetimes(datetime(1901, 1, 1), datetime(2100, 1, 1)),
    st.dates(date(1901, 1, 1), date(2100, 1, 1)),
    st.times(),
    st.booleans(),
)
cell_values = st.one_of(score_texts(), workbook_values)


def long_table(cells: list[tuple[str, object]], first_row: int = 2) -> Table:
    rows = [
        (first_row + n, {"organization": "1009", "fiscal_year": "2564", "item": item, "score": v})
        for n, (item, v) in enumerate(cells)
    ]
    headers = ["organization", "fiscal_year", "item", "score"]
    return Table(name="scores.xlsx", checksum="", headers=headers, rows=rows)


def where(error: TableError) -> set[tuple[int | None, str | None]]:
    return {(cell.row, cell.column) for cell in error.errors}


def assert_clear(error: TableError) -> None:
    """Every problem of a refused file is a CellError with a message and a sane place."""
    assert error.errors
    for cell in error.errors:
        assert isinstance(cell, CellError)
        assert cell.message
        assert cell.row is None or cell.row >= 1


@pytest.mark.django_db
@WITH_DB
@given(
    st.lists(
        st.tuples(st.sampled_from(ITEMS), cell_values),
        min_size=1,
        max_size=5,
        unique_by=lambda c: c[0],
    ),
    st.integers(2, 40),
)
@example([("I1", "84.678")], 2)
@example([("I1", datetime(2021, 10, 1))], 2)
@example([("E1", time(8, 30))], 7)
@example([("O1", "๑๐๐"), ("I2", "๘๒.๘๖")], 2)
def test_each_bad_score_is_refused_at_its_own_row_and_column(framework, district, cells, first):
    table = long_table(cells, first)
    expected = {first + n: verdict(value, item) for n, (item, value) in enumerate(cells)}
    try:
        plan = plan_import(table)
    except TableError as error:
        assert_clear(error)
        assert where(error) == {(row, "score") for row, score in expected.items() if score is None}
        return
    assert None not in expected.values()
    assert {change.item_code: change.new for change in plan.created} == {
        item: expected[first + n] for n, (item, _) in enumerate(cells)
    }


@st.composite
def wide_files(draw):
    """A wide CSV: one row per organization, one column per item, headers as people type."""
    items = draw(st.lists(st.sampled_from(ITEMS), min_size=1, max_size=4, unique=True))
    header = [
        draw(st.sampled_from(["organization", "หน่วยงาน", " Organization "])),
        draw(st.sampled_from(["fiscal_year", "ปีงบประมาณ", "ปี"])),
        *(draw(st.sampled_from([code, code.lower(), f" {code} "])) for code in items),
    ]
    lines, cells = [header], {}
    for row, organization in enumerate(["1009", "1033"], start=2):
        values = [
            draw(st.sampled_from(["", " "])) + draw(score_texts().filter(no_nul)) for _ in items
        ]
        year = draw(thai_digits_mixed("2564"))
        lines.append([draw(thai_digits_mixed(organization)), year, *values])
        for code, value in zip(items, values, strict=True):
            cells[row, code] = value.strip()
    buffer = io.StringIO()
    csv.writer(buffer).writerows(lines)
    return buffer.getvalue().encode("utf-8-sig"), cells


def assert_imported_or_refused(data: bytes, name: str, expected: dict) -> None:
    """A wide file of 1009 (row 2) and 1033 (row 3) is refused at exactly the cells whose
    verdict is None, or imported whole with each cell's verdict as its score."""
    try:
        plan = import_scores(data, name, dry_run=True)
    except TableError as error:
        assert_clear(error)
        assert where(error) == {place for place, score in expected.items() if score is None}
        return
    assert None not in expected.values()
    assert len(plan.created) == len(expected)
    for change in plan.created:
        row = 2 if change.organization == "1009" else 3
        assert change.new == expected[row, change.item_code]


@pytest.mark.django_db
@WITH_DB
@given(wide_files())
def test_a_wide_file_refuses_exactly_its_bad_cells(framework, district, other_district, file):
    data, cells = file
    expected = {place: verdict(value, place[1]) for place, value in cells.items() if value != ""}
    assert_imported_or_refused(data, "wide.csv", expected)


HEADERS = [*ALIASES, "organization", "fiscal_year", "item", "score", *ITEMS, "i2", "O99", "x1"]
# What each column of a score file may hold: good keys, near misses and plain junk.
COLUMN_CELLS = {
    "organization": st.sampled_from(["1009", "๑๐๐๙", "1033", "9999", " 1009 ", "", "-"]),
    "fiscal_year": st.sampled_from(
        ["2564", "๒๕๖๔", "2599", "2021", "64", "²", "٢٥٦٤", "2564.0", "-2564", "9" * 25]
    ),
    "item": st.sampled_from([*ITEMS, "i2", "I๑", "O99", "x1", "", "I 1"]),
}
FILE_CELLS = st.one_of(
    st.sampled_from(HEADERS), *COLUMN_CELLS.values(), score_texts(), st.text(max_size=5)
)
LAYOUTS = {
    "organization": ["organization", "หน่วยงาน", "รหัสหน่วยงาน", " Organization "],
    "fiscal_year": ["fiscal_year", "ปีงบประมาณ", "ปี"],
    "item": ["item", "ข้อ", "รหัสข้อ"],
    "score": ["score", "คะแนน"],
}


@st.composite
def score_files(draw) -> bytes:
    """A small CSV, long or wide or with any headers, its cells mostly fitting their column."""
    layout = draw(st.sampled_from(["long", "wide", "any"]))
    if layout == "any":
        columns = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6))
    else:
        items = draw(st.lists(st.sampled_from([*ITEMS, "i2", "O99"]), min_size=1, max_size=3))
        columns = [
            "organization",
            "fiscal_year",
            *(["item", "score"] if layout == "long" else items),
        ]
        columns = draw(st.permutations(columns))
    header = [draw(st.sampled_from(LAYOUTS.get(column, [column]))) for column in columns]
    rows = []
    for _ in range(draw(st.integers(0, 5))):
        row = [
            draw(st.one_of(COLUMN_CELLS.get(column, score_texts()), FILE_CELLS))
            for column in columns
        ]
        rows.append(row[: draw(st.integers(0, len(row)))] if draw(st.integers(0, 9)) == 0 else row)
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    return buffer.getvalue().encode("utf-8")


@pytest.mark.django_db
@WITH_DB
@given(score_files())
@example(b"organization,fiscal_year,item,score\n1009,\xc2\xb2,I1,50\n")
@example(b"organization,fiscal_year,item,score\n1009,99999999999999999999,I1,50\n")
@example(b"organization,fiscal_year,item,score\n1009," + b"9" * 5000 + b",I1,50\n")
@example(b"organization,fiscal_year,item,score\n1009,2564,I1,1e-300\n")
@example(b"organization,fiscal_year,O1,I1\n1009,2564,100,84.5\n1009,2564,100,84.5\n")
def test_any_small_score_file_is_imported_or_refused_clearly(framework, district, data):
    try:
        plan = import_scores(data, "scores.csv", dry_run=True)
    except TableError as error:
        assert_clear(error)
        return
    assert isinstance(plan, ScoreImport)
    for change in plan.created:
        assert 0 <= change.new <= 100
        assert change.new == change.new.quantize(HUNDREDTH)


@pytest.mark.django_db
@WITH_DB
@given(
    st.lists(
        st.tuples(st.sampled_from(ITEMS), score_texts()),
        min_size=1,
        max_size=4,
        unique_by=lambda c: c[0],
    )
)
@example([("I1", "84.678")])
@example([("I1", "84.670"), ("O1", "100.00")])
def test_importing_accepted_scores_twice_changes_nothing_the_second_time(
    framework, district, cells
):
    """What the preview promises is what is stored, so the second import finds no change."""
    table = long_table(cells)
    try:
        plan = plan_import(table)
    except TableError:
        return
    with transaction.atomic():
        created, updated = apply_import(plan)
        assert (created, updated) == (len(cells), 0)
        stored = dict(ItemScore.objects.values_list("item__code", "score"))
        assert stored == {change.item_code: change.new for change in plan.created}
        again = plan_import(table)
        assert (again.created, again.updated, again.unchanged) == ([], [], len(cells))
        transaction.set_rollback(True)


# --- the spreadsheet reader ----------------------------------------------------------------


@CHEAP
@given(
    st.one_of(
        st.binary(max_size=300),
        st.binary(max_size=300).map(lambda data: b"PK\x03\x04" + data),
        st.binary(max_size=300).map(lambda data: b"\xef\xbb\xbf" + data),
    ),
    st.sampled_from(["scores.csv", "scores.xlsx", "scores", "scores.txt", "scores.pdf", ""]),
)
@example(b"a,b\n1,\x00\n", "scores.csv")
@example(b"\xff\xfe\x00a", "scores.csv")
@example(b'"' + b"x" * 140_000, "scores.csv")
def test_random_bytes_are_read_or_refused_with_a_table_error(data, name):
    try:
        table = read_table(data, name)
    except TableError as error:
        assert_clear(error)
        return
    assert all(header for header in table.headers)
    numbers = [row for row, _ in table.rows]
    assert numbers == sorted(set(numbers))
    assert all(row >= 2 for row in numbers)


csv_text = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00\ufeff"),
    max_size=8,
)


@CHEAP
@given(
    st.lists(
        st.one_of(csv_text, st.sampled_from([*HEADERS, " I1 ", "Score"])),
        min_size=1,
        max_size=5,
        unique_by=lambda name: header_key(name, ALIASES),
    ).filter(lambda header: all(header_key(name) for name in header)),
    st.lists(st.lists(st.one_of(csv_text, score_texts().filter(no_nul)), max_size=6), max_size=6),
    st.integers(0, 2),
    st.booleans(),
)
def test_a_csv_reads_back_as_written(header, rows, blank_lines, bom):
    """Headers are normalised, values stripped, blank rows dropped, rows numbered as in the
    spreadsheet (the first line is row 1)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows([[]] * blank_lines + [header, *rows])
    data = buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")
    table = read_table(data, "rows.csv", ALIASES)
    keys = [header_key(name, ALIASES) for name in header]
    assert table.headers == keys
    expected = []
    for number, row in enumerate(rows, start=blank_lines + 2):
        values = {key: (row[n].strip() if n < len(row) else "") for n, key in enumerate(keys)}
        if any(values.values()):
            expected.append((number, values))
    assert table.rows == expected


@CHEAP
@given(st.integers(0, 9000), st.sampled_from([b"\x00", b"a\x00b"]))
@example(5000, b"\x00")
def test_a_nul_byte_anywhere_means_not_a_table(filler, nul):
    """A NUL never reaches a cell (PostgreSQL refuses it in text), wherever it is."""
    data = b"organization,fiscal_year,item,score\n" + b"1009,2564,I1,5\n" * (filler // 15)
    with pytest.raises(TableError, match="ไม่ใช่ตาราง"):
        read_table(data + b"1009,2564,I2," + nul + b"\n", "scores.csv")


def _workbook_bytes(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


BASE_WORKBOOK = _workbook_bytes(
    [
        ["organization", "fiscal_year", "I1", "E1", "O1"],
        [1009, 2564, 84.67, "70.11", 100],
        [1033, 2564, datetime(2021, 10, 1), True, None],
    ]
)
_base = zipfile.ZipFile(io.BytesIO(BASE_WORKBOOK))
MEMBERS = {info.filename: _base.read(info.filename) for info in _base.infolist()}
PAYLOADS = [b"<", b">", b'"', b"&", b"-1", b"9" * 20, b't="d"', b' s="99"', b"<c><v>x</v></c>"]


@st.composite
def damages(draw) -> tuple[str, list[tuple[int, int, bytes]], bool]:
    """Damage to one part of the workbook above: (part, [(at, cut, patch)], dropped)."""
    victim = draw(st.sampled_from(sorted(MEMBERS)))
    size = len(MEMBERS[victim])
    edits = draw(
        st.lists(
            st.tuples(
                st.integers(0, size),
                st.integers(0, 40),
                st.one_of(st.sampled_from([*PAYLOADS, b""]), st.binary(min_size=1, max_size=4)),
            ),
            min_size=1,
            max_size=4,
        )
    )
    return victim, edits, draw(st.integers(0, 19)) == 0


def damaged(victim: str, edits: list[tuple[int, int, bytes]], dropped: bool) -> bytes:
    data = bytearray(MEMBERS[victim])
    for at, cut, patch in edits:
        data[at : at + cut] = patch
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in MEMBERS.items():
            if name != victim:
                archive.writestr(name, content)
            elif not dropped:
                archive.writestr(name, bytes(data))
    return buffer.getvalue()


# openpyxl warns about the damaged parts it skips; refusing or reading is what is checked.
@pytest.mark.filterwarnings("ignore::UserWarning:openpyxl")
@settings(deadline=None, max_examples=150)
@given(damages())
@example(("xl/worksheets/sheet1.xml", [(0, 0, b"")], True))  # no sheet: IndexError
@example(("xl/worksheets/sheet1.xml", [(0, 1, b"")], False))  # XML ParseError while reading
@example(("[Content_Types].xml", [(729, 40, b">")], False))  # TypeError inside openpyxl
def test_a_damaged_workbook_is_read_or_refused_with_a_table_error(damage):
    try:
        table = read_table(damaged(*damage), "scores.xlsx", ALIASES)
    except TableError as error:
        assert_clear(error)
        return
    assert all(header for header in table.headers)
    assert [row for row, _ in table.rows] == sorted({row for row, _ in table.rows})


def test_the_undamaged_workbook_reads():
    table = read_table(BASE_WORKBOOK, "scores.xlsx", ALIASES)
    assert table.headers == ["organization", "fiscal_year", "i1", "e1", "o1"]
    assert table.rows[0] == (
        2,
        {"organization": 1009, "fiscal_year": 2564, "i1": 84.67, "e1": "70.11", "o1": 100},
    )


def _writable(value: object) -> bool:
    return not (
        isinstance(value, str) and (value.startswith("=") or ILLEGAL_CHARACTERS_RE.search(value))
    )


@pytest.mark.django_db
@WITH_DB
@given(
    st.lists(
        st.lists(
            st.one_of(workbook_values, score_texts().filter(_writable), st.none()),
            min_size=3,
            max_size=3,
        ),
        min_size=1,
        max_size=2,
    )
)
@example([[datetime(2021, 10, 1), 84.67, 100]])
@example([[84.678, True, time(12)]])
def test_a_workbook_with_any_cell_types_is_imported_or_refused_clearly(
    framework, district, other_district, rows
):
    """Workbook cells may be dates, times, booleans or floats; each is read or refused."""
    columns = ["I1", "E1", "O1"]
    organizations = ["1009", "1033"]
    data = _workbook_bytes(
        [["organization", "fiscal_year", *columns]]
        + [[int(code), 2564, *row] for code, row in zip(organizations, rows, strict=False)]
    )
    # The verdict is on what the saved sheet holds: a date comes back as a datetime.
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    expected = {}
    for number, row in enumerate(workbook.active.iter_rows(min_row=2, values_only=True), start=2):
        for column, value in zip(columns, row[2:], strict=False):
            if value is not None and not (isinstance(value, str) and not value.strip()):
                expected[number, column] = verdict(value, column)
    workbook.close()
    assert_imported_or_refused(data, "scores.xlsx", expected)
