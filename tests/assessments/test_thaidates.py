"""Fiscal years, Buddhist-Era dates and Thai digits in assessments.thaidates."""

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from assessments.thaidates import (
    BE_OFFSET,
    THAI_MONTHS_LONG,
    THAI_MONTHS_SHORT,
    ThaiDateError,
    ThaiNumberError,
    fiscal_year_bounds,
    fiscal_year_of,
    format_date,
    format_month,
    format_window,
    normalize_digits,
    parse_date,
    parse_number,
    parse_window,
    to_buddhist_year,
    to_gregorian_year,
)

# --- month names and years ---------------------------------------------------------------


def test_month_names_are_indexed_by_month_number():
    assert len(THAI_MONTHS_LONG) == len(THAI_MONTHS_SHORT) == 13
    assert THAI_MONTHS_LONG[1] == "มกราคม"
    assert THAI_MONTHS_LONG[10] == "ตุลาคม"
    assert THAI_MONTHS_LONG[12] == "ธันวาคม"
    assert THAI_MONTHS_SHORT[1] == "ม.ค."
    assert THAI_MONTHS_SHORT[6] == "มิ.ย."
    assert THAI_MONTHS_SHORT[10] == "ต.ค."


def test_buddhist_and_gregorian_years_convert_both_ways():
    assert BE_OFFSET == 543
    assert to_buddhist_year(2021) == 2564
    assert to_gregorian_year(2564) == 2021


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("๐๑๒๓๔๕๖๗๘๙", "0123456789"),
        ("๑/๑๐/๒๕๖๔", "1/10/2564"),
        ("ต.ค. ๖๔", "ต.ค. 64"),
        ("abc 12", "abc 12"),
        ("", ""),
    ],
)
def test_normalize_digits(text, expected):
    assert normalize_digits(text) == expected


# --- numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("๘๔.๖๗", Decimal("84.67")),
        ("84.67", Decimal("84.67")),
        ("  84.67\u00a0", Decimal("84.67")),
        ("\u200b84.67", Decimal("84.67")),
        ("1,234.50", Decimal("1234.50")),
        ("1,234,567", Decimal("1234567")),
        ("๑,๒๓๔.๕๐", Decimal("1234.50")),
        ("0", Decimal("0")),
        ("-3.5", Decimal("-3.5")),
        ("100", Decimal("100")),
        (84, Decimal("84")),
        (84.67, Decimal("84.67")),
        (0.1, Decimal("0.1")),
        (Decimal("84.67"), Decimal("84.67")),
    ],
)
def test_parse_number_accepts_one_plain_number(value, expected):
    result = parse_number(value)
    assert isinstance(result, Decimal)
    assert result == expected


@pytest.mark.parametrize(
    "value",
    [
        "84..71",
        "abc",
        "",
        "   ",
        "1.2.3",
        "12a",
        "NaN",
        "nan",
        "Infinity",
        "-inf",
        "1e5",
        "1,23",
        "12,34.5",
        "1 234",
        ".5",
        "5.",
        "84,67",
        float("nan"),
        float("inf"),
        Decimal("NaN"),
        Decimal("Infinity"),
        True,
        None,
    ],
)
def test_parse_number_refuses_anything_else(value):
    with pytest.raises(ThaiNumberError) as excinfo:
        parse_number(value)
    assert isinstance(excinfo.value, ValueError)
    assert "ตัวเลข" in str(excinfo.value)


def test_parse_number_message_quotes_what_was_typed():
    with pytest.raises(ThaiNumberError) as excinfo:
        parse_number("84..71")
    assert str(excinfo.value).startswith('"84..71" ไม่ใช่ตัวเลข')


# --- fiscal years ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2021, 9, 30), 2564),
        (date(2021, 10, 1), 2565),
        (date(2022, 9, 30), 2565),
        (date(2022, 10, 1), 2566),
        (date(2022, 1, 1), 2565),
        (date(2021, 12, 31), 2565),
        (datetime(2021, 10, 1, 0, 0), 2565),
        (datetime(2021, 9, 30, 23, 59), 2564),
        # 18:00 UTC on 30 Sep is already 1 Oct in Bangkok.
        (datetime(2021, 9, 30, 18, 0, tzinfo=UTC), 2565),
        (datetime(2021, 9, 30, 16, 59, tzinfo=UTC), 2564),
        (datetime(2021, 10, 1, 0, 30, tzinfo=timezone(timedelta(hours=7))), 2565),
    ],
)
def test_fiscal_year_of(day, expected):
    assert fiscal_year_of(day) == expected


@pytest.mark.parametrize(
    ("fiscal_year", "expected"),
    [
        (2565, (date(2021, 10, 1), date(2022, 9, 30))),
        (2564, (date(2020, 10, 1), date(2021, 9, 30))),
        (2568, (date(2024, 10, 1), date(2025, 9, 30))),
    ],
)
def test_fiscal_year_bounds(fiscal_year, expected):
    assert fiscal_year_bounds(fiscal_year) == expected
    start, end = expected
    assert fiscal_year_of(start) == fiscal_year_of(end) == fiscal_year


