"""Fiscal years, Buddhist-Era (พ.ศ.) dates and Thai digits: the one place for these rules.

Standard library only, so forms, templates, imports and scripts all share the same rules.

Rules worth knowing before calling anything here:

* Dates that people type are Buddhist Era (พ.ศ. = ค.ศ. + 543). A year that looks Gregorian
  ("1/10/2021") is refused, never silently stored as the wrong year.
* A two-digit year means 25xx ("64" is 2564).
* The one Gregorian form accepted is ISO "2021-10-01" (four-digit year first, dashes), because
  browsers' date pickers and machine exports send exactly that.
* The Thai government fiscal year runs 1 October – 30 September and is named by the
  Buddhist-Era year in which it ends.
* An aware datetime is read in Bangkok time before its date is taken; a naive one as it is.
* Dates shown to English readers keep the Buddhist-Era year (it is the year of every document
  they deal with) but name the month in English: "26 Nov 2569", "Oct 2568 – Sep 2569".
"""

import calendar
import math
import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

__all__ = [
    "BANGKOK",
    "BE_OFFSET",
    "BE_YEAR_MAX",
    "BE_YEAR_MIN",
    "ENGLISH_MONTHS_LONG",
    "ENGLISH_MONTHS_SHORT",
    "THAI_MONTHS_LONG",
    "THAI_MONTHS_SHORT",
    "ThaiDateError",
    "ThaiNumberError",
    "as_date",
    "fiscal_year_bounds",
    "fiscal_year_of",
    "format_date",
    "format_datetime",
    "format_month",
    "format_window",
    "normalize_digits",
    "parse_date",
    "parse_number",
    "parse_window",
    "short_number",
    "to_buddhist_year",
    "to_gregorian_year",
]

