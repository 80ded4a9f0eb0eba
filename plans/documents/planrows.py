"""One row of the official seven-column plan table, read into a finding and its actions.

The rules live here once, for the demo loader and for plan imports alike:
- every bullet of the improvement column is one action;
- the responsible cell names a lead division, other divisions and/or "ทุกฝ่าย";
- division names are normalised ("ฝ่ายคลัง" is "ฝ่ายการคลัง", plans/division_names.py);
- the follow-up window is a Buddhist-Era month range ("ต.ค. 64 – มิ.ย. 65").
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from assessments.tables import CellError
from assessments.thaidates import ThaiDateError, normalize_digits, parse_window
from plans.division_names import ALL_DIVISIONS, normalise_division_name
from plans.division_names import BULLET as _BULLET
from plans.division_names import DIVISION_PREFIX as DIVISION_PREFIX  # read by the tests
from plans.limits import (
    ACTION_TEXT_MAX_CHARS,
    ANALYSIS_MAX_CHARS,
    FOLLOW_UP_MAX_CHARS,
    ISSUES_MAX_CHARS,
)

# The file's column names stay Thai (files are read by them); the page and the report show
# their translation (``column_headings``).
ITEM = "ข้อ"
HEADING = gettext_noop("หัวข้อการประเมิน")
ANALYSIS = gettext_noop("การวิเคราะห์การดำเนินงาน")
ISSUES = gettext_noop("จุดเด่น/จุดด้อย/ประเด็นที่จะต้องแก้ไข")
IMPROVEMENT = "การปรับปรุงในการดำเนินงาน"
RESPONSIBLE = gettext_noop("ผู้รับผิดชอบ")
WINDOW = gettext_noop("ระยะเวลาการติดตาม")
METHOD = gettext_noop("วิธีการติดตาม")
COLUMNS = (ITEM, HEADING, ANALYSIS, ISSUES, IMPROVEMENT, RESPONSIBLE, WINDOW, METHOD)

_RESPONSIBLE_SEP = re.compile(r"[/,;\n]|\s-\s")


class RowError(CellError):
    """A cell of a plan row that cannot be read."""

    def __init__(self, row: int, column: str, message: str):
        super().__init__(message, row, column)


@dataclass(frozen=True)
class Responsible:
    lead: str | None
    others: tuple[str, ...] = ()
    all_divisions: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        return ((self.lead,) if self.lead else ()) + self.others


@dataclass(frozen=True)
class PlanRow:
    """One printed row: a finding's first row, or (``continued``) a further line of the
    finding above, whose item, analysis and issues cells are merged into the first row's."""

    row: int
    item_code: str
    analysis: str
    issues: str
    actions: tuple[str, ...]
    responsible: Responsible
    window: tuple[date, date] | None
    follow_up_method: str
    continued: bool = False


def split_actions(text: str) -> list[str]:
    """Return the improvement cell's bullets, one action each.

    Where the cell uses bullet marks, a line without one continues the bullet above (a long
    bullet broken over lines); where it uses none, every line is an action of its own.
    """
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not any(_BULLET.match(line) for line in lines):
        return lines
    actions: list[str] = []
    for line in lines:
        if _BULLET.match(line) or not actions:
            actions.append(_BULLET.sub("", line))
        else:
            actions[-1] = f"{actions[-1]} {line}".lstrip()
    return [action for action in actions if action]


def parse_responsible(text: str) -> Responsible:
    """Read "ฝ่ายปกครอง /ทุกฝ่าย" as lead ฝ่ายปกครอง plus every division."""
    names: list[str] = []
    all_divisions = False
    for part in _RESPONSIBLE_SEP.split(text or ""):
        name = normalise_division_name(part)
        if not name:
            continue
        if name == ALL_DIVISIONS:
            all_divisions = True
        elif name not in names:
            names.append(name)
    lead = names[0] if names else None
    return Responsible(lead=lead, others=tuple(names[1:]), all_divisions=all_divisions)


def normalise_item_code(text: str) -> str:
    """Return the standard item code: " i12 " → "I12", Thai digits read as digits."""
    return re.sub(r"\s+", "", normalize_digits(text or "")).upper()


_HEADING_CODE = re.compile(r"^[-–\s]*([IEOieo])\s*(\d{1,3})(?!\d)")


def item_code_from_heading(text: str) -> str:
    """ "O26 การดำเนินการ… (คะแนนเฉลี่ย 0 คะแนน)" → "O26"; "" when the heading has no code."""
    match = _HEADING_CODE.match(normalize_digits(text or ""))
    return f"{match.group(1).upper()}{int(match.group(2))}" if match else ""


def is_section_row(values: Mapping[str, str]) -> bool:
    """A tool or indicator heading row of the printed table: a heading without an item code
    and nothing in the other columns."""
    others = [column for column in COLUMNS if column not in (ITEM, HEADING)]
    return (
        not (values.get(ITEM) or "").strip()
        and not item_code_from_heading(values.get(HEADING) or "")
        and not any((values.get(column) or "").strip() for column in others)
    )


