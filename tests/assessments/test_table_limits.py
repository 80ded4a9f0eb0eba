"""Spreadsheets are bounded: refused by size and packing before parsing, by real rows,
columns, cells and cell length while streaming, with at most 200 errors listed."""

import io
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from assessments.models import ItemScore
from assessments.score_import import import_scores
from assessments.tables import CellError, ErrorList, TableError, read_table

FILES = Path(__file__).resolve().parent.parent / "data" / "scores"
SHEET = "xl/worksheets/sheet1.xml"


def workbook(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_sheet(data: bytes, sheet_xml: str) -> bytes:
    """The same workbook with its first sheet's XML replaced (what a hostile file does)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = sheet_xml.encode() if info.filename == SHEET else source.read(info.filename)
            target.writestr(info.filename, body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def sheet_xml(body: str, dimension: str = "A1") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{body}</sheetData></worksheet>'
    )


def refusal(data: bytes, name: str = "file.xlsx") -> TableError:
    with pytest.raises(TableError) as caught:
        read_table(data, name)
    return caught.value


@pytest.fixture
def no_xml_parsing(monkeypatch):
    """Fail the test if openpyxl starts reading the workbook."""

    def refuse(*args, **kwargs):
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr("openpyxl.reader.excel.ExcelReader", refuse)


def test_a_zip_of_whitespace_is_refused_by_its_packing_before_parsing(no_xml_parsing):
    padded = sheet_xml(" " * 5_000_000)
    data = with_sheet(workbook([["organization"]]), padded)
    assert len(data) < 100_000
    error = refusal(data)
    assert "บีบอัดมากผิดปกติ" in str(error)


def test_a_workbook_that_unpacks_too_large_is_refused_before_parsing(settings, no_xml_parsing):
    settings.ITA_IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    cells = "".join(
        f'<row r="{n}"><c r="A{n}"><v>{n * 7919}</v></c></row>' for n in range(1, 40000)
    )
    error = refusal(with_sheet(workbook([["a"]]), sheet_xml(cells)))
    assert "เมื่อขยายออกมีขนาด" in str(error)
    assert "เกินที่รับได้ 1 MB" in str(error)


def test_an_oversized_styles_part_is_refused_before_parsing(no_xml_parsing):
    source = zipfile.ZipFile(io.BytesIO(workbook([["a"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "xl/styles.xml":
                # Varied enough to pack like real XML, not like padding.
                body += b"".join(b"<!-- %d -->" % (n * 7919) for n in range(700_000))
            target.writestr(info.filename, body)
    error = refusal(out.getvalue())
    assert "xl/styles.xml" in str(error)


def test_a_huge_declared_dimension_is_ignored_and_the_real_rows_are_read():
    body = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>organization</t></is></c></row>'
        '<row r="2"><c r="A2"><v>1009</v></c></row>'
    )
    data = with_sheet(workbook([["x"]]), sheet_xml(body, dimension="A1:XFD1048576"))
    assert len(data) < 10_000
    table = read_table(data, "dimension.xlsx")
    assert table.headers == ["organization"]
    assert table.rows == [(2, {"organization": 1009})]


def test_a_row_number_past_the_limit_is_refused_with_that_row(settings):
    settings.ITA_IMPORT_MAX_ROWS = 50
    body = (
        '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="A1048576"><v>1</v></c></row>'
    )
    error = refusal(with_sheet(workbook([["x"]]), sheet_xml(body)))
    assert error.errors[0].row == 1048576
    assert "เกิน 50 แถว" in error.errors[0].message


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_too_many_rows(settings, suffix):
    settings.ITA_IMPORT_MAX_ROWS = 10
    rows = [["organization", "fiscal_year"]] + [[str(1000 + n), "2564"] for n in range(10)]
    data = workbook(rows) if suffix == "xlsx" else "\n".join(map(",".join, rows)).encode()
    error = refusal(data, f"rows.{suffix}")
    assert "ตารางมีเกิน 10 แถว" in str(error)
    assert "แบ่งเป็นหลายไฟล์" in str(error)


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_too_many_columns_names_the_column(settings, suffix):
    settings.ITA_IMPORT_MAX_COLUMNS = 10
    rows = [["organization"], ["1009", *[""] * 9, "x"]]
    data = workbook(rows) if suffix == "xlsx" else "\n".join(map(",".join, rows)).encode()
    error = refusal(data, f"columns.{suffix}")
    assert (error.errors[0].row, error.errors[0].column) == (2, "K")
    assert "เกิน 10 คอลัมน์" in error.errors[0].message


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_too_many_cells(settings, suffix):
    settings.ITA_IMPORT_MAX_CELLS = 100
    rows = [[f"c{n}" for n in range(20)] for _ in range(6)]
    data = workbook(rows) if suffix == "xlsx" else "\n".join(map(",".join, rows)).encode()
    assert "ตารางมีข้อมูลเกิน 100 ช่อง" in str(refusal(data, f"cells.{suffix}"))


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_a_giant_cell_is_refused_with_its_row(settings, suffix):
    settings.ITA_IMPORT_MAX_CELL_CHARS = 256
    rows = [["organization", "note"], ["1009", "ก" * 300]]
    data = workbook(rows) if suffix == "xlsx" else "\n".join(map(",".join, rows)).encode()
    error = refusal(data, f"long.{suffix}")
    assert error.errors[0].row == 2
    assert "ยาวเกิน 256 ตัวอักษร" in error.errors[0].message


def test_files_within_the_limits_read_as_before(settings):
    settings.ITA_IMPORT_MAX_ROWS = 3
    settings.ITA_IMPORT_MAX_COLUMNS = 2
    settings.ITA_IMPORT_MAX_CELLS = 6
    table = read_table(workbook([["a", "b"], [1, 2], [3, 4]]), "ok.xlsx")
    assert table.rows == [(2, {"a": 1, "b": 2}), (3, {"a": 3, "b": 4})]


def test_the_same_header_twice_is_refused_naming_both_columns():
    error = refusal(b"organization,fiscal_year,I1,I2,i1\n1009,2564,80,81,90\n", "wide.csv")
    assert (error.errors[0].row, error.errors[0].column) == (1, "E")
    assert "i1 ซ้ำกัน: คอลัมน์ C และ E" in error.errors[0].message


@pytest.mark.django_db
def test_a_wide_score_file_with_an_item_column_twice_changes_nothing(district, framework):
    data = b"organization,fiscal_year,I1,I2,I1\n1009,2564,80,81,90\n"
    with pytest.raises(TableError) as caught:
        import_scores(data, "wide.csv")
    assert "ซ้ำกัน" in str(caught.value)
    assert not ItemScore.objects.exists()


def test_formulas_without_saved_values_are_refused_with_what_to_do():
    data = workbook([["organization", "fiscal_year", "I1"], [1009, 2564, "=80+2.86"]])
    error = refusal(data)
    assert (error.errors[0].row, error.errors[0].column) == (2, "C")
    assert "เปิดไฟล์นี้ใน Excel" in error.errors[0].message
    assert "บันทึก" in error.errors[0].message


def test_formulas_with_saved_values_are_read():
    table = read_table((FILES / "wide_formulas.xlsx").read_bytes(), "wide_formulas.xlsx")
    assert table.rows[0][1]["i2"] == 82.86


def test_a_text_formula_that_computes_to_nothing_is_not_refused():
    body = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>b</t></is></c></row>'
        '<row r="2"><c r="A2" t="str"><f>""</f><v></v></c><c r="B2"><v>1</v></c></row>'
    )
    table = read_table(with_sheet(workbook([["x"]]), sheet_xml(body)), "f.xlsx")
    assert table.rows == [(2, {"a": "", "b": 1})]


def test_an_error_list_keeps_the_first_ones_and_counts_the_rest():
    errors = ErrorList(limit=3)
    errors.extend(CellError(f"ผิด {n}", row=n) for n in range(1, 11))
    assert len(errors) == 10 and errors.unlisted == 7
    error = TableError(errors)
    assert [e.row for e in error.errors] == [1, 2, 3]
    assert error.lines()[-1] == "และพบข้อผิดพลาดอีก 7 รายการ"


def test_a_table_error_built_from_a_list_is_capped_too(settings):
    settings.ITA_IMPORT_MAX_LISTED_ERRORS = 2
    error = TableError([CellError("ผิด", row=n) for n in range(5)])
    assert (len(error.errors), error.total, error.unlisted) == (2, 5, 3)


@pytest.mark.django_db
def test_the_command_lists_200_errors_and_counts_the_rest(district, framework, tmp_path):
    lines = ["organization,fiscal_year,item,score"]
    lines += [f"{9000 + n},2564,I1,80" for n in range(250)]
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_scores", str(path), stdout=StringIO(), stderr=err)
    printed = err.getvalue().splitlines()
    assert len(printed) == 201
    assert printed[0] == "แถว 2, คอลัมน์ organization: ไม่มีหน่วยงานรหัส 9000"
    assert printed[-1] == "และพบข้อผิดพลาดอีก 50 รายการ"
    assert "พบข้อผิดพลาด 250 รายการ" in str(caught.value)
    assert not ItemScore.objects.exists()


@pytest.mark.django_db
def test_the_admin_preview_lists_200_errors_and_counts_the_rest(client, district, framework):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.factories import make_user

    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    lines = ["organization,fiscal_year,item,score"]
    lines += [f"{9000 + n},2564,I1,80" for n in range(230)]
    upload = SimpleUploadedFile("bad.csv", "\n".join(lines).encode())
    response = client.post(
        reverse("admin:assessments_itemscore_import"), {"format": "0", "import_file": upload}
    )
    page = response.content.decode()
    assert "ไม่มีหน่วยงานรหัส 9199" in page
    assert "ไม่มีหน่วยงานรหัส 9200" not in page
    assert "และพบข้อผิดพลาดอีก 30 รายการ" in page
    assert not ItemScore.objects.exists()
