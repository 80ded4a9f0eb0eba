"""The dashboards' data as charts, heat-map cells and sort links (presentation only)."""

import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from assessments.thaidates import format_date, format_month
from plans import dashboards
from plans.charts import (
    Bar,
    Segment,
    _e,
    bar_chart,
    heat_color,
    line_chart,
    stacked_bar_chart,
)
from plans.figures import fixed
from plans.models import Action

STATUS_SEGMENTS = [
    Segment(Action.Status.DONE.value, Action.Status.DONE.label, "done"),
    Segment(Action.Status.IN_PROGRESS.value, Action.Status.IN_PROGRESS.label, "in-progress"),
    Segment(Action.Status.NOT_STARTED.value, Action.Status.NOT_STARTED.label, "not-started"),
    Segment(Action.Status.CANCELLED.value, Action.Status.CANCELLED.label, "cancelled"),
]
ROUND_SEGMENTS = [
    Segment("done", gettext_lazy("รายงานว่าเสร็จสิ้น"), "done"),
    Segment("reported", gettext_lazy("รายงานแล้ว"), "in-progress"),
    Segment("late", gettext_lazy("รายงานช้า"), "late"),
    Segment("not_reported", gettext_lazy("ยังไม่รายงาน"), "not-started"),
]
LIFT_SHOWN = dashboards.WEAKEST_SHOWN
POINTS = Decimal("0.01")


def signed(value, places: int = 2) -> str:
    """A change with its sign ("+1.25", "−0.50", "0.00"); "" when unknown."""
    if value is None or value == "":
        return ""
    value = Decimal(value).quantize(Decimal(1).scaleb(-int(places)))
    if value > 0:
        return f"+{value}"
    if value < 0:
        return f"−{-value}"
    return f"{abs(value)}"


def _score(value) -> str:
    """A score as ``{{ value|floatformat:2|default:"—" }}`` shows it."""
    return fixed(value, 2) or "—"


def cut(text: str, length: int) -> str:
    """``text|truncatechars:length``: Django's Truncator walks the text letter by letter to
    count its letters without their marks, which cost more than the rest of a list's row.
    A text of at most ``length`` code points fits whatever its marks (they only count for
    less), so only a longer one is walked."""
    text = unicodedata.normalize("NFC", text)  # as Truncator reads it
    return text if len(text) <= length else Truncator(text).chars(length)


def _item_name(item, length: int) -> str:
    return cut(item.name or item.text, length)


def whole(percent: Decimal) -> int:
    """A percentage rounded half up to a whole number, for chart labels."""
    return int(percent.quantize(Decimal(1), ROUND_HALF_UP))


def _tone(passes: bool) -> str:
    return "pass" if passes else "fail"


def scores_charts(page: dashboards.ScoresPage) -> dict:
    pass_mark = page.pass_mark
    marker = {
        "marker": pass_mark,
        "marker_label": gettext("เกณฑ์ผ่าน %(mark)s") % {"mark": f"{pass_mark:.0f}"},
    }
    steps = page.lift_to_pass[:LIFT_SHOWN]
    # The page draws no chart of the tools: their scores are its headline figures.
    return {
        "indicators": bar_chart(
            gettext("คะแนนรายตัวชี้วัดเทียบเกณฑ์ผ่าน"),
            [
                Bar(f"{row.key}. {row.name}", row.score, tone=_tone(row.passes))
                for row in page.indicators
            ],
            label_header=gettext("ตัวชี้วัด"),
            **marker,
        ),
        "lift": bar_chart(
            gettext("คะแนนรวมที่เพิ่มขึ้นหากยกข้อขึ้นถึงเกณฑ์ผ่าน (%(count)s ข้อแรก)") % {"count": len(steps)},
            [Bar(step.gain.code, step.gain.points.quantize(POINTS)) for step in steps],
            maximum=None,
            value_header=gettext("คะแนนรวมที่เพิ่มขึ้น"),
            label_header=gettext("ข้อ"),
        )
        if steps
        else None,
        "trend": line_chart(
            gettext("คะแนนรวมรายปี"),
            [(str(year.year), year.total) for year in page.trend.years if year.total is not None],
            maximum=100,
            x_header=gettext("ปีงบประมาณ"),
            y_header=gettext("คะแนนรวม"),
        )
        if len(page.trend.years) > 1
        else None,
    }


def progress_charts(page: dashboards.ProgressPage) -> dict:
    return {
        "divisions": stacked_bar_chart(
            gettext("สถานะการปรับปรุงรายฝ่าย"),
            [(division.name, counts) for division, counts in page.divisions],
            STATUS_SEGMENTS,
            label_header=gettext("ฝ่าย"),
        ),
        "rounds": stacked_bar_chart(
            gettext("การรายงานตามรอบการติดตาม"),
            [(str(row.round.name), row.counts) for row in page.rounds],
            ROUND_SEGMENTS,
            label_header=gettext("รอบการติดตาม"),
        )
        if page.rounds
        else None,
        "completion": line_chart(
            gettext("ร้อยละของการปรับปรุงที่เสร็จสิ้นสะสมรายเดือน"),
            [(format_month(day), whole(percent)) for day, percent in page.completion],
            maximum=Decimal(100),
            unit="%",
            x_header=gettext("เดือน"),
            y_header=gettext("ร้อยละที่เสร็จสิ้น"),
        )
        if page.completion
        else None,
    }


