"""Server-drawn SVG charts: geometry, escaping, the table of numbers, heat-map classes."""

import xml.etree.ElementTree as ET
from decimal import Decimal
from html.parser import HTMLParser
from itertools import pairwise

import pytest
from django.template.loader import render_to_string

from plans.charts import (
    NO_DATA,
    NO_ITEMS,
    Bar,
    Segment,
    bar_chart,
    done_percent,
    fit,
    format_number,
    heat_color,
    heat_legend,
    line_chart,
    stacked_bar_chart,
    text_width,
)

SVG = "{http://www.w3.org/2000/svg}"
# The ten indicators of one district, as printed (pass mark 85).
TEN_SCORES = [
    "91.25",
    "88.10",
    "79.00",
    "85.00",
    "90.30",
    "71.22",
    "80.00",
    "76.74",
    "60.00",
    "95.00",
]
STATUS = [
    Segment("done", "เสร็จสิ้น", "done"),
    Segment("in_progress", "กำลังดำเนินการ", "in-progress"),
    Segment("not_started", "ยังไม่เริ่ม", "not-started"),
    Segment("cancelled", "ยกเลิก", "cancelled"),
]


def parse(chart):
    """The chart's SVG as XML: parsing it is also the well-formedness check."""
    return ET.fromstring(str(chart.svg))


def elements(root, tag, css):
    return [e for e in root.iter(SVG + tag) if css in e.get("class", "").split()]


def number(element, attribute):
    return float(element.get(attribute))


def texts(root, css):
    return ["".join(e.itertext()) for e in elements(root, "text", css)]


def ten_indicators():
    return bar_chart(
        "คะแนนรายตัวชี้วัด",
        [
            Bar(f"ตัวชี้วัดที่ {n}", Decimal(s), tone="pass" if Decimal(s) >= 85 else "fail")
            for n, s in enumerate(TEN_SCORES, 1)
        ],
        marker=Decimal(85),
        marker_label="เกณฑ์ผ่าน 85",
        label_header="ตัวชี้วัด",
    )


# --- Bar chart --------------------------------------------------------------------------------


def test_bar_widths_are_proportional_to_the_values():
    root = parse(bar_chart("t", [Bar("ครึ่ง", 50), Bar("เต็ม", 100), Bar("ศูนย์", 0)]))
    half, full, zero = (number(rect, "width") for rect in elements(root, "rect", "chart-bar"))
    track = number(elements(root, "rect", "chart-track")[0], "width")
    assert half / full == pytest.approx(0.5)
    assert full == pytest.approx(track)
    assert zero == 0


def test_values_beyond_the_maximum_stay_inside_the_plot():
    root = parse(bar_chart("t", [Bar("เกิน", 120), Bar("ติดลบ", -5)]))
    over, under = (number(rect, "width") for rect in elements(root, "rect", "chart-bar"))
    assert over == pytest.approx(number(elements(root, "rect", "chart-track")[0], "width"))
    assert under == 0


def test_values_are_printed_two_decimals_for_decimals_as_is_for_ints():
    root = parse(bar_chart("t", [Bar("ก", Decimal("91.245")), Bar("ข", 3)], unit="%"))
    assert texts(root, "chart-value") == ["91.25%", "3%"]


def test_the_marker_sits_at_the_pass_mark():
    root = parse(ten_indicators())
    track = elements(root, "rect", "chart-track")[0]
    (marker,) = elements(root, "line", "chart-marker")
    expected = number(track, "x") + number(track, "width") * 85 / 100
    assert number(marker, "x1") == pytest.approx(expected, abs=0.01)
    assert number(marker, "x2") == number(marker, "x1")
    assert texts(root, "chart-marker-label") == ["เกณฑ์ผ่าน 85"]


def test_the_marker_is_drawn_over_the_bars_and_under_the_values():
    root = parse(ten_indicators())
    order = [e.get("class", "") for e in root.iter() if e.get("class")]
    marker = order.index("chart-marker")
    assert max(i for i, css in enumerate(order) if css.startswith("chart-bar")) < marker
    assert min(i for i, css in enumerate(order) if css == "chart-value") > marker


def test_tones_become_classes():
    root = parse(ten_indicators())
    tones = [rect.get("class") for rect in elements(root, "rect", "chart-bar")]
    assert tones[:3] == ["chart-bar tone-pass", "chart-bar tone-pass", "chart-bar tone-fail"]