# Index 0 is empty so that THAI_MONTHS_LONG[10] is October.
THAI_MONTHS_LONG = (
    "",
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
THAI_MONTHS_SHORT = (
    "",
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)

ENGLISH_MONTHS_LONG = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
ENGLISH_MONTHS_SHORT = ("", *(name[:3] for name in ENGLISH_MONTHS_LONG[1:]))

BE_OFFSET = 543
# Wide enough for any record this office keeps, narrow enough to catch a Gregorian year.
BE_YEAR_MIN = 2400
BE_YEAR_MAX = 2700

# Bangkok has kept UTC+7 without daylight saving since 1920, so a fixed offset is exact
# and needs no time-zone database.
BANGKOK = timezone(timedelta(hours=7), "Asia/Bangkok")

DATE_HINT = "ใช้รูปแบบ วว/ดด/ปปปป เป็นปีพุทธศักราช เช่น 1/10/2564"
WINDOW_HINT = "ใช้รูปแบบ เดือน ปี – เดือน ปี (พ.ศ.) เช่น ต.ค. 64 – มิ.ย. 65"
NUMBER_HINT = "ใส่ตัวเลขเดียว เช่น 84.67 หรือ 1,234.50"

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# Zero-width characters arrive with text copied from Thai documents and web pages.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_DROP_INVISIBLE = str.maketrans("", "", _INVISIBLE)
# Spaces and zero-width marks around a value, in any mix.
_EDGES_RE = re.compile(rf"^[\s{_INVISIBLE}]+|[\s{_INVISIBLE}]+\Z")
_SPACES_RE = re.compile(r"\s+")

_THAI_LETTERS = "\u0e01-\u0e3a\u0e40-\u0e4e"
_ISO_RE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_NUMERIC_DATE_RE = re.compile(r"([0-9]{1,2}) ?[/.-] ?([0-9]{1,2}) ?[/.-] ?([0-9]+)")
_WORD_DATE_RE = re.compile(rf"([0-9]{{1,2}}) ?([{_THAI_LETTERS}][{_THAI_LETTERS}. ]*?) ?([0-9]+)")
_MONTH_YEAR_RE = re.compile(rf"([{_THAI_LETTERS}][{_THAI_LETTERS}. ]*?) ?([0-9]+)")
_MONTH_ONLY_RE = re.compile(rf"[{_THAI_LETTERS}][{_THAI_LETTERS}. ]*")
# A hyphen never occurs inside a Thai month or a year, so every dash can separate.
_WINDOW_SEP_RE = re.compile(r" ?(?:ถึง|[-\u2010\u2011\u2012\u2013\u2014\u2212~]) ?")
_NUMBER_RE = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")


def _month_key(token: str) -> str:
    key = token.replace(".", "").replace(" ", "")
    key = key.removeprefix("เดือน")
    # "ตุลาคม พ.ศ. 2564" is how official letters write it.
    return key.removesuffix("พศ")


_MONTHS = {_month_key(name): number for number, name in enumerate(THAI_MONTHS_LONG) if number}
_MONTHS |= {_month_key(name): number for number, name in enumerate(THAI_MONTHS_SHORT) if number}
# Spoken short forms ("ตุลา 64") are what people type when they skip the abbreviation.
_MONTHS |= {
    name.removesuffix("คม").removesuffix("ยน").removesuffix("พันธ์"): number
    for number, name in enumerate(THAI_MONTHS_LONG)
    if number
}
# The misspelling with ฏ is as common in typed Thai as the correct ฎ.
_MONTHS |= {"กรกฏาคม": 7, "กรกฏา": 7}


class ThaiDateError(ValueError):
    """Refuse a date, month window or fiscal year; str() is a Thai message for the typist."""


class ThaiNumberError(ValueError):
    """Refuse a value that is not one plain number; str() is a Thai message for the typist."""


def to_buddhist_year(gregorian: int) -> int:
    """Return the Buddhist-Era year of a Gregorian year."""
    return gregorian + BE_OFFSET


def to_gregorian_year(buddhist: int) -> int:
    """Return the Gregorian year of a Buddhist-Era year."""
    return buddhist - BE_OFFSET


def normalize_digits(text: str) -> str:
    """Replace Thai digits ๐–๙ with 0–9, leaving every other character alone."""
    return text.translate(_THAI_DIGITS)


def as_date(value: date | datetime) -> date:
    """Return the calendar date of a date or datetime, reading aware datetimes in Bangkok."""
    if isinstance(value, datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            value = value.astimezone(BANGKOK)
        return value.date()
    if isinstance(value, date):
        return value
    raise TypeError(f"expected a date or datetime, got {type(value).__name__}")


def _clean(text: str) -> str:
    text = normalize_digits(text).translate(_DROP_INVISIBLE)
    # OCR and some keyboards write sara am as nikhahit + sara aa.
    text = text.replace("\u0e4d\u0e32", "\u0e33")
    return _SPACES_RE.sub(" ", text).strip()


def parse_number(value: str | int | float | Decimal) -> Decimal:
    """Return the one plain number in ``value`` as a Decimal, or raise ThaiNumberError.

    Accept Thai digits, surrounding whitespace, a leading sign and thousands commas in their
    proper places ("1,234.50"). Refuse anything else: "84..71", "1.2.3", "12a", "", "1e5",
    NaN and infinities.
    """
    if value is None:
        raise ThaiNumberError(f"ยังไม่ได้ใส่ตัวเลข — {NUMBER_HINT}")
    # bool is an int subclass, but True is never a score someone meant to type.
    if isinstance(value, bool):
        raise ThaiNumberError(f'"{value}" ไม่ใช่ตัวเลข — {NUMBER_HINT}')
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ThaiNumberError(f'"{value}" ไม่ใช่ตัวเลข — {NUMBER_HINT}')
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ThaiNumberError(f'"{value}" ไม่ใช่ตัวเลข — {NUMBER_HINT}')
        # str() gives the shortest repr, so 84.67 stays 84.67 instead of 84.6700000000000017…
        return Decimal(str(value))
    if not isinstance(value, str):
        raise TypeError(f"expected str, int, float or Decimal, got {type(value).__name__}")
    text = _EDGES_RE.sub("", normalize_digits(value)).replace("\u2212", "-")
    if not text:
        raise ThaiNumberError(f"ยังไม่ได้ใส่ตัวเลข — {NUMBER_HINT}")
    if not _NUMBER_RE.fullmatch(text):
        raise ThaiNumberError(f'"{value.strip()}" ไม่ใช่ตัวเลข — {NUMBER_HINT}')
    return Decimal(text.replace(",", ""))


def fiscal_year_of(d: date | datetime) -> int:
    """Return the Buddhist-Era fiscal year (1 Oct – 30 Sep) that contains ``d``."""
    d = as_date(d)
    return to_buddhist_year(d.year + 1 if d.month >= 10 else d.year)


def fiscal_year_bounds(fiscal_year: int) -> tuple[date, date]:
    """Return the first and last day of a BE fiscal year: 2565 → 2021-10-01, 2022-09-30."""
    if isinstance(fiscal_year, bool) or not isinstance(fiscal_year, int):
        raise TypeError(f"expected an int fiscal year, got {type(fiscal_year).__name__}")
    if not BE_YEAR_MIN <= fiscal_year <= BE_YEAR_MAX:
        raise ThaiDateError(
            f"ปีงบประมาณ {fiscal_year} ไม่ใช่ปีพุทธศักราช — "
            f"ใช้ปี พ.ศ. ระหว่าง {BE_YEAR_MIN}–{BE_YEAR_MAX} เช่น 2565"
        )
    end_year = to_gregorian_year(fiscal_year)
    return date(end_year - 1, 10, 1), date(end_year, 9, 30)


_SHORT_NUMBER_RE = re.compile(r"[0-9]{1,4}")


def short_number(text: str) -> int | None:
    """A short whole number as typed in a cell — a fiscal year, an indicator's number — in
    Thai or Arabic digits, at most four; None if the text is not one.

    Stricter than ``str.isdigit``, which also takes "²" (that ``int`` refuses) and numbers
    long enough to overflow a database query.
    """
    digits = normalize_digits(str(text)).strip()
    return int(digits) if _SHORT_NUMBER_RE.fullmatch(digits) else None


def _in_english(language: str | None) -> bool:
    """Whether to name months in English: ``language`` if given, else Django's active one.

    Outside Django (scripts, a bare interpreter) there is no active language: Thai.
    """
    if language is None:
        try:
            from django.conf import settings
            from django.utils.translation import get_language
        except ImportError:
            return False
        if not settings.configured:
            return False
        language = get_language() or ""
    return language.split("-")[0] == "en"


def format_date(
    d: date | datetime | None, style: str = "short", language: str | None = None
) -> str:
    """Return ``d`` with a Buddhist-Era year: short "1 ต.ค. 2564", long, or numeric.

    Months are Thai, or English ("1 Oct 2564") when ``language`` (by default the active
    language) is English.
    """
    if d is None:
        return ""
    d = as_date(d)
    year = to_buddhist_year(d.year)
    english = _in_english(language)
    if style == "short":
        months = ENGLISH_MONTHS_SHORT if english else THAI_MONTHS_SHORT
        return f"{d.day} {months[d.month]} {year}"
    if style == "long":
        months = ENGLISH_MONTHS_LONG if english else THAI_MONTHS_LONG
        return f"{d.day} {months[d.month]} {year}"
    if style == "numeric":
        return f"{d.day}/{d.month}/{year}"
    raise ValueError(f"unknown date style {style!r}; use 'short', 'long' or 'numeric'")


def format_datetime(
    d: datetime | date | None, style: str = "short", language: str | None = None
) -> str:
    """Return a moment as "26 พ.ย. 2569 08:24" (Bangkok time); a plain date without a time."""
    if d is None:
        return ""
    if not isinstance(d, datetime):
        return format_date(d, style, language)
    if d.tzinfo is not None and d.utcoffset() is not None:
        d = d.astimezone(BANGKOK)
    return f"{format_date(d, style, language)} {d:%H:%M}"


def format_month(d: date | datetime | None, language: str | None = None) -> str:
    """Return the month of ``d`` as "ต.ค. 64" (short month, two-digit Buddhist-Era year).

    Two digits are read back as 25xx, so a year outside 2500–2599 is shown in full. In
    English ("Oct 2564") the year is always in full: "Oct 64" would read as 1964 or 2064.
    """
    if d is None:
        return ""
    d = as_date(d)
    year = to_buddhist_year(d.year)
    if _in_english(language):
        return f"{ENGLISH_MONTHS_SHORT[d.month]} {year}"
    shown = f"{year % 100:02d}" if 2500 <= year <= 2599 else str(year)
    return f"{THAI_MONTHS_SHORT[d.month]} {shown}"


def format_window(
    start: date | datetime | None, end: date | datetime | None, language: str | None = None
) -> str:
    """Return a month window as "ต.ค. 64 – มิ.ย. 65"; show only the side that is known."""
    if start is None or end is None:
        return format_month(start if end is None else end, language)
    return f"{format_month(start, language)} \u2013 {format_month(end, language)}"


def _be_year(digits: str, text: str) -> int:
    if len(digits) == 2:
        return 2500 + int(digits)
    if len(digits) != 4:
        raise ThaiDateError(
            f'ปี "{digits}" ใน "{text}" ต้องเป็นปี พ.ศ. 4 หลัก เช่น 2564 (หรือ 2 หลักท้าย เช่น 64)'
        )
    year = int(digits)
    if BE_YEAR_MIN <= year <= BE_YEAR_MAX:
        return year
    if BE_YEAR_MIN - BE_OFFSET <= year <= BE_YEAR_MAX - BE_OFFSET:
        raise ThaiDateError(
            f'ปี {year} ใน "{text}" เป็นปีคริสต์ศักราช (ค.ศ.) — '
            f"ต้องใช้ปีพุทธศักราช (พ.ศ.) เช่น {to_buddhist_year(year)}"
        )
    raise ThaiDateError(
        f'ปี {year} ใน "{text}" อยู่นอกช่วงปี พ.ศ. {BE_YEAR_MIN}–{BE_YEAR_MAX} — {DATE_HINT}'
    )


def _month_number(token: str, text: str, hint: str) -> int:
    number = _MONTHS.get(_month_key(token))
    if number is None:
        raise ThaiDateError(f'ไม่รู้จักเดือน "{token.strip()}" ใน "{text}" — {hint}')
    return number


def _make_date(year_be: int, month: int, day: int, text: str) -> date:
    if not 1 <= month <= 12:
        raise ThaiDateError(f'ไม่มีเดือนที่ {month} ใน "{text}" — เดือนต้องเป็น 1–12, {DATE_HINT}')
    year = to_gregorian_year(year_be)
    days_in_month = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days_in_month:
        raise ThaiDateError(
            f"ไม่มีวันที่ {day} {THAI_MONTHS_LONG[month]} {year_be} ในปฏิทิน — เดือนนี้มี {days_in_month} วัน"
        )
    return date(year, month, day)


def parse_date(text: str) -> date:
    """Return the date a person typed with a Buddhist-Era year, or raise ThaiDateError.

    Accept "1/10/2564", "01/10/2564", "1-10-2564", "1.10.2564", "1 ต.ค. 2564", "1 ต.ค. 64",
    "1 ตุลาคม 2564" and the same with Thai digits; a two-digit year means 25xx. Accept ISO
    "2021-10-01" (four-digit year first, dashes) as Gregorian, because browsers' date pickers
    and machine exports send that. Refuse Gregorian-looking years in every other form, years
    outside 2400–2700, dates not in the calendar and anything else.
    """
    if text is None or not _clean(text):
        raise ThaiDateError(f"ยังไม่ได้ใส่วันที่ — {DATE_HINT}")
    cleaned = _clean(text)
    shown = text.strip()

    if match := _ISO_RE.fullmatch(cleaned):
        year, month, day = (int(part) for part in match.groups())
        if BE_YEAR_MIN <= year <= BE_YEAR_MAX:
            raise ThaiDateError(
                f'"{shown}" ขึ้นต้นด้วยปี พ.ศ. แต่รูปแบบ ปปปป-ดด-วว ใช้ปี ค.ศ. — '
                f"เขียนเป็น {day}/{month}/{year}"
            )
        year_be = to_buddhist_year(year)
        if not BE_YEAR_MIN <= year_be <= BE_YEAR_MAX:
            raise ThaiDateError(f'ไม่เข้าใจวันที่ "{shown}" — {DATE_HINT}')
        return _make_date(year_be, month, day, shown)

    if match := _NUMERIC_DATE_RE.fullmatch(cleaned):
        day, month, year_digits = match.groups()
        return _make_date(_be_year(year_digits, shown), int(month), int(day), shown)

    if match := _WORD_DATE_RE.fullmatch(cleaned):
        day, month_token, year_digits = match.groups()
        month = _month_number(month_token, shown, DATE_HINT)
        return _make_date(_be_year(year_digits, shown), month, int(day), shown)

    raise ThaiDateError(f'ไม่เข้าใจวันที่ "{shown}" — {DATE_HINT}')


def _parse_month_year(part: str, text: str) -> tuple[int, int]:
    match = _MONTH_YEAR_RE.fullmatch(part)
    if match is None:
        if _MONTH_ONLY_RE.fullmatch(part):
            _month_number(part, text, WINDOW_HINT)
            raise ThaiDateError(f'ไม่มีปีหลังเดือน "{part}" ใน "{text}" — {WINDOW_HINT}')
        raise ThaiDateError(f'ไม่เข้าใจช่วงเวลา "{text}" — {WINDOW_HINT}')
    month_token, year_digits = match.groups()
    month = _month_number(month_token, text, WINDOW_HINT)
    return _be_year(year_digits, text), month


def parse_window(text: str) -> tuple[date, date]:
    """Return (first day of the start month, last day of the end month) of a month window.

    Read "ต.ค. 64 – มิ.ย. 65" and what people and OCR make of it: any dash or "ถึง" between
    the months, any spacing, abbreviations with or without dots, full month names, two- or
    four-digit Buddhist-Era years, Thai digits. A single month is a one-month window. Refuse
    unknown months, missing years, an end before the start and anything else.
    """
    if text is None or not _clean(text):
        raise ThaiDateError(f"ยังไม่ได้ใส่ช่วงเวลา — {WINDOW_HINT}")
    cleaned = _clean(text).removeprefix("ตั้งแต่").strip()
    shown = text.strip()
    parts = _WINDOW_SEP_RE.split(cleaned)
    if len(parts) == 1:
        parts = parts * 2
    if len(parts) != 2 or not all(parts):
        raise ThaiDateError(f'ไม่เข้าใจช่วงเวลา "{shown}" — {WINDOW_HINT}')
    start_year, start_month = _parse_month_year(parts[0].strip(), shown)
    end_year, end_month = _parse_month_year(parts[1].strip(), shown)
    if (end_year, end_month) < (start_year, start_month):
        raise ThaiDateError(f'ช่วงเวลา "{shown}" สิ้นสุดก่อนเริ่ม — เดือนสุดท้ายต้องไม่อยู่ก่อนเดือนแรก')
    start = date(to_gregorian_year(start_year), start_month, 1)
    end_gregorian = to_gregorian_year(end_year)
    end = date(end_gregorian, end_month, calendar.monthrange(end_gregorian, end_month)[1])
    return start, end