@dataclass(frozen=True)
class ScoresTables:
    """The scores page's tables with every figure formatted as the page shows it: a filter
    per cell (floatformat, signed, truncatechars) cost more than the rest of the page. The
    ``*_html`` properties are their rows as the template printed them (escaped here, as the
    template's autoescape did), so the page renders no loop per row."""

    indicators: list[tuple]  # label, weight, score, points, change, passes
    trend: list[tuple]  # kind, label, [value per year]
    weakest: list[tuple]  # code, name, score, change, has action
    unplanned: list[tuple]  # code, name, score
    tools: list[tuple] = ()  # the headline figures: code, weight, score, points, change

    @property
    def tools_html(self) -> str:
        weight_label, points_label = _e(gettext("น้ำหนัก")), _e(gettext("คะแนนถ่วงน้ำหนัก"))
        return mark_safe(
            "".join(
                f'\n  <div class="kpi"><span class="kpi-label">{_e(code)} ({weight_label} '
                f"{_e(weight)}%)</span>\n"
                f'    <span class="kpi-value">{_e(score)}</span>\n'
                f'    <span class="kpi-note">{_e(points)} {points_label}'
                f"{f' · {_e(change)}' if change else ''}</span></div>\n  "
                for code, weight, score, points, change in self.tools
            )
        )

    @property
    def indicators_html(self) -> str:
        passes = f'<span class="status status-done">{_e(gettext("ผ่าน"))}</span>'
        fails = f'<span class="status status-fail">{_e(gettext("ต่ำกว่าเกณฑ์"))}</span>'
        return mark_safe(
            "".join(
                f'\n    <tr><th scope="row">{_e(label)}</th><td>{_e(weight)}</td>'
                f"<td>{_e(score)}</td><td>{_e(points)}</td><td>{_e(change)}</td>\n"
                f"      <td>{passes if passed else fails}</td></tr>\n  "
                for label, weight, score, points, change, passed in self.indicators
            )
        )

    @property
    def trend_html(self) -> str:
        return mark_safe(
            "".join(
                f'\n    <tr class="trend-{_e(kind)}"><th scope="row">{_e(label)}</th>'
                + "".join(f"<td>{_e(value)}</td>" for value in values)
                + "</tr>\n    "
                for kind, label, values in self.trend
            )
        )

    @property
    def weakest_html(self) -> str:
        code_label, name_label = _e(gettext("ข้อ")), _e(gettext("ประเด็น"))
        score_label, change_label = _e(gettext("คะแนน")), _e(gettext("เปลี่ยนจากปีก่อน"))
        planned_label = _e(gettext("มีการปรับปรุงในแผน"))
        yes, no = _e(gettext("มี")), f"<strong>{_e(gettext('ยังไม่มี'))}</strong>"
        return mark_safe(
            "".join(
                f'\n    <tr><td data-label="{code_label}">{_e(code)}</td>'
                f'<td data-label="{name_label}">{_e(name)}</td>'
                f'<td data-label="{score_label}">{_e(score)}</td>'
                f'<td data-label="{change_label}">{_e(change)}</td>'
                f'<td data-label="{planned_label}">{yes if has_action else no}</td></tr>\n  '
                for code, name, score, change, has_action in self.weakest
            )
        )

    @property
    def unplanned_html(self) -> str:
        return mark_safe(
            "".join(
                f"<li><strong>{_e(code)}</strong> {_e(name)} — {_e(score)}</li>"
                for code, name, score in self.unplanned
            )
        )


def scores_tables(page: dashboards.ScoresPage) -> ScoresTables:
    return ScoresTables(
        indicators=[
            (
                f"{row.key}. {row.name}",
                fixed(row.weight, 0),
                _score(row.score),
                _score(row.points),
                signed(row.change) or "—",
                row.passes,
            )
            for row in page.indicators
        ],
        trend=[(row.kind, row.label, [_score(v) for v in row.values]) for row in page.trend.rows],
        weakest=[
            (
                row.item.code,
                _item_name(row.item, 120),
                fixed(row.score, 2),
                signed(row.change) or "—",
                row.has_action,
            )
            for row in page.weakest
        ],
        unplanned=[
            (row.item.code, _item_name(row.item, 120), fixed(row.score, 2))
            for row in page.unplanned
        ],
        tools=[
            (
                row.key,
                fixed(row.weight, 0),
                _score(row.score),
                fixed(row.points, 2),
                # {{ change|signed }}, shown when the change is known
                None if row.change is None else signed(row.change),
            )
            for row in page.tools
        ],
    )