def test_a_missing_value_is_drawn_as_no_data():
    chart = bar_chart("t", [Bar("มี", 70), Bar("ไม่มี", None)])
    root = parse(chart)
    assert len(elements(root, "rect", "chart-bar")) == 1
    assert texts(root, "chart-missing") == [NO_DATA]
    assert chart.rows == [["มี", "70"], ["ไม่มี", NO_DATA]]


def test_the_summary_counts_the_bars_at_or_above_the_marker():
    chart = ten_indicators()
    assert chart.summary == "เกณฑ์ผ่าน 85: ถึงเกณฑ์ 5 จาก 10 รายการ"
    (desc,) = parse(chart).iter(SVG + "desc")
    assert desc.text == chart.summary


def test_without_a_maximum_the_scale_ends_at_a_round_number():
    root = parse(bar_chart("t", [Bar("ก", Decimal("2.5")), Bar("ข", 3)], maximum=None))
    assert texts(root, "chart-tick")[-1] == "3"
    assert [number(r, "width") for r in elements(root, "rect", "chart-bar")][1] == pytest.approx(
        number(elements(root, "rect", "chart-track")[0], "width")
    )


def test_a_zero_maximum_draws_empty_bars_without_dividing_by_zero():
    root = parse(bar_chart("t", [Bar("ก", Decimal("0.00"))], maximum=Decimal(0)))
    assert [number(r, "width") for r in elements(root, "rect", "chart-bar")] == [0]
    assert texts(root, "chart-tick") == ["0"]


def test_labels_are_escaped():
    evil = '<script>alert("x")</script> & ฝ่าย'
    chart = bar_chart(evil, [Bar(evil, 10, href='/a?b=1&c="2"')])
    svg = str(chart.svg)
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    root = parse(chart)
    assert texts(root, "chart-label") == [evil]
    assert root.find(SVG + "title").text == evil
    assert root.find(f".//{SVG}a").get("href") == '/a?b=1&c="2"'
    html = render_to_string("includes/chart.html", {"chart": chart})
    assert "<script>" not in html


def test_every_kind_of_chart_escapes_its_texts():
    evil = '<script>alert("x")</script> & ฝ่าย'
    charts = [
        line_chart(evil, [(evil, 10), ("ข", 20)], unit="%"),
        stacked_bar_chart(evil, [(evil, {"done": 1})], [Segment("done", evil, "done")]),
    ]
    for chart in charts:
        for drawing in (chart.svg, chart.narrow):
            assert "<script>" not in str(drawing)
            root = ET.fromstring(str(drawing))  # well-formed, every text escaped
            assert evil in "".join(root.itertext())


def test_long_labels_are_cut_and_kept_whole_in_the_tooltip():
    long = "ฝ่ายรักษาความสะอาดและสวนสาธารณะ " * 3
    root = parse(bar_chart("t", [Bar(long, 10)]))
    (label,) = texts(root, "chart-label")
    assert label.endswith("…")
    assert long.startswith(label[:-1])
    row_title = elements(root, "g", "chart-row")[0].find(SVG + "title").text
    assert row_title == f"{long}: 10"


def test_fit_keeps_marks_with_their_consonant():
    cut = fit("ที่นี่มีน้ำ", text_width("ที่นี่", 14) + text_width("…", 14), 14)
    assert cut == "ที่นี่…"
    assert fit("สั้น", 500) == "สั้น"


def test_links_stay_out_of_the_tab_order_and_are_repeated_in_the_table():
    chart = bar_chart("t", [Bar("ก", 10, href="/plans/1/"), Bar("ข", 20)])
    links = list(parse(chart).iter(SVG + "a"))
    assert {link.get("href") for link in links} == {"/plans/1/"}  # the bar and its label
    assert {link.get("tabindex") for link in links} == {"-1"}
    assert chart.table_rows == [("/plans/1/", "ก", ["10"]), ("", "ข", ["20"])]
    assert '<a href="/plans/1/">ก</a>' in render_to_string("includes/chart.html", {"chart": chart})


def test_the_svg_is_labelled_by_its_own_title_and_desc_with_unique_ids():
    first, second = ten_indicators(), ten_indicators()
    root = parse(first)
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("viewBox").startswith("0 0 ")
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(SVG + "title").get("id") == title_id
    assert root.find(SVG + "desc").get("id") == desc_id
    assert title_id not in str(second.svg)


