"""Charts drawn on the server as SVG, each with its numbers as a table.

No JavaScript and no chart library. Every chart function returns a Chart: an SVG built from
escaped pieces (every label and text escaped, see ``_e``) plus the same numbers as table
headers and rows, which templates/includes/chart.html shows under the drawing for screen
readers and copy-paste.

Geometry (positions, sizes, font sizes) is written here as SVG attributes; colours are CSS
classes defined in static/css/charts.css. No style attributes and no <style> element, so the
charts keep working under a strict Content-Security-Policy.

Each chart is drawn twice: a wide drawing for screens from a tablet up, and a narrow one for
phones, where the wide one would be scaled down until its text is too small to read. In the
narrow drawing each label sits above its bar, on as many as two lines, so long names wrap
instead of being cut short; the CSS shows one of the two.
"""

from __future__ import annotations

import functools
import html
import itertools
import math
import unicodedata
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

Number = Decimal | int | float

NO_DATA = gettext_lazy("ไม่มีข้อมูล")
NO_ITEMS = gettext_lazy("ไม่มีรายการ")
ELLIPSIS = "…"
DONE, CANCELLED = "done", "cancelled"

# Sizes in viewBox units; the svg is scaled to the width of its container.
WIDTH = 760
# The phone drawing: about the width of a 360–430 px phone's page, so that it is drawn at
# about its own size there and SMALL text stays at 11 px or more (charts.css shows it).
NARROW_WIDTH = 340
LABEL_LINES = 2  # a label above its bar wraps over this many lines at most
LABEL_LINE = 18  # the height of one of those lines
FONT = 14  # labels and values
SMALL = 12  # ticks, legend, counts inside segments
ROW = 30  # height of one horizontal bar's band
BAR = 18  # thickness of a bar
GAP = 8  # between a label and its bar, a bar and its value
MAX_LABEL = 260  # the label column never grows wider; longer labels are cut with "…"
LINE_HEIGHT = 280
NARROW_LINE_HEIGHT = 240
POINT_VALUES_UP_TO = 12  # with more points, only the last value is printed on the line


@dataclass(frozen=True)
class Chart:
    title: str  # also the figure caption and the table caption
    svg: SafeString  # the wide drawing
    headers: list[str]
    rows: list[list[str]]  # cells as display strings, already formatted
    summary: str = ""  # one sentence for screen readers (the svg's <desc>)
    links: tuple[str, ...] = ()  # href of each row's first cell in the table; "" for none
    narrow: str = ""  # the phone drawing of the same numbers (SafeString)

    @property
    def table_rows(self) -> list[tuple[str, str, list[str]]]:
        """(href, first cell, other cells) per row: the first cell is the row header."""
        links = list(self.links) + [""] * (len(self.rows) - len(self.links))
        return [(href, row[0], row[1:]) for href, row in zip(links, self.rows, strict=False)]

    @property
    def table_body(self) -> SafeString:
        """The rows of the table as HTML, every cell escaped: written here rather than by
        a loop in the template, which cost as much as drawing the chart."""
        lines = []
        for href, first, cells in self.table_rows:
            header = f'<a href="{_e(href)}">{_e(first)}</a>' if href else _e(first)
            data = "".join(f"<td>{_e(cell)}</td>" for cell in cells)
            lines.append(f'<tr><th scope="row">{header}</th>{data}</tr>')
        return SafeString("\n".join(lines))


@dataclass(frozen=True)
class Bar:
    label: str
    value: Number | None
    href: str = ""
    tone: str = ""  # CSS modifier: "pass", "fail", ... (class "tone-<tone>")


@dataclass(frozen=True)
class Segment:
    key: str
    label: str
    tone: str = ""


class StackRow(NamedTuple):
    """One row of a stacked bar chart; a plain (label, counts) tuple is accepted too."""

    label: str
    counts: Mapping[str, int]
    href: str = ""


# --- Numbers and text -------------------------------------------------------------------------


def format_number(value: Number | None) -> str:
    """A value as shown: ints as they are, Decimals and floats with 2 decimals (half up)."""
    if value is None:
        return str(NO_DATA)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{Decimal(str(value)).quantize(Decimal('0.01'), ROUND_HALF_UP):,}"


