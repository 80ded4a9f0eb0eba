"""The admin's exports (.xlsx and .csv) never write text that a spreadsheet would run."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import ReportedScore
from tests.factories import make_user

pytestmark = pytest.mark.django_db

EXPORT = reverse("admin:assessments_reportedscore_export")
FIELDS = ("organization", "fiscal_year", "scope", "target", "value", "basis", "source", "note")
TEXTS = {
    '=HYPERLINK("http://evil.example","click")': "total",
    "+cmd|' /C calc'!A0": "total",
    "-2+3": "total",
    "@SUM(A1:A9)": "total",
}


@pytest.fixture
def figures(assessment):
    for order, text in enumerate(TEXTS):
        ReportedScore.objects.create(
            assessment=assessment,
            scope="total",
            value=80 + order,
            source=f"แหล่ง {order}",
            note=text,
        )


def export(client, format_index: str):
    data = {"format": format_index, "resource": "0"}
    data |= {f"reportedscoreresource_{name}": "on" for name in FIELDS}
    response = client.post(EXPORT, data)
    assert response.status_code == 200
    return response.content


@pytest.fixture
def viewer(client):
    user = make_user("viewer", is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def test_xlsx_export_writes_formula_like_text_as_text(client, viewer, figures):
    sheet = load_workbook(io.BytesIO(export(client, "0"))).active
    rows = list(sheet.iter_rows(min_row=2))
    notes = {row[7].value: row[7] for row in rows}
    assert set(notes) == set(TEXTS)  # shown exactly as typed
    assert all(cell.data_type == "s" for cell in notes.values())


def test_csv_export_marks_formula_like_text(client, viewer, figures):
    rows = list(csv.reader(io.StringIO(export(client, "1").decode("utf-8-sig"))))
    assert rows[0] == list(FIELDS)
    assert {row[7] for row in rows[1:]} == {"'" + text for text in TEXTS}
    assert {row[4] for row in rows[1:]} == {"80.00", "81.00", "82.00", "83.00"}


def test_no_export_without_the_view_permission(client, figures):
    user = make_user("nobody", is_staff=True)
    client.force_login(user)
    data = {"format": "1", "resource": "0"}
    assert client.post(EXPORT, data).status_code == 403