def test_no_inline_styles():
    charts = [
        ten_indicators(),
        stacked_bar_chart("t", [("ก", {"done": 1})], STATUS),
        line_chart("t", [("ต.ค. 64", 1)]),
    ]
    for chart in charts:
        root = parse(chart)
        assert not [e for e in root.iter() if "style" in e.attrib]
        assert root.find(f".//{SVG}style") is None


def test_empty_charts_are_still_well_formed():
    parse(bar_chart("t", []))
    parse(bar_chart("t", [Bar("ก", None)], maximum=None))
    parse(stacked_bar_chart("t", [], STATUS))
    assert texts(parse(line_chart("t", [])), "chart-missing") == [NO_DATA]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("91.245"), "91.25"),
        (Decimal("85"), "85.00"),
        (2.5, "2.50"),
        (3, "3"),
        (1234, "1,234"),
        (None, NO_DATA),
    ],
)
def test_format_number(value, shown):
    assert format_number(value) == shown


# --- Stacked bar chart ------------------------------------------------------------------------


def segment_widths(root, row_index):
    row = elements(root, "g", "chart-row")[row_index]
    rects = elements(row, "rect", "chart-seg")
    return {rect.get("data-key"): number(rect, "width") for rect in rects}


def plot_width(root):
    """The full bar: segments of the first row laid end to end."""
    return sum(segment_widths(root, 0).values())


def test_segment_widths_are_proportional_and_fill_the_bar():
    rows = [
        ("ฝ่ายปกครอง", {"done": 1, "in_progress": 3}),
        ("ฝ่ายการคลัง", {"done": 1, "in_progress": 1, "not_started": 1}),
    ]
    root = parse(stacked_bar_chart("t", rows, STATUS))
    first, second = segment_widths(root, 0), segment_widths(root, 1)
    assert first["in_progress"] / first["done"] == pytest.approx(3, rel=1e-3)
    assert set(first) == {"done", "in_progress"}  # nothing drawn for zero counts
    assert sum(second.values()) == pytest.approx(plot_width(root), abs=1e-6)
    assert second["done"] == pytest.approx(plot_width(root) / 3, abs=0.01)


def test_segments_follow_each_other_without_gaps():
    rows = [("ก", {"done": 2, "in_progress": 5, "not_started": 7, "cancelled": 1})]
    root = parse(stacked_bar_chart("t", rows, STATUS))
    rects = elements(root, "rect", "chart-seg")
    for left, right in pairwise(rects):
        assert number(left, "x") + number(left, "width") == pytest.approx(number(right, "x"))


def test_counts_are_printed_inside_segments_wide_enough():
    rows = [("ก", {"done": 100, "in_progress": 1})]
    root = parse(stacked_bar_chart("t", rows, STATUS))
    assert texts(root, "chart-seg-value") == ["100"]  # the 1 % sliver has no room for "1"


def test_a_row_without_items_is_drawn_empty():
    rows = [("ก", {"done": 1}), ("ฝ่ายโยธา", {}), ("ค", {"done": 0, "cancelled": 0})]
    chart = stacked_bar_chart("t", rows, STATUS)
    root = parse(chart)
    assert segment_widths(root, 1) == {} and segment_widths(root, 2) == {}
    assert len(elements(root, "rect", "chart-empty")) == 2
    assert texts(root, "chart-missing") == [NO_ITEMS, NO_ITEMS]
    assert chart.rows[1] == ["ฝ่ายโยธา", "0", "0", "0", "0", "0", "–"]


def test_percent_done_leaves_cancelled_out():
    rows = [
        # 5 done of 11, one cancelled: 5 / 10.
        ("ก", {"done": 5, "in_progress": 3, "not_started": 2, "cancelled": 1}),
        # 1 of 3: 33.33… rounds to 33.3.
        ("ข", {"done": 1, "not_started": 2}),
        # 2 of 3: 66.66… rounds half up to 66.7.
        ("ค", {"done": 2, "in_progress": 1}),
        # Everything cancelled: nothing to do, no percent.
        ("ง", {"cancelled": 2}),
    ]
    chart = stacked_bar_chart("t", rows, STATUS, label_header="ฝ่าย")
    assert chart.headers == [
        "ฝ่าย",
        "เสร็จสิ้น",
        "กำลังดำเนินการ",
        "ยังไม่เริ่ม",
        "ยกเลิก",
        "รวม",
        "% เสร็จ",
    ]
    assert [row[-2:] for row in chart.rows] == [
        ["11", "50.0"],
        ["3", "33.3"],
        ["3", "66.7"],
        ["2", "–"],
    ]
    assert texts(parse(chart), "chart-total") == [
        "เสร็จ 50.0%",
        "เสร็จ 33.3%",
        "เสร็จ 66.7%",
        "เสร็จ –",
    ]


