"""Properties of the Buddhist-Era date, month-window, fiscal-year and number parsers.

Every parser either returns a value or raises its own Thai error (ThaiDateError,
ThaiNumberError); no input text makes it fail with anything else.
"""

import calendar
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given, settings
from hypothesis import strategies as st

from assessments.forms import ThaiDateField
from assessments.thaidates import (
    BANGKOK,
    BE_YEAR_MAX,
    BE_YEAR_MIN,
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
)
from tests.properties.strategies import (
    ARABIC_DIGITS,
    FIRST_SUPPORTED,
    LAST_SUPPORTED,
    THAI_DIGITS,
    ZERO_WIDTH,
    any_text,
    month_pairs,
    month_spellings,
    months,
    padding,
    thai_digits_mixed,
    typed_month,
)

CHEAP = settings(deadline=None, max_examples=300)

supported_dates = st.dates(FIRST_SUPPORTED, LAST_SUPPORTED)


def outcome(parse, text):
    """The parsed value, or the error type when the parser refuses the text."""
    try:
        return parse(text)
    except (ThaiDateError, ThaiNumberError) as error:
        return type(error)


def last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def in_supported_range(d: date) -> bool:
    return BE_YEAR_MIN <= d.year + 543 <= BE_YEAR_MAX


# --- normalize_digits ----------------------------------------------------------------------


@CHEAP
@given(st.text(alphabet=st.one_of(st.characters(), st.sampled_from(THAI_DIGITS))))
def test_normalize_digits_maps_only_thai_digits_and_is_idempotent(text):
    result = normalize_digits(text)
    assert normalize_digits(result) == result
    assert len(result) == len(text)
    for before, after in zip(text, result, strict=True):
        if before in THAI_DIGITS:
            assert after == ARABIC_DIGITS[THAI_DIGITS.index(before)]
        else:
            assert after == before
    assert not set(THAI_DIGITS) & set(result)


# --- dates ---------------------------------------------------------------------------------


@CHEAP
@given(any_text())
@example("")
@example("\u200b")
@example("1/10/" + "9" * 5000)
@example("99/99/2564")
@example("29 ก.พ. 2563")
def test_parse_date_returns_a_supported_date_or_a_thai_date_error(text):
    """Never a crash: a date within พ.ศ. 2400–2700, or ThaiDateError with a message."""
    try:
        parsed = parse_date(text)
    except ThaiDateError as error:
        assert str(error)
        return
    assert isinstance(parsed, date)
    assert in_supported_range(parsed)


@CHEAP
@given(supported_dates, st.sampled_from(["short", "long", "numeric"]))
def test_format_date_parses_back_to_the_same_date(day, style):
    """Every style format_date shows, in Arabic or Thai digits, reads back as the date."""
    text = format_date(day, style)
    assert parse_date(text) == day
    assert parse_date(text.translate(str.maketrans(ARABIC_DIGITS, THAI_DIGITS))) == day


@st.composite
def typed_dates(draw):
    """A supported date as a person may type it, with the date it means."""
    day = draw(supported_dates)
    be_year = day.year + 543
    years = [str(be_year)] + ([f"{be_year % 100:02d}"] if 2500 <= be_year <= 2599 else [])
    year = draw(st.sampled_from(years))
    day_text = draw(st.sampled_from([str(day.day), f"{day.day:02d}"]))
    if draw(st.booleans()):
        month_text = draw(st.sampled_from([str(day.month), f"{day.month:02d}"]))
        first, second = (
            draw(st.sampled_from(["/", ".", "-", " / ", "/ ", " -"])),
            draw(st.sampled_from(["/", ".", "-", " /"])),
        )
        text = f"{day_text}{first}{month_text}{second}{year}"
    else:
        month = draw(st.sampled_from(month_spellings(day.month)))
        text = f"{day_text}{draw(st.sampled_from([' ', '', '  ']))}{month} {year}"
    text = draw(padding()) + draw(thai_digits_mixed(text)) + draw(padding())
    return text, day