def _plain(value: float) -> str:
    """A tick or bound without trailing zeros: 100, 2.5, 93.33."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


_COORDINATES: dict[float, str] = {}


def _n(value: float) -> str:
    """A coordinate for an SVG attribute: 2 decimals are plenty, trailing zeros dropped.

    Each written once per process: a chart writes a thousand, most of them the same few
    (a row's top and middle, a column's edge) again and again."""
    found = _COORDINATES.get(value)
    if found is None:
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        found = "0" if text == "-0" else text
        if len(_COORDINATES) >= 8192:  # the values of many charts: start again
            _COORDINATES.clear()
        _COORDINATES[value] = found
    return found


# Advance widths of Sarabun in ems; Thai letters are about 0.6, marks above/below take none.
_NARROW = dict.fromkeys(" .,:;()[]/-'\"!|", 0.3)
_WIDE = {"%": 0.9, ELLIPSIS: 0.75, "ฌ": 0.83, "ญ": 0.83, "ฒ": 0.83, "ณ": 0.83}
_DIGIT = 0.55


def _char_ems(char: str) -> float:
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0.0  # Thai vowels and tone marks sit above or below their consonant
    if char.isdigit():
        return _DIGIT
    return _NARROW.get(char) or _WIDE.get(char) or 0.6


# Worked out once for ASCII and the Thai block: a chart measures every label letter by
# letter, and asking unicodedata for each letter cost more than drawing the chart.
_EMS = {char: _char_ems(char) for char in map(chr, [*range(32, 127), *range(0x0E00, 0x0E80)])}
_EMS.update((char, _char_ems(char)) for char in (*_WIDE, *_NARROW))


def _ems(char: str) -> float:
    ems = _EMS.get(char)
    return _char_ems(char) if ems is None else ems


# The measures below are asked again and again of the same texts (the labels, the counts, the
# ticks of every chart): each kept per process.


@functools.lru_cache(maxsize=4096)
def text_width(text: str, size: float = FONT) -> float:
    """An estimate of the drawn width of text in Sarabun, slightly generous on purpose."""
    ems, known = 0.0, _EMS.get
    for char in text:
        width = known(char)
        ems += _char_ems(char) if width is None else width
    return ems * size


@functools.lru_cache(maxsize=4096)
def fit(text: str, max_width: float, size: float = FONT) -> str:
    """text cut with "…" to fit max_width; marks stay with their consonant."""
    if text_width(text, size) <= max_width:
        return text
    room = max_width - text_width(ELLIPSIS, size)
    ems, end = 0.0, 0
    for char in text:
        ems += _ems(char)  # the width of text[: end + 1], summed as text_width sums it
        if ems * size > room:
            break
        end += 1
    # A Thai leading vowel belongs to the next consonant, which was cut: drop it too.
    return text[:end].rstrip(" เแโใไ") + ELLIPSIS


_LEADING_VOWELS = "เแโใไ"


def _is_mark(char: str) -> bool:
    return unicodedata.category(char) in ("Mn", "Me", "Cf")


def _break_at(text: str, max_width: float, size: float) -> int:
    """Where to end the first line of text: after the last space that fits, else after the
    last letter that fits, never between a letter and its marks or after a leading vowel."""
    end, ems = 0, 0.0
    while end < len(text):
        ems += _ems(text[end])  # the width of text[: end + 1]
        if ems * size > max_width:
            break
        end += 1
    while end < len(text) and _is_mark(text[end]):
        end -= 1  # the marks that fit belong to a letter that goes on the next line
    space = text.rfind(" ", 0, end + 1)
    if space > end // 3:
        return space
    while end > 1 and text[end - 1] in _LEADING_VOWELS:
        end -= 1
    return max(end, 1)


def wrap(text: str, max_width: float, size: float = FONT, lines: int = LABEL_LINES) -> list[str]:
    """text over at most `lines` lines of max_width, the last one cut with "…" if need be."""
    return list(_wrapped(text, max_width, size, lines))


@functools.lru_cache(maxsize=4096)
def _wrapped(text: str, max_width: float, size: float, lines: int) -> tuple[str, ...]:
    wrapped, rest = [], text.strip()
    while len(wrapped) < lines - 1 and text_width(rest, size) > max_width:
        cut = _break_at(rest, max_width, size)
        wrapped.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return (*wrapped, fit(rest, max_width, size))


def _fraction(value: float, maximum: float) -> float:
    """value / maximum kept within 0..1, so out-of-range values stay inside the plot."""
    if maximum <= 0:
        return 0.0
    return min(max(value / maximum, 0.0), 1.0)


# --- Scales -----------------------------------------------------------------------------------


def _nice_step(span: float, count: int = 5) -> float:
    """A round step (1, 2, 2.5 or 5 × 10ⁿ) giving about count ticks over span."""
    if span <= 0:
        return 1.0  # a zero maximum: a single tick at 0
    raw = span / count
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5):
        if raw <= multiple * magnitude * (1 + 1e-9):
            return multiple * magnitude
    return 10 * magnitude


def _nice_ceiling(value: float) -> float:
    """value rounded up to a round step; 10 when there is nothing above zero to show."""
    if value <= 0:
        return 10.0
    step = _nice_step(value)
    return math.ceil(value / step - 1e-9) * step


def _ticks(maximum: float) -> list[float]:
    step = _nice_step(maximum)
    return [round(i * step, 9) for i in range(int(maximum / step + 1e-9) + 1)]


# --- SVG pieces -------------------------------------------------------------------------------


# Every piece below is built from escaped texts and numbers: SafeString() marks it as such
# directly (mark_safe's check for lazy arguments, a few hundred times per chart, cost more than
# the rest of the drawing's string work).


def _join(parts: Iterable[SafeString]) -> SafeString:
    # Every part is an escaped piece, so the joined text is as safe as its parts.
    return SafeString("".join(parts))


def _e(value) -> str:
    """conditional_escape without its wrappers: a chart escapes a few hundred short texts, and
    format_html's per-argument cost was most of the drawing's time."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


