"""Properties of the catalog and reported-figure loaders (assessments/loaders.py).

The rule is the score importer's: a file is imported or refused with TableError naming its
bad cells, whatever its years, indicator numbers and values.
"""

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from assessments.loaders import import_items, import_reported
from assessments.tables import CellError, Table, TableError
from tests.properties.strategies import any_text, thai_digits_mixed

WITH_DB = settings(
    deadline=None, max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

YEARS = st.one_of(
    st.sampled_from(["2564", "๒๕๖๔", "2599", "2021", "", "²", "9" * 25]),
    any_text(),
)
NUMBERS = st.one_of(
    st.integers(-5, 120).map(str).flatmap(thai_digits_mixed),
    st.decimals(min_value=Decimal(0), max_value=Decimal(100), places=3).map(str),
    st.sampled_from(["1", "6", "9", "²", "9" * 5000]),
    any_text(),
)


def table(headers: list[str], rows: list[dict[str, str]]) -> Table:
    numbered = [(number, row) for number, row in enumerate(rows, start=2)]
    return Table(name="file.csv", checksum="", headers=headers, rows=numbered)


def import_or_refuse(load, data: Table) -> None:
    """Run a loader and roll its writes back; a refusal must be a clear TableError."""
    with transaction.atomic():
        try:
            load(data)
        except TableError as error:
            assert error.errors
            assert all(isinstance(cell, CellError) and cell.message for cell in error.errors)
        transaction.set_rollback(True)


reported_rows = st.fixed_dictionaries(
    {
        "organization": st.sampled_from(["1009", "๑๐๐๙", "9999"]),
        "fiscal_year": YEARS,
        "scope": st.sampled_from(["item", "indicator", "tool", "total", "TOTAL", "x"]),
        "target": st.one_of(st.sampled_from(["I1", "o1", "IIT", "1", "9"]), NUMBERS),
        "value": NUMBERS,
        "basis": st.sampled_from(["score", "points", "x"]),
    }
)


@pytest.mark.django_db
@WITH_DB
@given(st.lists(reported_rows, min_size=1, max_size=3))
@example(
    [
        {
            "organization": "1009",
            "fiscal_year": "²",
            "scope": "total",
            "target": "",
            "value": "50",
            "basis": "score",
        }
    ]
)
def test_any_reported_figures_file_is_imported_or_refused(framework, district, rows):
    headers = ["organization", "fiscal_year", "scope", "target", "value", "basis"]
    import_or_refuse(import_reported, table(headers, rows))


item_rows = st.fixed_dictionaries(
    {
        "fiscal_year": YEARS,
        "indicator": NUMBERS,
        "item": st.one_of(st.sampled_from(["I7", "e9", "O๕", "X1", "I1000"]), any_text()),
        "text": any_text(),
    }
)


@pytest.mark.django_db
@WITH_DB
@given(st.lists(item_rows, min_size=1, max_size=3))
@example([{"fiscal_year": "2564", "indicator": "²", "item": "I7", "text": "ข้อใหม่"}])
def test_any_catalog_file_is_imported_or_refused(framework, rows):
    import_or_refuse(import_items, table(["fiscal_year", "indicator", "item", "text"], rows))