def test_percent_done_without_a_cancelled_segment_is_over_everything():
    segments = [
        Segment("done", "รายงานว่าเสร็จสิ้น", "done"),
        Segment("reported", "รายงานแล้ว", "in-progress"),
        Segment("late", "รายงานช้า", "late"),
        Segment("not_reported", "ยังไม่รายงาน", "not-started"),
    ]
    counts = {"done": 2, "reported": 10, "late": 3, "not_reported": 5, "cancelled": 4}
    chart = stacked_bar_chart("t", [("รอบที่ 1", counts)], segments)
    # "cancelled" is not a segment: ignored, so 2 / 20.
    assert chart.rows == [["รอบที่ 1", "2", "10", "3", "5", "20", "10.0"]]
    assert done_percent(counts, [s.key for s in segments]) == Decimal("10.0")


def test_without_a_done_segment_rows_end_with_their_total():
    segments = [Segment("yes", "ใช่"), Segment("no", "ไม่ใช่")]
    chart = stacked_bar_chart("t", [("ก", {"yes": 1, "no": 1200})], segments)
    assert chart.headers == ["รายการ", "ใช่", "ไม่ใช่", "รวม"]
    assert chart.rows == [["ก", "1", "1,200", "1,201"]]
    assert texts(parse(chart), "chart-total") == ["รวม 1,201"]


def test_the_legend_names_every_segment_with_its_tone():
    root = parse(stacked_bar_chart("t", [("ก", {"done": 1})], STATUS))
    assert texts(root, "chart-legend") == [s.label for s in STATUS]
    swatches = [rect.get("class") for rect in elements(root, "rect", "chart-swatch")]
    assert swatches[0] == "chart-swatch tone-done"


def test_stacked_summary_adds_up_the_rows():
    rows = [("ก", {"done": 1, "in_progress": 1}), ("ข", {"done": 1, "cancelled": 1})]
    chart = stacked_bar_chart("t", rows, STATUS)
    assert chart.summary == (
        "รวม 4 รายการ: เสร็จสิ้น 2, กำลังดำเนินการ 1, ยังไม่เริ่ม 0, ยกเลิก 1 เสร็จแล้ว 66.7%"
    )


# --- Line chart -------------------------------------------------------------------------------


def dots(root):
    return [(number(c, "cx"), number(c, "cy")) for c in elements(root, "circle", "chart-dot")]


def test_points_sit_at_their_values():
    points = [("ต.ค. 64", 0), ("พ.ย. 64", Decimal("25")), ("ธ.ค. 64", 50), ("ม.ค. 65", 100)]
    root = parse(line_chart("t", points, maximum=Decimal(100), unit="%"))
    (zero_x, zero), (_, quarter), (_, half), (last_x, full) = dots(root)
    grid = {"".join(t.itertext()): t for t in elements(root, "text", "chart-tick")}
    assert set(grid) >= {"0%", "100%"}
    assert zero - half == pytest.approx(half - full)
    assert zero - quarter == pytest.approx((zero - full) / 4)
    assert full < zero  # up is smaller y
    assert last_x > zero_x


def test_points_are_evenly_spaced():
    root = parse(line_chart("t", [(str(i), i) for i in range(5)]))
    xs = [x for x, _ in dots(root)]
    steps = {round(b - a, 6) for a, b in pairwise(xs)}
    assert len(steps) == 1


def test_without_a_maximum_the_axis_ends_at_a_round_number_above_the_highest_value():
    root = parse(line_chart("t", [("ก", 0), ("ข", 57)]))
    assert texts(root, "chart-tick")[:4] == ["0", "20", "40", "60"]
    _, top = dots(root)[1]
    _, bottom = dots(root)[0]
    # 57 of 60.
    grid = sorted(number(line, "y1") for line in elements(root, "line", "chart-grid"))
    assert (bottom - top) / (grid[-1] - grid[0]) == pytest.approx(57 / 60)


def test_points_have_tooltips_and_few_points_print_their_values():
    chart = line_chart("t", [("ต.ค. 64", 0), ("พ.ย. 64", Decimal("12.5"))], unit="%")
    root = parse(chart)
    titles = [g.find(SVG + "title").text for g in elements(root, "g", "chart-point")]
    assert titles == ["ต.ค. 64: 0%", "พ.ย. 64: 12.50%"]
    assert texts(root, "chart-point-value") == ["0%", "12.50%"]
    assert chart.headers == ["ช่วง", "ค่า (%)"]
    assert chart.rows == [["ต.ค. 64", "0"], ["พ.ย. 64", "12.50"]]