_ATTRIBUTES: dict = {}


def _attr(value) -> str:
    """An attribute value the code names (a class, an anchor, a size), escaped once: a chart
    writes the same few hundreds of times."""
    found = _ATTRIBUTES.get(value)
    if found is None:
        found = _e(value)
        # Only plain texts and numbers: a marked-safe text equal to a plain one escapes
        # otherwise. The code's own values are a few dozen.
        if type(value) in (str, int) and len(_ATTRIBUTES) < 512:
            _ATTRIBUTES[value] = found
    return found


def _svg(
    kind: str,
    title: str,
    summary: str,
    height: float,
    body: Iterable[SafeString],
    width: float = WIDTH,
):
    # Ids must be unique on a page that shows several charts, possibly of the same data.
    uid = f"chart-{uuid.uuid4().hex}"
    return SafeString(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg chart-{_e(kind)} '
        f'chart-{"wide" if width == WIDTH else "narrow"}" '
        f'viewBox="0 0 {_n(width)} {_n(height)}" width="100%" font-size="{FONT}" role="img" '
        f'aria-labelledby="{uid}-title {uid}-desc">'
        f'<title id="{uid}-title">{_e(title)}</title><desc id="{uid}-desc">{_e(summary)}</desc>'
        f"{_join(body)}</svg>"
    )


# The shapes below take coordinates (numbers, written by _n) and class names; only the class
# names and texts are escaped.


def _rect(x: float, y: float, width: float, height: float, css: str, extra: SafeString = ""):
    # extra: attributes already escaped
    return SafeString(
        f'<rect class="{_attr(css)}" x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" '
        f'height="{_n(height)}"{_e(extra)}/>'
    )


def _text(x: float, y: float, text: str, css: str, anchor: str = "start", size: int = 0):
    size_attribute = f' font-size="{_attr(size)}"' if size else ""
    return SafeString(
        f'<text class="{_attr(css)}" x="{_n(x)}" y="{_n(y)}" text-anchor="{_attr(anchor)}"'
        f"{size_attribute}>{_e(text)}</text>"
    )


def _line(x1: float, y1: float, x2: float, y2: float, css: str):
    return SafeString(
        f'<line class="{_attr(css)}" x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}"/>'
    )


def _tone(base: str, tone: str) -> str:
    return f"{base} tone-{tone}" if tone else base


def _baseline(middle: float, size: float = FONT) -> float:
    """The y of a text baseline that centres the glyphs on middle."""
    return middle + size * 0.35


def _linked(href: str, content: SafeString) -> SafeString:
    # The svg is role="img", so its content is not reachable by keyboard or screen reader:
    # the links stay out of the tab order and the table under the chart repeats them.
    if not href:
        return content
    return SafeString(f'<a class="chart-link" href="{_e(href)}" tabindex="-1">{_e(content)}</a>')


# --- Horizontal rows: label | bar | value -----------------------------------------------------


