"""The phone drawing of each chart: as wide as a phone, text at full size, labels wrapped."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.utils import translation

from plans.charts import (
    FONT,
    NARROW_WIDTH,
    SMALL,
    Bar,
    Segment,
    bar_chart,
    line_chart,
    stacked_bar_chart,
    text_width,
    wrap,
)

SVG = "{http://www.w3.org/2000/svg}"
LONG = "ฝ่ายรักษาความสะอาดและสวนสาธารณะ งานรักษาความสะอาดถนนและที่สาธารณะทุกแห่งในเขต"
STATUS = [Segment("done", "เสร็จสิ้น", "done"), Segment("not_started", "ยังไม่เริ่ม")]


def narrow(chart):
    return ET.fromstring(str(chart.narrow))


def drawn_texts(root):
    """(x, anchor, size, text) of every text element."""
    size = float(root.get("font-size"))
    return [
        (
            float(e.get("x")),
            e.get("text-anchor"),
            float(e.get("font-size", size)),
            "".join(e.itertext()),
        )
        for e in root.iter(SVG + "text")
    ]


def charts():
    bars = [Bar(LONG, Decimal("91.25")), Bar("สั้น", Decimal("40"))]
    return [
        bar_chart("แท่ง", bars, marker=Decimal(85), marker_label="เกณฑ์ผ่าน 85"),
        stacked_bar_chart("ซ้อน", [(LONG, {"done": 3, "not_started": 9})], STATUS),
        line_chart("เส้น", [(f"เดือน {n}", n * 8) for n in range(12)], maximum=100, unit="%"),
    ]


@pytest.mark.parametrize("chart", charts(), ids=["bar", "stacked", "line"])
def test_the_phone_drawing_is_narrow_with_text_no_smaller_than_the_wide_one(chart):
    root = narrow(chart)
    assert root.get("viewBox").split()[2] == str(NARROW_WIDTH)
    assert "chart-narrow" in root.get("class").split()
    assert "chart-wide" in ET.fromstring(str(chart.svg)).get("class").split()
    assert min(size for _, _, size, _ in drawn_texts(root)) >= SMALL


@pytest.mark.parametrize("chart", charts(), ids=["bar", "stacked", "line"])
def test_no_text_of_the_phone_drawing_runs_off_its_edges(chart):
    for x, anchor, size, text in drawn_texts(narrow(chart)):
        width = text_width(text, size)
        left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor or "start"]
        assert left >= -1 and left + width <= NARROW_WIDTH + 1, text


def test_a_long_label_wraps_above_its_bar_with_the_whole_text_in_the_tooltip():
    chart = bar_chart("แท่ง", [Bar(LONG, Decimal("91.25"))])
    root = narrow(chart)
    labels = [e for e in root.iter(SVG + "text") if e.get("class") == "chart-label"]
    assert len(labels) == 2
    shown = "".join("".join(e.itertext()) for e in labels)
    assert shown.startswith("ฝ่ายรักษาความสะอาดและสวนสาธารณะ")
    assert len(shown) > len("ฝ่ายรักษาความสะอาดและสวนสาธารณะ")
    assert [title.text for title in root.iter(SVG + "title")][-1] == f"{LONG}: 91.25"
    assert chart.rows[0][0] == LONG  # and the table beside the chart has it whole


def test_wrap_breaks_at_a_space_and_cuts_the_last_line():
    lines = wrap(LONG, 200, FONT, lines=2)
    assert lines[0] == "ฝ่ายรักษาความสะอาดและสวนสาธารณะ"[: len(lines[0])]
    assert lines[-1].endswith("…")
    assert all(text_width(line, FONT) <= 200 for line in lines)
    assert wrap("สั้น", 200) == ["สั้น"]


def test_wrap_never_ends_a_line_on_a_leading_vowel_or_starts_one_with_a_mark():
    for width in range(40, 200, 7):
        first, *rest = wrap("เเเทศกิจและเลือกตั้งเขตเมืองใหม่", width, FONT, lines=3)
        assert first[-1] not in "เแโใไ"
        assert all(line and line[0] not in "ิีึืุู่้๊๋ั็์" for line in rest)


def test_chart_titles_and_headers_follow_the_language():
    with translation.override("en"):
        chart = bar_chart("t", [Bar("a", None)])
        assert chart.headers == ["Entry", "Score"]
        assert "No data" in str(chart.narrow)
        stacked = stacked_bar_chart("t", [("a", {"done": 1})], STATUS)
        assert stacked.headers[-2:] == ["Total", "% done"]


@pytest.mark.django_db
def test_a_cached_dashboard_is_not_served_in_the_other_language(client, demo, settings):
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.urls import reverse

    settings.ITA_DASHBOARD_CACHE_SECONDS = 60
    cache.clear()
    client.force_login(get_user_model().objects.get(username="manager"))
    url = reverse("plan_progress", args=["1009", 2565])
    assert "สถานะการปรับปรุงรายฝ่าย" in client.get(url).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    assert "Status of the actions by division" in english
    assert "สถานะการปรับปรุงรายฝ่าย" not in english