@pytest.mark.parametrize("fiscal_year", [2022, 65, 0, 2399, 2701])
def test_fiscal_year_bounds_refuses_non_buddhist_years(fiscal_year):
    with pytest.raises(ThaiDateError) as excinfo:
        fiscal_year_bounds(fiscal_year)
    assert "พ.ศ." in str(excinfo.value)


# --- formatting --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("short", "1 ต.ค. 2564"),
        ("long", "1 ตุลาคม 2564"),
        ("numeric", "1/10/2564"),
    ],
)
def test_format_date_styles(style, expected):
    assert format_date(date(2021, 10, 1), style) == expected


def test_format_date_defaults_to_short_and_blanks_none():
    assert format_date(date(2024, 2, 29)) == "29 ก.พ. 2567"
    assert format_date(datetime(2021, 10, 1, 9, 30)) == "1 ต.ค. 2564"
    assert format_date(None) == ""
    assert format_date(None, "long") == ""


def test_format_date_refuses_unknown_style():
    with pytest.raises(ValueError, match="style"):
        format_date(date(2021, 10, 1), "medium")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2021, 10, 1), "ต.ค. 64"),
        (date(2022, 6, 30), "มิ.ย. 65"),
        (date(1958, 1, 15), "ม.ค. 01"),
        (None, ""),
    ],
)
def test_format_month(day, expected):
    assert format_month(day) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2021, 10, 1), date(2022, 6, 30), "ต.ค. 64 \u2013 มิ.ย. 65"),
        (date(2021, 10, 1), None, "ต.ค. 64"),
        (None, date(2022, 6, 30), "มิ.ย. 65"),
        (None, None, ""),
    ],
)
def test_format_window(start, end, expected):
    assert format_window(start, end) == expected


# --- month windows -----------------------------------------------------------------------

OCT64_JUN65 = (date(2021, 10, 1), date(2022, 6, 30))


def test_window_round_trip():
    assert parse_window("ต.ค. 64 – มิ.ย. 65") == OCT64_JUN65
    assert format_window(*OCT64_JUN65) == "ต.ค. 64 – มิ.ย. 65"
    assert parse_window(format_window(*OCT64_JUN65)) == OCT64_JUN65


@pytest.mark.parametrize(
    "text",
    [
        "ต.ค. 64 – มิ.ย. 65",
        "ต.ค. 64 - มิ.ย. 65",
        "ต.ค. 64 — มิ.ย. 65",
        "ต.ค. 64-มิ.ย. 65",
        "ต.ค.64–มิ.ย.65",
        "  ต.ค.   64   –   มิ.ย.   65  ",
        "ต.ค. 64\u00a0–\u00a0มิ.ย. 65",
        "ตค 64 - มิย 65",
        "ต.ค 64 - มิ.ย 65",
        "ตค64-มิย65",
        "ตุลาคม 2564 – มิถุนายน 2565",
        "ตุลาคม 2564 ถึง มิถุนายน 2565",
        "ต.ค. 64 ถึง มิ.ย. 65",
        "ตั้งแต่ ต.ค. 64 ถึง มิ.ย. 65",
        "ต.ค. 2564 – มิ.ย. 2565",
        "ต.ค. 64 – มิ.ย. 2565",
        "ต.ค. ๖๔ – มิ.ย. ๖๕",
        "ตุลาคม ๒๕๖๔ - มิถุนายน ๒๕๖๕",
        "ตุลาคม พ.ศ. 2564 – มิถุนายน พ.ศ. 2565",
        "ตุลา 64 - มิถุนา 65",
    ],
)
def test_parse_window_variants(text):
    assert parse_window(text) == OCT64_JUN65


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ม.ค. 67 – ก.พ. 67", (date(2024, 1, 1), date(2024, 2, 29))),
        ("ม.ค. 66 – ก.พ. 66", (date(2023, 1, 1), date(2023, 2, 28))),
        ("ต.ค. 64 – ต.ค. 64", (date(2021, 10, 1), date(2021, 10, 31))),
        ("ต.ค. 64", (date(2021, 10, 1), date(2021, 10, 31))),
        ("พ.ย. 64 – ธ.ค. 64", (date(2021, 11, 1), date(2021, 12, 31))),
        ("กรกฏาคม 2565 - กันยายน 2565", (date(2022, 7, 1), date(2022, 9, 30))),
    ],
)
def test_parse_window_month_ends(text, expected):
    assert parse_window(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "ยังไม่ได้ใส่ช่วงเวลา"),
        ("   ", "ยังไม่ได้ใส่ช่วงเวลา"),
        ("abc", "ไม่เข้าใจช่วงเวลา"),
        ("-", "ไม่เข้าใจช่วงเวลา"),
        ("ต.ค. 64 – มิ.ย. 65 – ก.ย. 65", "ไม่เข้าใจช่วงเวลา"),
        ("ต.ค. 64 –", "ไม่เข้าใจช่วงเวลา"),
        ("1 ต.ค. 64 – 30 มิ.ย. 65", "ไม่เข้าใจช่วงเวลา"),
        ("ตอ. 64 – มิ.ย. 65", "ไม่รู้จักเดือน"),
        ("ต.ค. 64 – มิถุ 65", "ไม่รู้จักเดือน"),
        ("ต.ค. – มิ.ย. 65", "ไม่มีปี"),
        ("ต.ค. 64 – มิ.ย.", "ไม่มีปี"),
        ("มิ.ย. 65 – ต.ค. 64", "สิ้นสุดก่อนเริ่ม"),
        ("ต.ค. 65 – มิ.ย. 65", "สิ้นสุดก่อนเริ่ม"),
        ("ต.ค. 2021 – มิ.ย. 2022", "พ.ศ."),
        ("ต.ค. 564 – มิ.ย. 565", "4 หลัก"),
    ],
)
def test_parse_window_refusals(text, message):
    with pytest.raises(ThaiDateError) as excinfo:
        parse_window(text)
    assert message in str(excinfo.value)