@CHEAP
@given(typed_dates())
@example(("1 ตุลาคม พ.ศ. 2564", date(2021, 10, 1)))
@example(("๓๑/๑๒/๖๔", date(2021, 12, 31)))
def test_every_accepted_way_of_typing_a_date_means_that_date(typed):
    text, day = typed
    assert parse_date(text) == day


@CHEAP
@given(supported_dates)
def test_iso_dates_are_read_as_gregorian(day):
    """The one Gregorian form accepted: ISO, as date pickers and exports send it."""
    assert parse_date(day.isoformat()) == day


@CHEAP
@given(supported_dates)
def test_iso_form_with_a_buddhist_year_is_refused(day):
    text = f"{day.year + 543}-{day.month:02d}-{day.day:02d}"
    with pytest.raises(ThaiDateError, match=r"ค\.ศ\."):
        parse_date(text)


@CHEAP
@given(supported_dates, st.booleans())
@example(date(2021, 10, 1), False)
def test_gregorian_years_are_refused_not_stored_as_another_year(day, in_words):
    """1/10/2021 is refused with the Buddhist-Era year it should have been."""
    if in_words:
        text = f"{day.day} {month_spellings(day.month)[0]} {day.year}"
    else:
        text = f"{day.day}/{day.month}/{day.year}"
    with pytest.raises(ThaiDateError, match=r"ค\.ศ\.") as refused:
        parse_date(text)
    assert str(day.year + 543) in str(refused.value)


@CHEAP
@given(
    st.integers(1, 12),
    st.integers(0, 99),
    st.one_of(st.just(0), st.integers(29, 99)),
)
def test_a_day_is_accepted_exactly_when_the_calendar_has_it(month, year_2, day):
    year = 2500 + year_2 - 543
    if 1 <= day <= calendar.monthrange(year, month)[1]:
        assert parse_date(f"{day}/{month}/{year_2:02d}") == date(year, month, day)
    else:
        with pytest.raises(ThaiDateError):
            parse_date(f"{day}/{month}/{year_2:02d}")


@CHEAP
@given(st.one_of(any_text(), supported_dates.map(lambda d: format_date(d, "numeric"))))
def test_date_field_gives_a_date_none_or_a_validation_error(text):
    """The form field turns every refusal into a ValidationError and shows dates in พ.ศ."""
    field = ThaiDateField(required=False)
    try:
        value = field.clean(text)
    except ValidationError as error:
        assert error.messages
        return
    assert value is None or isinstance(value, date)
    if value is not None:
        assert field.widget.format_value(value) == format_date(value, "numeric")


# --- numbers -------------------------------------------------------------------------------


@CHEAP
@given(any_text())
@example("1e5")
@example("NaN")
@example("-inf")
@example("84..71")
@example("1,2345")
@example("\u2212" + "9" * 5000)
def test_parse_number_returns_a_finite_decimal_or_a_thai_number_error(text):
    """Never a crash: a finite Decimal, or ThaiNumberError with a message."""
    try:
        value = parse_number(text)
    except ThaiNumberError as error:
        assert str(error)
        return
    assert isinstance(value, Decimal)
    assert value.is_finite()


decimals = st.integers(0, 6).flatmap(
    lambda places: st.decimals(
        min_value=-(10**12), max_value=10**12, places=places, allow_nan=False
    )
)


@CHEAP
@given(decimals, st.sampled_from(["f", ",f"]), st.data())
def test_a_formatted_decimal_parses_back(value, spec, data):
    """Plain or with thousands commas, any digits Thai: the same Decimal comes back."""
    text = data.draw(thai_digits_mixed(format(value, spec)))
    parsed = parse_number(text)
    assert parsed == value
    assert parse_number(normalize_digits(text)) == parsed


@CHEAP
@given(decimals, padding(), padding())
@example(Decimal("5"), " \u200b ", "")
@example(Decimal("84.67"), "\u200b\u00a0\u200b", "\t\ufeff\t")
def test_surrounding_spaces_and_zero_width_marks_do_not_change_a_number(value, before, after):
    assert parse_number(f"{before}{value:f}{after}") == value