@dataclass(frozen=True)
class _Rows:
    """The layout of horizontal rows. Wide: label | bar | value on one line, labels cut to
    MAX_LABEL. Narrow (above=True): the label over its bar on up to LABEL_LINES lines, the
    bar across the whole width but for the value after it."""

    label_width: float
    value_width: float
    top: float  # y of the first row's band
    width: float = WIDTH
    lines: tuple[tuple[str, ...], ...] = ()  # each row's label as drawn, one entry per line

    @property
    def above(self) -> bool:
        return self.width != WIDTH

    @property
    def plot_x(self) -> float:
        # Narrow: room for half of the "0" printed under the start of the axis.
        return GAP if self.above else self.label_width + GAP

    @property
    def plot_width(self) -> float:
        return self.width - self.plot_x - self.value_width

    def _height(self, index: int) -> float:
        if not self.above:
            return ROW
        return len(self.lines[index]) * LABEL_LINE + BAR + 12

    @functools.cached_property
    def _tops(self) -> list[int]:
        # Each row's offset from the first (whole numbers, so the sums are exact): summed
        # once, not again for every row.
        return list(
            itertools.accumulate((self._height(i) for i in range(len(self.lines))), initial=0)
        )

    def band(self, index: int) -> float:
        tops = self._tops
        if index < len(tops):
            return self.top + tops[index]
        return self.top + sum(self._height(i) for i in range(index))

    def middle(self, index: int) -> float:
        """The y of the middle of the row's bar."""
        if not self.above:
            return self.band(index) + ROW / 2
        return self.band(index) + len(self.lines[index]) * LABEL_LINE + 2 + BAR / 2

    def bar_top(self, index: int) -> float:
        return self.middle(index) - BAR / 2

    def x(self, fraction: float) -> float:
        return self.plot_x + self.plot_width * fraction

    @classmethod
    def fitting(
        cls, labels: Iterable[str], value_texts: Iterable[str], top: float, width: float = WIDTH
    ) -> _Rows:
        """Columns as wide as the widest label and value need, labels capped at MAX_LABEL
        (wide) or wrapped over the whole width (narrow)."""
        labels = list(labels)
        value_width = max((text_width(text) for text in value_texts), default=0)
        value_width = max(value_width, 40) + GAP
        if width != WIDTH:
            lines = tuple(tuple(wrap(label, width)) for label in labels)
            return cls(0.0, value_width, top, width, lines)
        label_width = min(max(max((text_width(t) for t in labels), default=0), 40), MAX_LABEL)
        lines = tuple((fit(label, label_width),) for label in labels)
        return cls(label_width, value_width, top, width, lines)

    def label(self, index: int, label: str) -> SafeString:
        if not self.above:
            y = _baseline(self.middle(index))
            return _text(self.label_width, y, self.lines[index][0], "chart-label", anchor="end")
        first = self.band(index) + LABEL_LINE / 2 + 2
        return _join(
            _text(0, _baseline(first + number * LABEL_LINE), line, "chart-label")
            for number, line in enumerate(self.lines[index])
        )


def _x_ticks(rows: _Rows, maximum: float, count: int) -> list[SafeString]:
    """Vertical grid lines with their values under the last row."""
    bottom = rows.band(count)
    parts = []
    for tick in _ticks(maximum):
        x = rows.x(_fraction(tick, maximum))
        parts.append(_line(x, rows.top, x, bottom, "chart-grid"))
        parts.append(_text(x, bottom + 16, _plain(tick), "chart-tick", "middle", SMALL))
    return parts


def _marker(rows: _Rows, count: int, x: float, label: str) -> list[SafeString]:
    """The dashed line of the pass mark, labelled above the first row."""
    line = _line(x, rows.top - 6, x, rows.band(count), "chart-marker")
    half = text_width(label, SMALL) / 2
    # Keep the label inside the drawing when the mark is near an edge.
    if x + half > rows.width:
        anchor = "end"
    elif x - half < 0:
        anchor = "start"
    else:
        anchor = "middle"
    return [line, _text(x, rows.top - 10, label, "chart-marker-label", anchor, SMALL)]


# --- Bar chart --------------------------------------------------------------------------------


def bar_chart(
    title: str,
    bars: Sequence[Bar],
    *,
    maximum: Number | None = Decimal(100),
    marker: Number | None = None,
    marker_label: str = "",
    unit: str = "",
    value_header: str = "",
    label_header: str = "",
    summary: str = "",
) -> Chart:
    """Horizontal bars from 0 to maximum (None: the largest value rounded up), the value
    printed after each bar; marker draws a dashed line, e.g. at the pass mark, labelled with
    marker_label (or the marker's value). unit is appended to the printed values as given
    ("%", " คะแนน") and to the table header (value_header, "คะแนน" when empty). A None value
    is drawn as "ไม่มีข้อมูล"."""
    bars = list(bars)
    values = [float(bar.value) for bar in bars if bar.value is not None]
    if maximum is None:
        highest = max([*values, float(marker) if marker is not None else 0.0])
        top_value = _nice_ceiling(highest)
    else:
        top_value = float(maximum)
    summary = summary or _bar_summary(bars, marker, marker_label, unit)

    def drawing(width: float) -> SafeString:
        value_texts = [format_number(bar.value) + unit for bar in bars if bar.value is not None]
        rows = _Rows.fitting(
            (bar.label for bar in bars), value_texts, 28 if marker is not None else 8, width
        )
        drawn = [_bar_row(rows, index, bar, top_value, unit) for index, bar in enumerate(bars)]
        body = _x_ticks(rows, top_value, len(bars))
        body += [shapes for shapes, _ in drawn]
        if marker is not None:
            x = rows.x(_fraction(float(marker), top_value))
            body += _marker(rows, len(bars), x, marker_label or format_number(marker) + unit)
        body += [texts for _, texts in drawn]
        height = rows.band(len(bars)) + 26
        return _svg("bar", title, summary, height, body, width)

    return Chart(
        title=title,
        svg=drawing(WIDTH),
        headers=[label_header or _("รายการ"), _with_unit(value_header or _("คะแนน"), unit)],
        rows=[[bar.label, format_number(bar.value)] for bar in bars],
        summary=summary,
        links=tuple(bar.href for bar in bars),
        narrow=drawing(NARROW_WIDTH),
    )


