"""Hypothesis strategies for the text people type: Thai digits, Thai months, BE years."""

from datetime import date

from hypothesis import strategies as st

from assessments.thaidates import BE_YEAR_MAX, BE_YEAR_MIN, THAI_MONTHS_LONG, THAI_MONTHS_SHORT

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
ARABIC_DIGITS = "0123456789"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"

# The Gregorian dates whose Buddhist-Era year lies in the supported 2400–2700.
FIRST_SUPPORTED = date(2400 - 543, 1, 1)
LAST_SUPPORTED = date(2700 - 543, 12, 31)

# The spoken short forms people type instead of the abbreviation ("ตุลา 64").
SPOKEN = (
    "",
    "มกรา",
    "กุมภา",
    "มีนา",
    "เมษา",
    "พฤษภา",
    "มิถุนา",
    "กรกฎา",
    "สิงหา",
    "กันยา",
    "ตุลา",
    "พฤศจิกา",
    "ธันวา",
)


def month_spellings(month: int) -> list[str]:
    """Every way a month is written in Thai that the parsers accept."""
    short = THAI_MONTHS_SHORT[month]
    long = THAI_MONTHS_LONG[month]
    return [
        short,
        short.replace(".", ""),
        short.replace(".", ". ").strip(),
        long,
        f"เดือน{long}",
        f"{long} พ.ศ.",
        SPOKEN[month],
    ]


@st.composite
def thai_digits_mixed(draw, text: str) -> str:
    """``text`` with any of its digits swapped for the Thai digit of the same value."""
    swap = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    return "".join(
        THAI_DIGITS[int(ch)] if flip and ch in ARABIC_DIGITS else ch
        for ch, flip in zip(text, swap, strict=True)
    )


def padding() -> st.SearchStrategy[str]:
    """What surrounds a value copied from a document: spaces, tabs, NBSP, zero-width marks."""
    return st.text(alphabet=" \t\u00a0\u3000" + ZERO_WIDTH, max_size=4)


def month_name() -> st.SearchStrategy[str]:
    return st.integers(1, 12).flatmap(lambda m: st.sampled_from(month_spellings(m)))


# Pieces of dates, windows and numbers, so fuzzed text reaches past the first regex.
TOKENS = st.one_of(
    st.integers(0, 3000).map(str),
    st.sampled_from(["0", "00", "31", "29", "13", "2564", "64", "2021", "1999", "2700", "2701"]),
    month_name(),
    st.sampled_from(["ถึง", "ตั้งแต่", "พ.ศ.", "ค.ศ.", "เดือน", "ตุลา", "ก.ก.", "\u0e4d\u0e32"]),
    st.sampled_from([*"/.-–—~−, +", "  ", "\t", "\n", *ZERO_WIDTH]),
    st.text(alphabet=ARABIC_DIGITS + THAI_DIGITS, min_size=1, max_size=6),
    st.text(max_size=3),
)


@st.composite
def tokenish_text(draw) -> str:
    """Text glued together from date, window and number pieces, Thai digits mixed in."""
    text = "".join(draw(st.lists(TOKENS, max_size=8)))
    return draw(thai_digits_mixed(text))


def any_text() -> st.SearchStrategy[str]:
    """Plain random unicode, or text made of the pieces the parsers look for."""
    return st.one_of(st.text(), tokenish_text())


# (Gregorian year, month) of the months a window may start or end in.
months = st.tuples(st.integers(BE_YEAR_MIN - 543, BE_YEAR_MAX - 543), st.integers(1, 12))


@st.composite
def month_pairs(draw):
    """Two supported months, the first not after the second."""
    first, second = sorted([draw(months), draw(months)])
    return first, second


@st.composite
def typed_month(draw, year: int, month: int) -> str:
    """A month as typed in a window: any accepted spelling, a two- or four-digit BE year."""
    be_year = year + 543
    years = [str(be_year)] + ([f"{be_year % 100:02d}"] if 2500 <= be_year <= 2599 else [])
    name = draw(st.sampled_from(month_spellings(month)))
    return f"{name}{draw(st.sampled_from([' ', '', '  ']))}{draw(st.sampled_from(years))}"