@CHEAP
@given(st.integers(), st.floats(allow_nan=False, allow_infinity=False))
def test_numbers_already_typed_as_numbers(integer, real):
    assert parse_number(integer) == integer
    assert parse_number(str(integer)) == integer
    assert float(parse_number(real)) == real
    assert parse_number(Decimal(integer)) == integer


@CHEAP
@given(st.sampled_from([float("nan"), float("inf"), float("-inf"), True, False, None]))
def test_non_finite_booleans_and_none_are_refused(value):
    with pytest.raises(ThaiNumberError):
        parse_number(value)


@CHEAP
@given(
    decimals,
    st.characters(categories=["L", "S", "P"], exclude_characters=",.+-\u2212"),
    st.data(),
)
def test_a_letter_or_symbol_anywhere_makes_junk(value, junk, data):
    """One stray letter or symbol inside a number ("8O", "84ก") refuses it, never guesses."""
    text = format(value, "f")
    where = data.draw(st.integers(0, len(text)))
    with pytest.raises(ThaiNumberError):
        parse_number(text[:where] + junk + text[where:])


# --- fiscal years --------------------------------------------------------------------------

fiscal_dates = st.dates(date(BE_YEAR_MIN - 543 - 1, 10, 1), date(BE_YEAR_MAX - 543, 9, 30))


@CHEAP
@given(fiscal_dates)
def test_a_date_lies_within_the_bounds_of_its_fiscal_year(day):
    year = fiscal_year_of(day)
    start, end = fiscal_year_bounds(year)
    assert start <= day <= end
    assert (start.month, start.day, end.month, end.day) == (10, 1, 9, 30)
    assert end.year == start.year + 1 == year - 543
    assert fiscal_year_of(start) == fiscal_year_of(end) == year


@CHEAP
@given(st.integers(BE_YEAR_MIN, BE_YEAR_MAX - 1))
def test_consecutive_fiscal_years_adjoin(year):
    _, end = fiscal_year_bounds(year)
    start, _ = fiscal_year_bounds(year + 1)
    assert start - end == timedelta(days=1)


@CHEAP
@given(st.integers())
@example(2021)
@example(BE_YEAR_MIN - 1)
@example(BE_YEAR_MAX + 1)
def test_fiscal_year_bounds_of_any_year_or_a_thai_date_error(year):
    """Bounds of any พ.ศ. year in range; any other int (a Gregorian 2021) is refused."""
    if BE_YEAR_MIN <= year <= BE_YEAR_MAX:
        start, end = fiscal_year_bounds(year)
        assert start < end
    else:
        with pytest.raises(ThaiDateError):
            fiscal_year_bounds(year)


@CHEAP
@given(
    st.datetimes(datetime(1900, 1, 2), datetime(2100, 12, 30)),
    st.sampled_from([UTC, BANGKOK, timezone(timedelta(hours=-10)), timezone(timedelta(hours=14))]),
)
def test_an_aware_datetime_belongs_to_the_fiscal_year_of_its_bangkok_date(moment, zone):
    """Aware datetimes are read in Bangkok time; naive ones as they are."""
    aware = moment.replace(tzinfo=zone)
    assert fiscal_year_of(aware) == fiscal_year_of(aware.astimezone(BANGKOK).date())
    assert fiscal_year_of(moment) == fiscal_year_of(moment.date())


# --- month windows -------------------------------------------------------------------------


@CHEAP
@given(any_text())
@example("ต.ค. 64 – มิ.ย. 65 – ก.ย. 65")
@example("ต.ค. " + "6" * 5000)
@example("ตุลา")
@example("– มิ.ย. 65")
@example("ตั้งแต่")
def test_parse_window_gives_whole_months_in_order_or_a_thai_date_error(text):
    """Never a crash: whole months with the start not after the end, or ThaiDateError."""
    try:
        start, end = parse_window(text)
    except ThaiDateError as error:
        assert str(error)
        return
    assert start <= end
    assert start.day == 1
    assert end == last_day(end.year, end.month)
    assert in_supported_range(start)
    assert in_supported_range(end)