def _bar_row(
    rows: _Rows, index: int, bar: Bar, maximum: float, unit: str
) -> tuple[SafeString, SafeString]:
    """The bar of one row and its texts, apart: the marker line is drawn between the two, over
    the bars but under the values."""
    middle, top = rows.middle(index), rows.bar_top(index)
    shapes = [_rect(rows.plot_x, top, rows.plot_width, BAR, "chart-track")]
    texts = [rows.label(index, bar.label)]
    if bar.value is None:
        shown = str(NO_DATA)
        texts.append(_text(rows.plot_x + GAP, _baseline(middle), shown, "chart-missing"))
    else:
        width = rows.plot_width * _fraction(float(bar.value), maximum)
        shown = format_number(bar.value) + unit
        shapes.append(_rect(rows.plot_x, top, width, BAR, _tone("chart-bar", bar.tone)))
        texts.append(_text(rows.plot_x + width + GAP, _baseline(middle), shown, "chart-value"))
    tip = f"{bar.label}: {shown}"
    title = f'<g class="chart-row"><title>{_e(tip)}</title>'
    shapes_group = _linked(bar.href, SafeString(f"{title}{_join(shapes)}</g>"))
    texts_group = _linked(bar.href, SafeString(f"{title}{_join(texts)}</g>"))
    return shapes_group, texts_group


def _bar_summary(bars: list[Bar], marker: Number | None, marker_label: str, unit: str) -> str:
    known = [bar for bar in bars if bar.value is not None]
    if not known:
        return str(NO_DATA)
    missing = len(bars) - len(known)
    note = " " + _("ไม่มีข้อมูล %(count)s รายการ") % {"count": missing} if missing else ""
    if marker is not None:
        reached = sum(1 for bar in known if bar.value >= marker)
        mark = marker_label or _("เส้นเกณฑ์ %(mark)s") % {"mark": format_number(marker) + unit}
        return (
            _("%(mark)s: ถึงเกณฑ์ %(reached)s จาก %(count)s รายการ")
            % {
                "mark": mark,
                "reached": reached,
                "count": len(bars),
            }
            + note
        )
    high = max(known, key=lambda bar: bar.value)
    low = min(known, key=lambda bar: bar.value)
    return (
        _("สูงสุด %(high)s ต่ำสุด %(low)s")
        % {
            "high": f"{high.label} {format_number(high.value)}{unit}",
            "low": f"{low.label} {format_number(low.value)}{unit}",
        }
        + note
    )


def _with_unit(header: str, unit: str) -> str:
    return f"{header} ({unit.strip()})" if unit.strip() else header


# --- Stacked bar chart ------------------------------------------------------------------------


def done_percent(counts: Mapping[str, int], keys: Iterable[str]) -> Decimal | None:
    """Percent done, one decimal (half up): done / (total − cancelled) × 100.

    Only the given segment keys count towards the total. Cancelled items are left out of
    the denominator when a "cancelled" key is among them: a cancelled action is neither
    done nor still to do. None without a "done" key, or when nothing is left to count.
    """
    keys = list(keys)
    if DONE not in keys:
        return None
    total = sum(counts.get(key, 0) for key in keys)
    if CANCELLED in keys:
        total -= counts.get(CANCELLED, 0)
    if total <= 0:
        return None
    percent = Decimal(counts.get(DONE, 0) * 100) / Decimal(total)
    return percent.quantize(Decimal("0.1"), ROUND_HALF_UP)


def _percent_text(percent: Decimal | None) -> str:
    return "–" if percent is None else str(percent)


def stacked_bar_chart(
    title: str,
    rows: Sequence[StackRow | tuple[str, Mapping[str, int]]],
    segments: Sequence[Segment],
    *,
    label_header: str = "",
    summary: str = "",
) -> Chart:
    """One 100 % stacked bar per row, a segment per Segment in the given order, its count
    printed inside when there is room; a legend above. Counts under keys that are not
    segments are ignored. With a "done" segment, each row ends with its percent done (see
    done_percent: cancelled items are left out of the denominator) and the table gets a
    "% เสร็จ" column; without it, each row ends with its total."""
    rows = [StackRow(*row) for row in rows]
    # Labels translated once, not once per bar in every tooltip.
    segments = [Segment(segment.key, str(segment.label), segment.tone) for segment in segments]
    keys = [segment.key for segment in segments]
    end_texts = _stack_end_texts()
    ends = [_stack_end(row.counts, keys, end_texts) for row in rows]
    summary = summary or _stack_summary(rows, segments)

    tip_text = _("%(label)s · %(segment)s: %(count)s จาก %(total)s")
    pieces = [_pieces(row, segments, tip_text) for row in rows]  # the same in both drawings

    def drawing(width: float) -> SafeString:
        legend, legend_height = _legend(segments, width)
        layout = _Rows.fitting((row.label for row in rows), ends, legend_height, width)
        body = [legend]
        for index, (row, end) in enumerate(zip(rows, ends, strict=True)):
            body.append(_stack_row(layout, index, row, pieces[index], end))
        height = layout.band(len(rows)) + 8
        return _svg("stacked", title, summary, height, body, width)

    headers = [label_header or _("รายการ"), *(segment.label for segment in segments), _("รวม")]
    if DONE in keys:
        headers.append(_("% เสร็จ"))
    return Chart(
        title=title,
        svg=drawing(WIDTH),
        headers=headers,
        rows=[[row.label, *_stack_cells(row.counts, keys)] for row in rows],
        summary=summary,
        links=tuple(row.href for row in rows),
        narrow=drawing(NARROW_WIDTH),
    )


