"""Dates for English readers: English month names, the Buddhist-Era year kept."""

from datetime import date, datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from assessments import thaidates

DAY = date(2026, 11, 26)  # 26 พ.ย. 2569


@pytest.mark.parametrize(
    ("language", "short", "long"),
    [
        ("th", "26 พ.ย. 2569", "26 พฤศจิกายน 2569"),
        ("en", "26 Nov 2569", "26 November 2569"),
    ],
)
def test_a_date_names_its_month_in_the_active_language(language, short, long):
    with translation.override(language):
        assert thaidates.format_date(DAY) == short
        assert thaidates.format_date(DAY, "long") == long
        assert thaidates.format_date(DAY, "numeric") == "26/11/2569"
        assert thaidates.format_datetime(datetime(2026, 11, 26, 8, 24)) == f"{short} 08:24"


def test_a_month_window_in_english_keeps_the_buddhist_year_in_full():
    with translation.override("en"):
        assert thaidates.format_month(date(2025, 10, 1)) == "Oct 2568"
        window = thaidates.format_window(date(2025, 10, 1), date(2026, 9, 30))
    assert window == "Oct 2568 \u2013 Sep 2569"


def test_a_month_window_in_thai_is_unchanged():
    with translation.override("th"):
        window = thaidates.format_window(date(2025, 10, 1), date(2026, 9, 30))
    assert window == "ต.ค. 68 \u2013 ก.ย. 69"


def test_an_explicit_language_wins_over_the_active_one():
    with translation.override("en"):
        assert thaidates.format_date(DAY, language="th") == "26 พ.ย. 2569"
        assert thaidates.format_month(DAY, "th") == "พ.ย. 69"
    assert thaidates.format_date(DAY, language="en-gb") == "26 Nov 2569"


def test_every_english_month_has_its_three_letter_form():
    assert thaidates.ENGLISH_MONTHS_SHORT[1:] == (
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
    )  # fmt: skip
    assert thaidates.ENGLISH_MONTHS_LONG[10] == "October"


def test_the_template_filters_follow_the_active_language():
    template = Template(
        "{% load thai_dates %}{{ day|thai_date }}|{{ day|thai_date_long }}|"
        "{{ day|thai_month }}|{{ start|thai_window:day }}"
    )
    context = Context({"day": DAY, "start": date(2025, 10, 1)})
    with translation.override("en"):
        english = template.render(context)
    with translation.override("th"):
        thai = template.render(context)
    assert english == "26 Nov 2569|26 November 2569|Nov 2569|Oct 2568 \u2013 Nov 2569"
    assert thai == "26 พ.ย. 2569|26 พฤศจิกายน 2569|พ.ย. 69|ต.ค. 68 \u2013 พ.ย. 69"


def test_the_default_rounds_of_a_plan_are_named_in_thai_whoever_starts_it():
    from plans.starting import default_rounds

    with translation.override("en"):
        names = [spec.name for spec in default_rounds(2566)]
    assert names[0] == "ไตรมาสที่ 1 (ต.ค. \u2013 ธ.ค. 65)"