def lift_rows(steps, to_next_level) -> list[tuple]:
    """The lift table's rows: (in reach of the next level, code, name, the item's score and
    target, gain, running total, level), formatted as shown."""
    return [
        (
            step in to_next_level,
            step.gain.code,
            _item_name(item, 80),
            f"{fixed(step.gain.score, 2)} → {fixed(step.gain.target, 0)}",
            fixed(step.gain.points, 2),
            fixed(step.total, 2),
            step.level,
        )
        for step, item in steps
    ]


# The lift table's column headers, repeated on each cell for narrow screens.
LIFT_LABELS = tuple(
    gettext_noop(label)
    for label in ("ลำดับ", "ข้อ", "ประเด็น", "คะแนนของข้อ", "คะแนนรวมเพิ่มขึ้น", "คะแนนรวมสะสม", "ระดับ")
)


def lift_html(rows: list[tuple]) -> str:
    """``lift_rows`` as the lift table's body prints them."""
    if not rows:
        empty = _e(gettext("ทุกข้อผ่านเกณฑ์แล้ว"))
        return mark_safe(f'<tr><td colspan="7" class="empty">{empty}</td></tr>')
    rank, code_, name_, item_, gain_, total_, level_ = (_e(gettext(label)) for label in LIFT_LABELS)
    lifted = ' class="row-lift"'
    return mark_safe(
        "".join(
            f"\n    <tr{lifted if in_reach else ''}>"
            f'<td data-label="{rank}">{number}</td><td data-label="{code_}">{_e(code)}</td>'
            f'<td data-label="{name_}">{_e(name)}</td><td data-label="{item_}">{_e(score)}</td>'
            f'<td data-label="{gain_}">+{_e(gain)}</td><td data-label="{total_}">{_e(total)}</td>'
            f'<td data-label="{level_}">{_e(level)}</td></tr>\n  '
            for number, (in_reach, code, name, score, gain, total, level) in enumerate(rows, 1)
        )
    )


@dataclass(frozen=True)
class ActionRow:
    """One line of the progress page's overdue and due-soon lists, as shown."""

    code: str  # the item's
    url: str
    text: str  # cut at 120 characters
    division: str  # the lead division's name, "" for none
    all_divisions: bool
    due: str  # Buddhist Era, "—" for none
    status: str
    status_label: str
    overdue: bool
    progress: int


_PK = 987654321  # a stand-in id: the action's address is reversed once per list


def action_rows(page: dashboards.ProgressPage, actions) -> list[ActionRow]:
    """The rows of a list of the page's actions (``item_code`` read with them), formatted
    here: a reverse(), a Thai date and an include per row were most of the page's time
    (``plans.progress_html`` writes them)."""
    names = {division.pk: division.name for division, _counts in page.divisions}
    address = reverse("action_detail", args=[_PK])
    today = page.today
    status_labels = {value: str(label) for value, label in Action.Status.choices}
    return [
        ActionRow(
            code=action.item_code,
            url=address.replace(str(_PK), str(action.pk)),
            text=cut(action.text, 120),
            division=names.get(action.lead_division_id, ""),
            all_divisions=action.all_divisions,
            due=format_date(action.due_on) or "—",
            status=action.status,
            status_label=status_labels[action.status],
            overdue=bool(action.due_on) and action.is_open and action.due_on < today,
            progress=action.progress,
        )
        for action in actions
    ]


@dataclass(frozen=True)
class HeatRow:
    row: dashboards.DistrictRow
    cells: list[tuple[str, str]]  # (score as shown, CSS class)


def heat_map(data: dashboards.Overview) -> list[HeatRow]:
    """Agency × indicator scores of the page's rows, by code, with each cell's colour class."""
    pass_mark = data.pass_mark
    numbers = [number for number, _name in data.indicators]
    # Formatted here: 500 cells through the floatformat filter cost more than the rest of the
    # page. Each distinct stored figure ("84.50", two decimals) is formatted and coloured once.
    cells = {}

    def cell(stored):
        found = cells.get(stored)
        if found is None:
            score = None if stored is None else Decimal(stored)
            shown = "—" if score is None else f"{score:.2f}"
            found = cells[stored] = (shown, heat_color(score, pass_mark=pass_mark))
        return found

    keys = [str(number) for number in numbers]  # as the summary stores them
    heat = []
    for row in sorted(data.rows, key=lambda row: row.assessment.organization.code):
        stored = row.summary.indicators
        heat.append(HeatRow(row, [cell(stored.get(key)) for key in keys]))
    return heat


@dataclass(frozen=True)
class SortLink:
    query: str  # ?sort=… for the column's link (after the page's filters, if any)
    aria: str  # aria-sort of the column header
    arrow: str


def sort_links(current: str, sorts, filters: str = "") -> dict[str, SortLink]:
    """For each sortable column: the link that sorts by it (flipping the current order),
    keeping the page's ``filters`` (an encoded query string) and going back to page 1."""
    start = f"?{filters}&sort=" if filters else "?sort="
    links = {}
    for key in sorts:
        if current == key:
            links[key] = SortLink(f"{start}-{key}", "ascending", "▲")
        elif current == f"-{key}":
            links[key] = SortLink(f"{start}{key}", "descending", "▼")
        else:
            links[key] = SortLink(f"{start}{key}", "none", "")
    return links