def _stack_cells(counts: Mapping[str, int], keys: list[str]) -> list[str]:
    cells = [f"{counts.get(key, 0):,}" for key in keys]
    cells.append(f"{sum(counts.get(key, 0) for key in keys):,}")
    if DONE in keys:
        cells.append(_percent_text(done_percent(counts, keys)))
    return cells


def _stack_end(counts: Mapping[str, int], keys: list[str], texts: tuple[str, str]) -> str:
    """What is printed after a stacked bar: the percent done, or the total (``texts``: the
    two translated once a chart, by ``_stack_end_texts``)."""
    done_text, total_text = texts
    if DONE in keys:
        percent = done_percent(counts, keys)
        shown = _percent_text(percent) + ("" if percent is None else "%")
        return done_text % {"percent": shown}
    return total_text % {"count": f"{sum(counts.get(key, 0) for key in keys):,}"}


def _stack_end_texts() -> tuple[str, str]:
    return _("เสร็จ %(percent)s"), _("รวม %(count)s")


@dataclass(frozen=True)
class _Piece:
    """A bar's segment as both drawings print it: all but its place, which the width sets."""

    count: int
    shape_class: str
    key: SafeString  # the data-key attribute
    number: str  # the count as printed inside the segment when it fits
    number_class: str
    number_width: float  # the room the printed count needs
    tip: str  # the tooltip, escaped


def _pieces(row: StackRow, segments: Sequence[Segment], tip_text: str) -> tuple[list[_Piece], int]:
    """The segments of a row's bar (zero counts included: they still move the edges) and
    its total; ``tip_text`` the tooltip's text, translated once a chart."""
    counts = [max(row.counts.get(segment.key, 0), 0) for segment in segments]
    total = sum(counts)
    pieces = []
    for segment, count in zip(segments, counts, strict=True):
        number = f"{count:,}"
        tip = tip_text % {
            "label": row.label,
            "segment": segment.label,
            "count": number,
            "total": f"{total:,}",
        }
        pieces.append(
            _Piece(
                count,
                _tone("chart-seg", segment.tone),
                SafeString(f' data-key="{_e(segment.key)}"'),
                number,
                _tone("chart-seg-value", segment.tone),
                text_width(number, SMALL) + 6,
                _e(tip),
            )
        )
    return pieces, total


def _stack_row(
    layout: _Rows, index: int, row: StackRow, pieces: tuple[list[_Piece], int], end: str
) -> SafeString:
    middle, top = layout.middle(index), layout.bar_top(index)
    segments, total = pieces
    parts = [layout.label(index, row.label)]
    if total == 0:
        # Nothing to divide: an empty outline rather than a division by zero.
        parts.append(_rect(layout.plot_x, top, layout.plot_width, BAR, "chart-track chart-empty"))
        parts.append(_text(layout.plot_x + GAP, _baseline(middle), NO_ITEMS, "chart-missing"))
    else:
        parts += _segments(layout, index, segments, total)
    parts.append(
        _text(layout.plot_x + layout.plot_width + GAP, _baseline(middle), end, "chart-total")
    )
    return _linked(row.href, SafeString(f'<g class="chart-row">{_join(parts)}</g>'))


def _segments(layout: _Rows, index: int, pieces: list[_Piece], total: int) -> list[SafeString]:
    """The segments of one bar. Edges are placed from running totals, so the widths always add
    up to the full bar whatever the rounding."""
    middle, top = layout.middle(index), layout.bar_top(index)
    plot_x, plot_width = layout.plot_x, layout.plot_width
    parts, running = [], 0
    for piece in pieces:
        start = round(plot_width * running / total, 2)
        running += piece.count
        end = round(plot_width * running / total, 2)
        if piece.count == 0:
            continue
        x, width = plot_x + start, end - start
        shape = _rect(x, top, width, BAR, piece.shape_class, piece.key)
        number = ""
        if width >= piece.number_width:
            number = _text(
                x + width / 2,
                _baseline(middle, SMALL),
                piece.number,
                piece.number_class,
                "middle",
                SMALL,
            )
        parts.append(SafeString(f"<g><title>{piece.tip}</title>{shape}{_e(number)}</g>"))
    return parts