def month_of(day: date) -> tuple[date, date]:
    return date(day.year, day.month, 1), last_day(day.year, day.month)


@st.composite
def day_pairs(draw) -> tuple[date, date]:
    """Any day of a supported month, then any day of the same or a later month."""
    (start_year, start_month), (end_year, end_month) = draw(month_pairs())
    start = draw(st.dates(date(start_year, start_month, 1), last_day(start_year, start_month)))
    end = draw(st.dates(date(end_year, end_month, 1), last_day(end_year, end_month)))
    return start, end


@CHEAP
@given(day_pairs())
@example((date(1900, 10, 15), date(1901, 6, 1)))
@example((date(2100, 1, 31), date(2100, 1, 31)))
def test_format_window_parses_back(days):
    """The shown window reads back as the same months, whatever century they are in."""
    start, end = days
    assert parse_window(format_window(start, end)) == (month_of(start)[0], month_of(end)[1])
    assert parse_window(format_window(start, None)) == month_of(start)
    assert parse_window(format_month(end)) == month_of(end)


WINDOW_SEPARATORS = ["–", "-", "—", "~", "−", "‐", "ถึง", " – ", " - ", " ถึง ", "  ~  "]


@st.composite
def typed_windows(draw) -> tuple[str, tuple[date, date]]:
    """A month window as a person or OCR may write it, with the days it means."""
    (start_year, start_month), (end_year, end_month) = draw(month_pairs())
    first = draw(typed_month(start_year, start_month))
    second = draw(typed_month(end_year, end_month))
    since = draw(st.sampled_from(["", "ตั้งแต่ ", "ตั้งแต่"]))
    text = f"{since}{first}{draw(st.sampled_from(WINDOW_SEPARATORS))}{second}"
    if (start_year, start_month) == (end_year, end_month) and draw(st.booleans()):
        text = f"{since}{first}"  # a single month is a one-month window
    text = draw(padding()) + draw(thai_digits_mixed(text)) + draw(padding())
    return text, (date(start_year, start_month, 1), last_day(end_year, end_month))


@CHEAP
@given(typed_windows())
@example(("ตั้งแต่ ตุลาคม 2564ถึงมิ.ย. ๖๕", (date(2021, 10, 1), date(2022, 6, 30))))
@example(("ต.ค.64-มิ.ย.65", (date(2021, 10, 1), date(2022, 6, 30))))
def test_every_accepted_way_of_typing_a_window_means_those_months(typed):
    text, expected = typed
    assert parse_window(text) == expected


@CHEAP
@given(month_pairs().filter(lambda pair: pair[0] != pair[1]))
def test_a_window_that_ends_before_it_starts_is_refused(pair):
    (start_year, start_month), (end_year, end_month) = pair
    text = format_window(date(end_year, end_month, 1), date(start_year, start_month, 1))
    with pytest.raises(ThaiDateError, match="สิ้นสุดก่อนเริ่ม"):
        parse_window(text)


@CHEAP
@given(months, st.sampled_from(ZERO_WIDTH))
def test_zero_width_marks_inside_a_window_are_ignored(month, mark):
    """Zero-width marks copied with the text, even between letters, change nothing."""
    year, number = month
    text = format_month(date(year, number, 1))
    marked = mark.join(text)
    assert parse_window(marked) == parse_window(text)


# --- Thai digits in every parser ------------------------------------------------------------


@CHEAP
@given(
    st.one_of(
        any_text(),
        typed_dates().map(lambda typed: typed[0]),
        typed_windows().map(lambda typed: typed[0]),
        decimals.map(lambda value: f"{value:,f}").flatmap(thai_digits_mixed),
    )
)
def test_thai_and_arabic_digits_read_the_same_everywhere(text):
    """Writing a digit the Thai way never changes what a parser makes of the text."""
    arabic = normalize_digits(text)
    for parse in (parse_date, parse_window, parse_number):
        assert outcome(parse, text) == outcome(parse, arabic)
