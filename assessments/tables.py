"""Read an uploaded spreadsheet (.xlsx or UTF-8 .csv) into rows, the way people make them.

Tolerated: a byte-order mark, spaces around headers and values, blank lines, extra empty
columns, numbers stored as text, formulas (their last computed values are read).
Refused, with a Thai message: an empty file, a file over the size limit, a file that is not
a spreadsheet, a corrupt workbook. Row numbers are the spreadsheet's (the header is row 1).
"""

import csv
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings


class CellError(ValueError):
    """One bad cell (or row, or file): where it is and what is wrong, in Thai."""

    def __init__(self, message: str, row: int | None = None, column: str | None = None):
        self.row, self.column, self.message = row, column, message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"แถว {self.row}")
        if self.column:
            where.append(f"คอลัมน์ {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class TableError(ValueError):
    """A file that cannot be taken in; ``errors`` lists every bad cell."""

    def __init__(self, errors: list[CellError], name: str = ""):
        self.errors, self.name = errors, name
        super().__init__("; ".join(str(error) for error in errors))


@dataclass
class Table:
    name: str
    checksum: str
    headers: list[str]
    rows: list[tuple[int, dict[str, object]]]


def text_of(value: object) -> str:
    """A cell as text, as typed: 2564.0 read from a workbook is "2564"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return ("" if value is None else str(value)).strip()


def max_bytes() -> int:
    return settings.ITA_IMPORT_MAX_BYTES


def header_key(text: object, aliases: dict[str, str] | None = None) -> str:
    """ " ปีงบประมาณ " → "fiscal_year" (with an alias table); "I12 " → "i12"."""
    key = " ".join(str(text or "").split()).lower()
    return (aliases or {}).get(key, key)


def _cell(value: object) -> object:
    if isinstance(value, str):
        value = value.strip()
    return "" if value is None else value


def _is_blank(value: object) -> bool:
    return value == "" or value is None


def _xlsx_rows(data: bytes) -> list[list[object]]:
    from openpyxl import load_workbook

    def corrupt() -> TableError:
        return TableError([CellError("อ่านไฟล์ Excel ไม่ได้ ไฟล์อาจเสียหาย (corrupt .xlsx)")])

    # A damaged part makes openpyxl fail with almost any error (BadZipFile, XML ParseError,
    # KeyError, TypeError, IndexError...); for an uploaded file each means the same thing.
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        raise corrupt() from error
    try:
        # Read-only sheets are parsed while iterating, so damage may surface only here.
        return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    except Exception as error:
        raise corrupt() from error
    finally:
        workbook.close()


def _csv_rows(data: bytes) -> list[list[object]]:
    # A NUL byte is never text (and PostgreSQL refuses it), wherever it is in the file.
    if b"\x00" in data:
        raise TableError([CellError("ไฟล์นี้ไม่ใช่ตาราง (.xlsx หรือ .csv)")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TableError([CellError("ไฟล์ CSV ต้องบันทึกเป็น UTF-8 (save as CSV UTF-8)")]) from error
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as error:
        raise TableError([CellError(f"อ่านไฟล์ CSV ไม่ได้: {error}")]) from error


def read_table(
    data: bytes,
    name: str,
    aliases: dict[str, str] | None = None,
    is_header: Callable[[list[str]], bool] | None = None,
) -> Table:
    """Return the first sheet of ``data`` as rows keyed by normalised header.

    The header is the first non-blank row, or the first row ``is_header`` accepts (so a title
    above the table is skipped).
    """
    limit = max_bytes()
    if len(data) > limit:
        raise TableError(
            [CellError(f"ไฟล์ใหญ่เกิน {limit // (1024 * 1024)} MB (file too large)")], name
        )
    if not data.strip():
        raise TableError([CellError("ไฟล์ว่าง ไม่มีข้อมูล (empty file)")], name)
    is_zip = data[:4] == b"PK\x03\x04"
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx" or is_zip:
        if not is_zip:
            raise TableError([CellError("ไฟล์ .xlsx นี้ไม่ใช่ไฟล์ Excel ที่อ่านได้")], name)
        raw = _xlsx_rows(data)
    elif suffix in ("", ".csv", ".txt"):
        raw = _csv_rows(data)
    else:
        raise TableError([CellError(f"ไม่รับไฟล์ {suffix} — ใช้ .xlsx หรือ .csv")], name)

    raw = [[_cell(value) for value in row] for row in raw]

    def accepted(row: list[object]) -> bool:
        if not any(map(str, row)):
            return False
        return is_header is None or is_header([header_key(value, aliases) for value in row])

    header_index = next((i for i, row in enumerate(raw) if accepted(row)), None)
    if header_index is None and is_header is not None and any(any(map(str, r)) for r in raw):
        raise TableError([CellError("ไม่พบแถวหัวตาราง (no header row found)")], name)
    if header_index is None:
        raise TableError([CellError("ไฟล์ว่าง ไม่มีข้อมูล (empty file)")], name)
    headers = [header_key(value, aliases) for value in raw[header_index]]
    rows = []
    for index in range(header_index + 1, len(raw)):
        cells = raw[index]
        values = {
            header: cells[position] if position < len(cells) else ""
            for position, header in enumerate(headers)
            if header
        }
        if all(_is_blank(value) for value in values.values()):
            continue
        rows.append((index + 1, values))
    return Table(
        name=name,
        checksum=hashlib.sha256(data).hexdigest(),
        headers=[header for header in headers if header],
        rows=rows,
    )


def refused(error: TableError, stderr) -> Exception:
    """Print every error of a refused file, one per line; return the command's final error."""
    from django.core.management.base import CommandError

    for problem in error.errors:
        stderr.write(str(problem))
    return CommandError(
        f"ไม่ได้นำเข้า: พบข้อผิดพลาด {len(error.errors)} รายการ ไม่มีข้อมูลใดถูกบันทึก "
        f"(nothing imported: {len(error.errors)} errors)"
    )