def _legend(segments: Sequence[Segment], chart_width: float = WIDTH) -> tuple[SafeString, float]:
    """Swatches with their labels, wrapped over as many lines as needed; and its height."""
    parts, x, y = [], 0.0, 6.0
    for segment in segments:
        width = 12 + 6 + text_width(segment.label, SMALL) + 18
        if x and x + width > chart_width:
            x, y = 0.0, y + 20
        parts.append(_rect(x, y, 12, 12, _tone("chart-swatch", segment.tone)))
        parts.append(
            _text(x + 18, _baseline(y + 6, SMALL), segment.label, "chart-legend", size=SMALL)
        )
        x += width
    return SafeString(f'<g class="chart-legend-items">{_join(parts)}</g>'), y + 22


def _stack_summary(rows: list[StackRow], segments: Sequence[Segment]) -> str:
    keys = [segment.key for segment in segments]
    totals = {key: sum(row.counts.get(key, 0) for row in rows) for key in keys}
    grand = sum(totals.values())
    if grand == 0:
        return str(NO_ITEMS)
    parts = ", ".join(f"{segment.label} {totals[segment.key]:,}" for segment in segments)
    text = _("รวม %(count)s รายการ: %(parts)s") % {"count": f"{grand:,}", "parts": parts}
    if DONE in keys:
        percent = _percent_text(done_percent(totals, keys))
        text += " " + _("เสร็จแล้ว %(percent)s%%") % {"percent": percent}
    return text


# --- Line chart -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Plot:
    left: float
    count: int
    maximum: float
    top: float = 24  # room for the value printed above the highest point
    right: float = 16
    bottom: float = 40  # room for the x labels
    chart_width: float = WIDTH
    chart_height: float = LINE_HEIGHT

    @property
    def width(self) -> float:
        return self.chart_width - self.left - self.right

    @property
    def height(self) -> float:
        return self.chart_height - self.top - self.bottom

    @property
    def base(self) -> float:
        return self.top + self.height

    @property
    def step(self) -> float:
        return self.width / max(self.count, 1)

    def x(self, index: int) -> float:
        # Points sit in the middle of equal bands, so the first and last labels fit.
        return self.left + self.step * (index + 0.5)

    def y(self, value: float) -> float:
        return self.top + self.height * (1 - _fraction(value, self.maximum))


def line_chart(
    title: str,
    points: Sequence[tuple[str, Number]],
    *,
    maximum: Number | None = None,
    unit: str = "",
    x_header: str = "",
    y_header: str = "",
    summary: str = "",
) -> Chart:
    """A line through points (x label, value) in the given order, the y axis from 0 to
    maximum (None: the largest value rounded up). Each point is a dot with a tooltip; values
    are printed above the dots when there are few of them, otherwise only the last."""
    points = list(points)
    top_value = (
        float(maximum)
        if maximum is not None
        else _nice_ceiling(max((float(value) for _, value in points), default=0))
    )
    ticks = _ticks(top_value)
    tick_width = max(text_width(_plain(tick) + unit, SMALL) for tick in ticks)
    summary = summary or _line_summary(points, unit)

    def drawing(width: float, height: float) -> SafeString:
        plot = _Plot(
            left=tick_width + 2 * GAP,
            count=len(points),
            maximum=top_value,
            chart_width=width,
            chart_height=height,
        )
        body = _y_ticks(plot, ticks, unit)
        if points:
            body += _x_labels(plot, [label for label, _value in points])
            body += _polyline(plot, points, unit)
        else:
            middle = (plot.left + plot.width / 2, plot.top + plot.height / 2)
            body.append(_text(*middle, NO_DATA, "chart-missing", "middle"))
        return _svg("line", title, summary, height, body, width)

    return Chart(
        title=title,
        svg=drawing(WIDTH, LINE_HEIGHT),
        narrow=drawing(NARROW_WIDTH, NARROW_LINE_HEIGHT),
        headers=[x_header or _("ช่วง"), _with_unit(y_header or _("ค่า"), unit)],
        rows=[[label, format_number(value)] for label, value in points],
        summary=summary,
    )


def _y_ticks(plot: _Plot, ticks: list[float], unit: str) -> list[SafeString]:
    parts = []
    for tick in ticks:
        y = plot.y(tick)
        parts.append(_line(plot.left, y, plot.left + plot.width, y, "chart-grid"))
        parts.append(
            _text(
                plot.left - GAP,
                _baseline(y, SMALL),
                _plain(tick) + unit,
                "chart-tick",
                "end",
                SMALL,
            )
        )
    parts.append(_line(plot.left, plot.base, plot.left + plot.width, plot.base, "chart-axis"))
    return parts