def test_many_points_print_only_the_last_value_and_thin_out_the_x_labels():
    points = [(f"เดือน {i}", i) for i in range(36)]
    root = parse(line_chart("t", points))
    assert texts(root, "chart-point-value") == ["35"]
    x_labels = [t for t in texts(root, "chart-tick") if t.startswith("เดือน")]
    assert x_labels[-1] == "เดือน 35"
    assert len(x_labels) < 36


# --- Heat map ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "css"),
    [
        (Decimal("0"), "heat-0"),
        (Decimal("64.99"), "heat-0"),
        (Decimal("65.00"), "heat-1"),
        (Decimal("74.99"), "heat-1"),
        (75, "heat-2"),
        (Decimal("84.99"), "heat-2"),
        (Decimal("85.00"), "heat-3"),
        (85, "heat-3"),
        (89.99, "heat-3"),
        (Decimal("90"), "heat-4"),
        (Decimal("94.99"), "heat-4"),
        (Decimal("95"), "heat-5"),
        (Decimal("100"), "heat-5"),
        (None, "heat-none"),
    ],
)
def test_heat_color_bands_around_the_pass_mark(value, css):
    assert heat_color(value, pass_mark=Decimal("85.00")) == css


def test_heat_color_follows_another_pass_mark():
    assert heat_color(Decimal("89.99"), pass_mark=90) == "heat-2"
    assert heat_color(Decimal("90"), pass_mark=90) == "heat-3"
    assert heat_color(Decimal("93.33"), pass_mark=90) == "heat-4"


def test_heat_legend_matches_the_bands():
    assert heat_legend(pass_mark=Decimal("85")) == [
        ("heat-0", "ต่ำกว่า 65.00"),
        ("heat-1", "65.00 – 74.99"),
        ("heat-2", "75.00 – 84.99"),
        ("heat-3", "85.00 – 89.99"),
        ("heat-4", "90.00 – 94.99"),
        ("heat-5", "95.00 ขึ้นไป"),
        ("heat-none", NO_DATA),
    ]


# --- The template -----------------------------------------------------------------------------


class TableReader(HTMLParser):
    """The caption, header cells and body rows of the first table in some HTML."""

    def __init__(self):
        super().__init__()
        self.caption, self.headers, self.rows = "", [], []
        self.scopes, self._cell, self._in = [], None, []

    def handle_starttag(self, tag, attrs):
        self._in.append(tag)
        if tag == "tr" and "tbody" in self._in:
            self.rows.append([])
        if tag in ("th", "td"):
            self._cell = ""
            self.scopes.append(dict(attrs).get("scope"))

    def handle_endtag(self, tag):
        self._in.pop()
        if tag in ("th", "td"):
            (self.rows[-1] if "tbody" in self._in else self.headers).append(self._cell.strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data
        elif self._in and self._in[-1] == "caption":
            self.caption += data


def test_the_template_shows_the_chart_and_its_numbers_as_a_table():
    chart = ten_indicators()
    html = render_to_string("includes/chart.html", {"chart": chart})
    assert html.count("<figure") == 1 and "<figcaption>คะแนนรายตัวชี้วัด</figcaption>" in html
    assert str(chart.svg) in html
    assert "<summary>ตัวเลขของแผนภูมิ</summary>" in html
    table = TableReader()
    table.feed(html)
    assert table.caption == "คะแนนรายตัวชี้วัด"
    assert table.headers == ["ตัวชี้วัด", "คะแนน"]
    assert table.scopes[:2] == ["col", "col"] and set(table.scopes[2:]) == {"row", None}
    # The same numbers as the drawing.
    assert [value for _, value in table.rows] == texts(parse(chart), "chart-value") == TEN_SCORES


def test_the_template_table_of_a_stacked_chart():
    chart = stacked_bar_chart("สถานะรายฝ่าย", [("ฝ่ายปกครอง", {"done": 5, "cancelled": 1})], STATUS)
    table = TableReader()
    table.feed(render_to_string("includes/chart.html", {"chart": chart}))
    assert table.headers[-2:] == ["รวม", "% เสร็จ"]
    assert table.rows == [["ฝ่ายปกครอง", "5", "0", "0", "1", "6", "100.0"]]