# The longest text each column may hold (the limits of the fields it is stored in).
MAX_CHARS = {
    ANALYSIS: ANALYSIS_MAX_CHARS,
    ISSUES: ISSUES_MAX_CHARS,
    METHOD: FOLLOW_UP_MAX_CHARS,
}


def _too_long(text: str, limit: int) -> str:
    return _("ข้อความยาว %(length)d ตัวอักษร เกินที่รับได้ %(limit)d ตัวอักษร") % {
        "length": len(text),
        "limit": limit,
    }


def check_lengths(values: Mapping[str, str], actions: tuple[str, ...], row: int) -> None:
    """Raise RowError for the first cell longer than the field it goes into."""
    for column, limit in MAX_CHARS.items():
        text = (values.get(column) or "").strip()
        if len(text) > limit:
            raise RowError(row, column, _too_long(text, limit))
    for number, action in enumerate(actions, start=1):
        if len(action) > ACTION_TEXT_MAX_CHARS:
            message = _("การปรับปรุงข้อที่ %(number)d: %(problem)s") % {
                "number": number,
                "problem": _too_long(action, ACTION_TEXT_MAX_CHARS),
            }
            raise RowError(row, IMPROVEMENT, message)


_FINDING_COLUMNS = (ITEM, HEADING, ANALYSIS, ISSUES)
_ACTION_COLUMNS = (IMPROVEMENT, RESPONSIBLE, WINDOW, METHOD)


def is_continuation_row(values: Mapping[str, str]) -> bool:
    """A further action line of the finding above: the finding's cells are empty (merged into
    the first row of its block) and the action's cells are not."""
    return not any((values.get(column) or "").strip() for column in _FINDING_COLUMNS) and any(
        (values.get(column) or "").strip() for column in _ACTION_COLUMNS
    )


def parse_plan_row(
    values: Mapping[str, str], row: int, *, continues: PlanRow | None = None
) -> PlanRow:
    """Read one table row (column name → cell text); raise RowError for the first bad cell.

    The item is the ``ข้อ`` column, or else the code that starts the heading; a continuation
    row (``is_continuation_row``) takes the item of ``continues``, the row above it.
    """

    def cell(column: str) -> str:
        return (values.get(column) or "").strip()

    continued = continues is not None and is_continuation_row(values)
    item_code = normalise_item_code(cell(ITEM)) or item_code_from_heading(cell(HEADING))
    if continued:
        item_code = continues.item_code
    if not item_code:
        raise RowError(row, ITEM, _("ไม่ได้ระบุรหัสข้อการประเมิน เช่น O1 หรือ I12 (ในคอลัมน์ ข้อ หรือต้นหัวข้อ)"))
    actions = tuple(split_actions(cell(IMPROVEMENT)))
    check_lengths(values, actions, row)
    responsible = parse_responsible(cell(RESPONSIBLE))
    if actions and not (responsible.lead or responsible.all_divisions):
        raise RowError(row, RESPONSIBLE, _("มีการปรับปรุงแต่ไม่ได้ระบุฝ่ายที่รับผิดชอบ"))
    window = None
    if cell(WINDOW):
        try:
            window = parse_window(cell(WINDOW))
        except ThaiDateError as error:
            raise RowError(row, WINDOW, str(error)) from error
    return PlanRow(
        row=row,
        item_code=item_code,
        analysis=cell(ANALYSIS),
        issues=cell(ISSUES),
        actions=actions,
        responsible=responsible,
        window=window,
        follow_up_method=cell(METHOD),
        continued=continued,
    )


def printed_headers(fiscal_year: int) -> list[str]:
    """The seven column titles of the official table for a plan year, as the file has them."""
    return [
        HEADING,
        ANALYSIS,
        ISSUES,
        f"{IMPROVEMENT}ในปีงบประมาณ พ.ศ. {fiscal_year}",
        RESPONSIBLE,
        WINDOW,
        METHOD,
    ]


def column_headings(fiscal_year: int) -> list[str]:
    """The seven column titles in the reader's language, for the plan page and the report."""
    return [
        _(HEADING),
        _(ANALYSIS),
        _(ISSUES),
        _("การปรับปรุงในการดำเนินงานในปีงบประมาณ พ.ศ. %(year)s") % {"year": fiscal_year},
        _(RESPONSIBLE),
        _(WINDOW),
        _(METHOD),
    ]


def column_for(header: str) -> str | None:
    """Return the standard column a header names, whatever its spacing or plan year."""
    key = re.sub(r"\s+", "", header or "")
    for column in COLUMNS:
        if key == re.sub(r"\s+", "", column):
            return column
    prefixes = {
        "การปรับปรุงในการดำเนินงาน": IMPROVEMENT,
        "จุดเด่น/จุดด้อย": ISSUES,
        "หัวข้อการประเมิน": HEADING,
    }
    for prefix, column in prefixes.items():
        if key.startswith(prefix):
            return column
    return None


def is_header_row(headers: list[str]) -> bool:
    """The table's header row: it names the improvement column and the item or its heading."""
    found = {column_for(header) for header in headers}
    return IMPROVEMENT in found and bool(found & {HEADING, ITEM})