def _x_labels(plot: _Plot, labels: list[str]) -> list[SafeString]:
    """The x labels, every k-th one when they would collide; the last one always."""
    widest = max(text_width(label, SMALL) for label in labels) + GAP
    every = max(1, math.ceil(widest / plot.step))
    last = len(labels) - 1
    return [
        _text(plot.x(index), plot.base + 20, label, "chart-tick", "middle", SMALL)
        for index, label in enumerate(labels)
        if (last - index) % every == 0
    ]


def _polyline(plot: _Plot, points: list[tuple[str, Number]], unit: str) -> list[SafeString]:
    coordinates = [(plot.x(index), plot.y(float(value))) for index, (_, value) in enumerate(points)]
    path = " ".join(f"{_n(x)},{_n(y)}" for x, y in coordinates)
    parts = []
    if len(points) > 1:
        first_x, last_x = coordinates[0][0], coordinates[-1][0]
        area = f"{_n(first_x)},{_n(plot.base)} {path} {_n(last_x)},{_n(plot.base)}"
        parts.append(SafeString(f'<polygon class="chart-area" points="{_e(area)}"/>'))
        parts.append(SafeString(f'<polyline class="chart-line" points="{_e(path)}"/>'))
    shown = [format_number(value) + unit for _label, value in points]
    widest = max(text_width(text, SMALL) for text in shown)
    # Neighbouring values must not touch: on a narrow drawing only the last may be printed.
    printed = len(points) <= POINT_VALUES_UP_TO and plot.step >= widest + GAP
    for index, ((label, _value), text, (x, y)) in enumerate(
        zip(points, shown, coordinates, strict=True)
    ):
        value_text = ""
        if printed or index == len(points) - 1:
            value_text = _text(x, y - 9, text, "chart-point-value", "middle", SMALL)
        parts.append(
            SafeString(
                f'<g class="chart-point"><title>{_e(label)}: {_e(text)}</title>'
                f'<circle class="chart-dot" cx="{_n(x)}" cy="{_n(y)}" r="4"/>{_e(value_text)}</g>'
            )
        )
    return parts


def _line_summary(points: list[tuple[str, Number]], unit: str) -> str:
    if not points:
        return str(NO_DATA)
    (first_label, first), (last_label, last) = points[0], points[-1]
    return _("เริ่มที่ %(first)s (%(first_label)s) ล่าสุด %(last)s (%(last_label)s)") % {
        "first": format_number(first) + unit,
        "first_label": first_label,
        "last": format_number(last) + unit,
        "last_label": last_label,
    }


# --- Heat map colours -------------------------------------------------------------------------


@functools.lru_cache(maxsize=16)
def _heat_bounds(pass_mark: Number, maximum: Number) -> tuple[Decimal, ...]:
    """The lowest value of heat-1 … heat-5. Below the pass mark one band per 10 points (the
    ITA grades B and C, then everything lower); from the pass mark to maximum, thirds
    (85, 90, 95 with the usual pass mark: A, A, AA)."""
    mark, top = Decimal(str(pass_mark)), Decimal(str(maximum))
    third = (top - mark) / 3
    bounds = [mark - 20, mark - 10, mark, mark + third, mark + 2 * third]
    return tuple(bound.quantize(Decimal("0.01"), ROUND_HALF_UP) for bound in bounds)


def heat_color(value: Number | None, *, pass_mark: Number, maximum: Number = Decimal(100)) -> str:
    """The CSS class of a heat-map cell: heat-0 … heat-2 (warm) below the pass mark, heat-3 …
    heat-5 (cool) at or above it, heat-none without a value. Classes in charts.css."""
    if value is None:
        return "heat-none"
    score = Decimal(str(value))
    level = sum(1 for bound in _heat_bounds(pass_mark, maximum) if score >= bound)
    return f"heat-{level}"


def heat_legend(*, pass_mark: Number, maximum: Number = Decimal(100)) -> list[tuple[str, str]]:
    """(class, Thai range) for each heat class, lowest first, for a legend under the map."""
    bounds = _heat_bounds(pass_mark, maximum)
    below = [bound - Decimal("0.01") for bound in bounds]
    labels = [_("ต่ำกว่า %(bound)s") % {"bound": bounds[0]}]
    labels += [f"{low} – {high}" for low, high in zip(bounds, below[1:], strict=False)]
    labels.append(_("%(bound)s ขึ้นไป") % {"bound": bounds[-1]})
    return [(f"heat-{level}", label) for level, label in enumerate(labels)] + [
        ("heat-none", str(NO_DATA))
    ]