# --- dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1/10/2564", date(2021, 10, 1)),
        ("01/10/2564", date(2021, 10, 1)),
        ("1-10-2564", date(2021, 10, 1)),
        ("1.10.2564", date(2021, 10, 1)),
        (" 1 / 10 / 2564 ", date(2021, 10, 1)),
        ("1/10/64", date(2021, 10, 1)),
        ("1 ต.ค. 2564", date(2021, 10, 1)),
        ("1 ต.ค. 64", date(2021, 10, 1)),
        ("1 ตค 64", date(2021, 10, 1)),
        ("1ต.ค.2564", date(2021, 10, 1)),
        ("1 ตุลาคม 2564", date(2021, 10, 1)),
        ("1 ตุลาคม พ.ศ. 2564", date(2021, 10, 1)),
        ("1 ตุลา 64", date(2021, 10, 1)),
        ("๑/๑๐/๒๕๖๔", date(2021, 10, 1)),
        ("๑ ต.ค. ๒๕๖๔", date(2021, 10, 1)),
        # Django's Thai locale would store this as Gregorian year 2568.
        ("01/10/2568", date(2025, 10, 1)),
        ("29/02/2567", date(2024, 2, 29)),
        ("31/12/2700", date(2157, 12, 31)),
        ("1/1/2400", date(1857, 1, 1)),
        # ISO from date pickers and exports is Gregorian.
        ("2021-10-01", date(2021, 10, 1)),
        ("2024-02-29", date(2024, 2, 29)),
    ],
)
def test_parse_date_accepts(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1/10/2021", "พ.ศ."),
        ("1/10/2021", "2564"),
        ("1 ต.ค. 2021", "ค.ศ."),
        ("31/02/2564", "ไม่มีวันที่ 31 กุมภาพันธ์ 2564"),
        ("29/02/2566", "ไม่มีวันที่ 29 กุมภาพันธ์ 2566"),
        ("0/1/2564", "ไม่มีวันที่ 0"),
        ("31/4/2564", "ไม่มีวันที่ 31 เมษายน"),
        ("1/13/2564", "ไม่มีเดือนที่ 13"),
        ("1/0/2564", "ไม่มีเดือนที่ 0"),
        ("1/1/2399", "2400–2700"),
        ("1/1/2701", "2400–2700"),
        ("1/1/3000", "2400–2700"),
        ("1/10/564", "4 หลัก"),
        ("1/10/25644", "4 หลัก"),
        ("1 ตอ. 2564", "ไม่รู้จักเดือน"),
        ("2564-10-01", "1/10/2564"),
        ("1700-01-01", "ไม่เข้าใจวันที่"),
        ("", "ยังไม่ได้ใส่วันที่"),
        ("   ", "ยังไม่ได้ใส่วันที่"),
        ("abc", "ไม่เข้าใจวันที่"),
        ("1/10", "ไม่เข้าใจวันที่"),
        ("1/10/2564 10:00", "ไม่เข้าใจวันที่"),
        ("ต.ค. 2564", "ไม่เข้าใจวันที่"),
        ("2021/10/01", "ไม่เข้าใจวันที่"),
    ],
)
def test_parse_date_refusals(text, message):
    with pytest.raises(ThaiDateError) as excinfo:
        parse_date(text)
    assert isinstance(excinfo.value, ValueError)
    assert message in str(excinfo.value)


def test_parse_date_message_shows_the_expected_format():
    with pytest.raises(ThaiDateError) as excinfo:
        parse_date("abc")
    assert str(excinfo.value) == (
        'ไม่เข้าใจวันที่ "abc" — ใช้รูปแบบ วว/ดด/ปปปป เป็นปีพุทธศักราช เช่น 1/10/2564'
    )


@pytest.mark.parametrize(
    "day", [date(2021, 10, 1), date(2024, 2, 29), date(2022, 12, 31), date(2025, 1, 9)]
)
@pytest.mark.parametrize("style", ["short", "long", "numeric"])
def test_format_date_parses_back(day, style):
    assert parse_date(format_date(day, style)) == day
