"""Read an uploaded spreadsheet (.xlsx or UTF-8 .csv) into rows, the way people make them.

Tolerated: a byte-order mark, spaces around headers and values, blank lines, extra empty
columns, numbers stored as text, formulas (their last computed values are read).
Refused, with a Thai message: an empty file, a file over the size limit, a file that is not
a spreadsheet, a corrupt workbook, a workbook whose formulas have no saved values, two
columns with the same header. Row numbers are the spreadsheet's (the header is row 1).

Every file is bounded before and while it is read (``Limits``): a workbook by the unpacked
size and compression ratio of its parts before any XML is parsed, then, like a CSV, by its
real rows, columns, cells and cell length as it is streamed row by row, whatever size the
sheet declares. Errors beyond the first ``ITA_IMPORT_MAX_LISTED_ERRORS`` are only counted.
"""

import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import iterparse

from django.conf import settings
from django.utils.translation import gettext as _


class CellError(ValueError):
    """One bad cell (or row, or file): where it is and what is wrong, in Thai."""

    def __init__(
        self,
        message: str,
        row: int | None = None,
        column: str | None = None,
        sheet: str | None = None,
    ):
        self.row, self.column, self.message, self.sheet = row, column, message, sheet
        super().__init__(str(self))

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(_("ชีต %(sheet)s") % {"sheet": self.sheet})
        if self.row is not None:
            where.append(_("แถว %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("คอลัมน์ %(column)s") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message


class ErrorList:
    """The errors found in one file: the first ``limit`` kept, the rest only counted.

    A file of 8,000 bad rows must not hold (or print, or show) 8,000 messages; people fix
    the first ones and upload again.
    """

    def __init__(self, errors: Iterable[CellError] = (), limit: int | None = None):
        self.limit = settings.ITA_IMPORT_MAX_LISTED_ERRORS if limit is None else limit
        self.listed: list[CellError] = []
        self.total = 0
        self.extend(errors)

    def append(self, error: CellError) -> None:
        self.total += 1
        if len(self.listed) < self.limit:
            self.listed.append(error)

    def extend(self, errors: Iterable[CellError]) -> None:
        for error in errors:
            self.append(error)

    def __len__(self) -> int:
        return self.total

    def __bool__(self) -> bool:
        return self.total > 0

    def __iter__(self) -> Iterator[CellError]:
        return iter(self.listed)

    @property
    def unlisted(self) -> int:
        return self.total - len(self.listed)


def more_errors_line(count: int) -> str:
    """The line that stands for the errors not listed."""
    return _("และพบข้อผิดพลาดอีก %(count)s รายการ") % {"count": f"{count:,}"}


class TableError(ValueError):
    """A file that cannot be taken in.

    ``errors`` lists the first bad cells (at most ``ITA_IMPORT_MAX_LISTED_ERRORS``), ``total``
    counts them all and ``unlisted`` the ones left out.
    """

    def __init__(self, errors: Iterable[CellError], name: str = ""):
        found = errors if isinstance(errors, ErrorList) else ErrorList(errors)
        self.errors, self.total, self.unlisted = list(found.listed), found.total, found.unlisted
        self.name = name
        super().__init__("; ".join(self.lines()))

    def lines(self) -> list[str]:
        """Every listed error as a line, then one line counting the rest."""
        lines = [str(error) for error in self.errors]
        if self.unlisted:
            lines.append(more_errors_line(self.unlisted))
        return lines


@dataclass
class Table:
    name: str
    checksum: str
    headers: list[str]
    rows: list[tuple[int, dict[str, object]]]


@dataclass(frozen=True)
class Limits:
    """How much of a file is read at most (settings ``ITA_IMPORT_MAX_*``)."""

    bytes: int
    unpacked_bytes: int
    ratio: int
    rows: int
    columns: int
    cells: int
    cell_chars: int

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(
            bytes=settings.ITA_IMPORT_MAX_BYTES,
            unpacked_bytes=settings.ITA_IMPORT_MAX_UNPACKED_BYTES,
            ratio=settings.ITA_IMPORT_MAX_COMPRESSION_RATIO,
            rows=settings.ITA_IMPORT_MAX_ROWS,
            columns=settings.ITA_IMPORT_MAX_COLUMNS,
            cells=settings.ITA_IMPORT_MAX_CELLS,
            cell_chars=settings.ITA_IMPORT_MAX_CELL_CHARS,
        )


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


def column_letter(number: int) -> str:
    """1 → "A", 28 → "AB": how a spreadsheet program names a column."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _cell(value: object) -> object:
    if isinstance(value, str):
        value = value.strip()
    return "" if value is None else value


def _is_blank(value: object) -> bool:
    return value == "" or value is None


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f}"


def _too_many_rows(limits: Limits) -> str:
    return _("ตารางมีเกิน %(rows)s แถว — แบ่งเป็นหลายไฟล์แล้วนำเข้าทีละไฟล์") % {"rows": f"{limits.rows:,}"}


def _too_many_cells(limits: Limits) -> str:
    return _("ตารางมีข้อมูลเกิน %(cells)s ช่อง — แบ่งเป็นหลายไฟล์แล้วนำเข้าทีละไฟล์") % {
        "cells": f"{limits.cells:,}"
    }


class _Counter:
    """Counts rows, columns and cells as they stream by; refuses past the limits."""

    def __init__(self, limits: Limits):
        self.limits, self.cells = limits, 0

    def row(self, number: int) -> None:
        if number > self.limits.rows:
            raise TableError([CellError(_too_many_rows(self.limits), row=number)])

    def cell(self, row: int, column: int, value: object) -> None:
        if column > self.limits.columns:
            message = _("ตารางมีเกิน %(columns)s คอลัมน์") % {"columns": f"{self.limits.columns:,}"}
            raise TableError([CellError(message, row=row, column=column_letter(column))])
        self.cells += 1
        if self.cells > self.limits.cells:
            message = _too_many_cells(self.limits)
            raise TableError([CellError(message, row=row, column=column_letter(column))])
        if isinstance(value, str) and len(value) > self.limits.cell_chars:
            raise self.too_long(row, column_letter(column))

    def too_long(self, row: int | None, column: str | None = None) -> TableError:
        message = _("ข้อความในช่องนี้ยาวเกิน %(chars)s ตัวอักษร") % {
            "chars": f"{self.limits.cell_chars:,}"
        }
        return TableError([CellError(message, row=row, column=column)])


def _corrupt() -> TableError:
    return TableError([CellError(_("อ่านไฟล์ Excel ไม่ได้ ไฟล์อาจเสียหาย (corrupt .xlsx)"))])


def _refuse(message: str) -> TableError:
    return TableError([CellError(message)])


# A cell, a row and a shared text, as tags in the XML, with or without a namespace prefix.
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_TEXT_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")


def _count_tags(
    archive: zipfile.ZipFile, path: str, patterns: list[re.Pattern]
) -> Iterator[list[int]]:
    """Count tags in a part as it unpacks, a megabyte at a time; yield the running counts.

    Counting bytes is a hundred times faster than parsing XML, so a file with too many
    rows or cells is refused in a fraction of a second instead of after a full parse.
    """
    counts = [0] * len(patterns)
    carry = b""
    with archive.open(path) as source:
        while chunk := source.read(1024 * 1024):
            buffer = carry + chunk
            # A tag cut at the chunk's end is counted with the next chunk.
            cut = buffer.rfind(b"<")
            cut = cut if cut >= 0 and len(buffer) - cut < 256 else len(buffer)
            buffer, carry = buffer[:cut], buffer[cut:]
            for index, pattern in enumerate(patterns):
                counts[index] += len(pattern.findall(buffer))
            yield counts
    for index, pattern in enumerate(patterns):
        counts[index] += len(pattern.findall(carry))
    yield counts


def _check_archive(data: bytes, limits: Limits) -> None:
    """Refuse a workbook whose parts unpack too large or too well, before parsing any of it.

    The sizes are the archive's own word, but they bind: Python's zipfile never inflates a
    part beyond its stated size (it stops there and fails the checksum), so nothing bigger
    than what is checked here is ever unpacked.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise _corrupt() from error
    unpacked = sum(part.file_size for part in parts)
    packed = sum(part.compress_size for part in parts)
    if unpacked > limits.unpacked_bytes:
        raise _refuse(
            _("ไฟล์ Excel นี้เมื่อขยายออกมีขนาด %(size)s MB เกินที่รับได้ %(limit)s MB")
            % {"size": _mb(unpacked), "limit": _mb(limits.unpacked_bytes)}
        )
    # Spreadsheet XML packs five to twenty times; one that packs hundreds of times is
    # padding (a "zip bomb"), whatever its unpacked size. Small files pack as they please.
    if unpacked > 1024 * 1024 and unpacked > limits.ratio * max(packed, 1):
        raise _refuse(
            _("ไฟล์ Excel นี้ถูกบีบอัดมากผิดปกติ (ขยายได้ %(ratio)s เท่า เกิน %(limit)s เท่า) จึงไม่อ่าน")
            % {"ratio": f"{unpacked / max(packed, 1):,.0f}", "limit": f"{limits.ratio:,}"}
        )
    # Styles, relationships and the workbook part are parsed whole (as trees) by openpyxl;
    # in a real file each is well under a megabyte.
    for part in parts:
        name = part.filename.lower()
        if "worksheets/" in name or "sharedstrings" in name or not name.endswith((".xml", ".rels")):
            continue
        if part.file_size > _OTHER_PART_BYTES:
            raise _refuse(
                _("ส่วน %(part)s ของไฟล์ Excel นี้ใหญ่ผิดปกติ (%(size)s MB) จึงไม่อ่าน")
                % {"part": part.filename, "size": f"{part.file_size / (1024 * 1024):,.1f}"}
            )


_OTHER_PART_BYTES = 8 * 1024 * 1024


def _check_counts(archive: zipfile.ZipFile, sheet_path: str, strings_path: str | None, limits):
    """Refuse a sheet with more rows or cells (or a workbook with more shared texts) than
    the limits allow, by counting tags before any XML is parsed."""
    for rows, cells in _count_tags(archive, sheet_path, [_ROW_TAG, _CELL_TAG]):
        if rows > limits.rows:
            raise _refuse(_too_many_rows(limits))
        if cells > limits.cells:
            raise _refuse(_too_many_cells(limits))
    if strings_path:
        for (texts,) in _count_tags(archive, strings_path, [_TEXT_TAG]):
            if texts > limits.cells:
                raise _refuse(_too_many_cells(limits))


def _uncalculated(element) -> bool:
    """A formula cell saved without its computed value (openpyxl writes them so)."""
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG

    if element.find(FORMULA_TAG) is None or element.get("t") == "str":
        return False  # a text formula may rightly compute to ""
    return not (element.findtext(VALUE_TAG) or "").strip()


def _sheet_rows(source, parser, counter: _Counter) -> Iterator[tuple[int, list[object]]]:
    """Stream a worksheet's XML: (row number, values) per row present, blank rows skipped.

    openpyxl's own read-only rows are padded to the sheet's declared dimension, which a
    1.6 KB file can set to a million rows by 16,384 columns; here only the cells that are
    in the file count, and each is released once read.
    """
    from openpyxl.worksheet._reader import CELL_TAG, ROW_TAG

    number, values = 0, {}
    for event, element in iterparse(source, events=("start", "end")):
        tag = element.tag
        if event == "start":
            if tag == ROW_TAG:
                given = element.get("r")
                number = int(given) if given else number + 1
                counter.row(number)
                parser.row_counter, parser.col_counter, values = number, 0, {}
            continue
        if tag == CELL_TAG:
            cell = parser.parse_cell(element)
            column, value = cell["column"], cell["value"]
            counter.cell(number, column, value)
            if value is None and _uncalculated(element):
                message = _(
                    "มีสูตรที่ไม่ได้บันทึกค่าที่คำนวณไว้ — เปิดไฟล์นี้ใน Excel (หรือ LibreOffice) "
                    "แล้วกดบันทึก (Save) หนึ่งครั้ง จากนั้นนำเข้าใหม่"
                )
                raise TableError([CellError(message, row=number, column=column_letter(column))])
            if value is not None:
                values[column] = value
            element.clear()
        elif tag == ROW_TAG:
            element.clear()
            if values:
                row = [None] * max(values)
                for column, value in values.items():
                    row[column - 1] = value
                yield number, row


def _open_sheets(data: bytes, limits: Limits, first_only: bool = True):
    """Return (workbook, [(title, path)] of its worksheets), reading no worksheet on the way.

    ``openpyxl.load_workbook`` scans every sheet of the file for its size before returning;
    the steps below are its own, minus that scan. Each sheet that will be read is counted
    first (rows and cells, by tags), so a hostile sheet is refused before it is parsed.
    """
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.xml.constants import SHARED_STRINGS

    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
    archive = reader.archive
    reader.read_manifest()
    strings = reader.package.find(SHARED_STRINGS)
    reader.read_workbook()
    sheets = [
        (sheet.name, rel.target)
        for sheet, rel in reader.parser.find_sheets()
        if rel.target in reader.valid_files and "chartsheet" not in rel.Type
    ]
    if not sheets:
        raise _corrupt()
    if first_only:
        sheets = sheets[:1]
    strings_path = strings.PartName[1:] if strings is not None else None
    for _title, path in sheets:
        _check_counts(archive, path, strings_path, limits)
    reader.read_strings()
    apply_stylesheet(archive, reader.wb)
    return reader, sheets


def _cell_parser(reader):
    """openpyxl's cell reading (shared strings, dates, booleans), for rows we stream."""
    from openpyxl.worksheet._reader import WorkSheetParser

    workbook = reader.wb
    return WorkSheetParser(
        None,
        reader.shared_strings,
        data_only=True,
        epoch=workbook.epoch,
        date_formats=workbook._date_formats,
        timedelta_formats=workbook._timedelta_formats,
    )


def _xlsx_rows(data: bytes, limits: Limits) -> Iterator[tuple[int, list[object]]]:
    _check_archive(data, limits)
    reader = None
    # A damaged part makes openpyxl fail with almost any error (BadZipFile, XML ParseError,
    # KeyError, TypeError, IndexError...); for an uploaded file each means the same thing.
    try:
        reader, sheets = _open_sheets(data, limits)
        with reader.archive.open(sheets[0][1]) as source:
            yield from _sheet_rows(source, _cell_parser(reader), _Counter(limits))
    except TableError:
        raise
    except Exception as error:
        raise _corrupt() from error
    finally:
        if reader is not None:
            reader.archive.close()


def _csv_rows(data: bytes, limits: Limits) -> Iterator[tuple[int, list[object]]]:
    # A NUL byte is never text (and PostgreSQL refuses it), wherever it is in the file.
    if b"\x00" in data:
        raise TableError([CellError(_("ไฟล์นี้ไม่ใช่ตาราง (.xlsx หรือ .csv)"))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TableError([CellError(_("ไฟล์ CSV ต้องบันทึกเป็น UTF-8 (save as CSV UTF-8)"))]) from error
    counter = _Counter(limits)
    # csv's own limit (128 K characters by default) stops a giant field before it is held in
    # memory; the cell cap itself is checked per cell below. The limit is process-wide, so it
    # is only ever raised here (a lower one would break every other csv reader in the process).
    if csv.field_size_limit() <= limits.cell_chars:
        csv.field_size_limit(limits.cell_chars + 1)
    reader = csv.reader(io.StringIO(text, newline=""))
    number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                raise counter.too_long(number + 1) from error
            raise TableError(
                [CellError(_("อ่านไฟล์ CSV ไม่ได้: %(error)s") % {"error": error})]
            ) from error
        number += 1
        counter.row(number)
        for column, value in enumerate(row, start=1):
            counter.cell(number, column, value)
        yield number, row


def read_table(
    data: bytes,
    name: str,
    aliases: dict[str, str] | None = None,
    is_header: Callable[[list[str]], bool] | None = None,
) -> Table:
    """Return the first sheet of ``data`` as rows keyed by normalised header.

    The header is the first non-blank row, or the first row ``is_header`` accepts (so a title
    above the table is skipped). Two columns with the same header are refused.
    """
    limits = Limits.from_settings()
    try:
        return _read_table(data, name, aliases, is_header, limits)
    except TableError as error:
        error.name = error.name or name
        raise


def _read_table(data, name, aliases, is_header, limits: Limits) -> Table:
    if len(data) > limits.bytes:
        raise TableError([CellError(too_large(limits))], name)
    if not data.strip():
        raise TableError([CellError(_("ไฟล์ว่าง ไม่มีข้อมูล (empty file)"))], name)
    is_zip = data[:4] == b"PK\x03\x04"
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx" or is_zip:
        if not is_zip:
            raise TableError([CellError(_("ไฟล์ .xlsx นี้ไม่ใช่ไฟล์ Excel ที่อ่านได้"))], name)
        raw = _xlsx_rows(data, limits)
    elif suffix in ("", ".csv", ".txt"):
        raw = _csv_rows(data, limits)
    else:
        raise TableError(
            [CellError(_("ไม่รับไฟล์ %(suffix)s — ใช้ .xlsx หรือ .csv") % {"suffix": suffix})], name
        )

    return _table(raw, name, hashlib.sha256(data).hexdigest(), aliases, is_header)


def _table(raw, name: str, checksum: str, aliases=None, is_header=None) -> Table:
    """Rows of one sheet → a Table: the header row found, blank rows and columns dropped."""
    headers: list[str] | None = None
    seen_text = False
    rows = []
    for number, cells in raw:
        cells = [_cell(value) for value in cells]
        if headers is None:
            if not any(map(str, cells)):
                continue
            seen_text = True
            keys = [header_key(value, aliases) for value in cells]
            if is_header is None or is_header(keys):
                headers = keys
                _refuse_repeated_headers(headers, number, name)
            continue
        values = {
            header: cells[position] if position < len(cells) else ""
            for position, header in enumerate(headers)
            if header
        }
        if all(_is_blank(value) for value in values.values()):
            continue
        rows.append((number, values))
    if headers is None and is_header is not None and seen_text:
        raise TableError([CellError(_("ไม่พบแถวหัวตาราง (no header row found)"))], name)
    if headers is None:
        raise TableError([CellError(_("ไฟล์ว่าง ไม่มีข้อมูล (empty file)"))], name)
    return Table(
        name=name,
        checksum=checksum,
        headers=[header for header in headers if header],
        rows=rows,
    )


def _refuse_repeated_headers(headers: list[str], row: int, name: str) -> None:
    """Two columns with one header: one of them would be silently dropped."""
    first: dict[str, int] = {}
    errors = ErrorList()
    for position, header in enumerate(headers, start=1):
        if not header:
            continue
        if header in first:
            message = _("หัวคอลัมน์ %(header)s ซ้ำกัน: คอลัมน์ %(first)s และ %(again)s") % {
                "header": header,
                "first": column_letter(first[header]),
                "again": column_letter(position),
            }
            errors.append(CellError(message, row=row, column=column_letter(position)))
        first.setdefault(header, position)
    if errors:
        raise TableError(errors, name)


@dataclass
class Workbook:
    """Every worksheet of one .xlsx file, by its title in lower case, each read as
    ``read_table`` reads a sheet (header row, blank rows dropped, repeated headers refused)."""

    name: str
    checksum: str
    sheets: dict[str, Table]

    @property
    def rows(self) -> list[tuple[int, dict[str, object]]]:
        return [row for table in self.sheets.values() for row in table.rows]


def read_workbook(data: bytes, name: str, aliases: dict[str, str] | None = None) -> Workbook:
    """Return every worksheet of an .xlsx file, within the same limits as ``read_table``.

    The limits bind the whole file: its size and packing, every sheet's rows and cells counted
    before it is parsed, and the cells of all sheets together. An error names its sheet.
    """
    limits = Limits.from_settings()
    try:
        return _read_workbook(data, name, aliases, limits)
    except TableError as error:
        error.name = error.name or name
        raise


def _in_sheet(error: TableError, sheet: str) -> TableError:
    for problem in error.errors:
        problem.sheet = problem.sheet or sheet
    error.args = ("; ".join(error.lines()),)
    return error


def _read_workbook(data: bytes, name: str, aliases, limits: Limits) -> Workbook:
    if len(data) > limits.bytes:
        raise TableError([CellError(too_large(limits))], name)
    if not data.strip():
        raise TableError([CellError(_("ไฟล์ว่าง ไม่มีข้อมูล (empty file)"))], name)
    if data[:4] != b"PK\x03\x04":
        raise _refuse(_("ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx) — ไฟล์ที่มีหลายชีตต้องบันทึกเป็น .xlsx"))
    _check_archive(data, limits)
    checksum = hashlib.sha256(data).hexdigest()
    sheets: dict[str, Table] = {}
    reader = None
    try:
        reader, found = _open_sheets(data, limits, first_only=False)
        parser, counter = _cell_parser(reader), _Counter(limits)
        for title, path in found:
            try:
                with reader.archive.open(path) as source:
                    raw = list(_sheet_rows(source, parser, counter))
                # A sheet left empty is a sheet with no rows (an edition with no links yet).
                table = (
                    _table(raw, name, checksum, aliases) if raw else Table(name, checksum, [], [])
                )
            except TableError as error:
                raise _in_sheet(error, title) from None
            sheets.setdefault(header_key(title), table)
    except TableError:
        raise
    except Exception as error:
        raise _corrupt() from error
    finally:
        if reader is not None:
            reader.archive.close()
    return Workbook(name=name, checksum=checksum, sheets=sheets)


def too_large(limits) -> str:
    megabytes = limits.bytes // (1024 * 1024)
    return _("ไฟล์ใหญ่เกิน %(mb)s MB (file too large)") % {"mb": megabytes}


def refused(error: TableError, stderr) -> Exception:
    """Print every error of a refused file, one per line; return the command's final error."""
    from django.core.management.base import CommandError

    for line in error.lines():
        stderr.write(line)
    return CommandError(
        f"ไม่ได้นำเข้า: พบข้อผิดพลาด {error.total} รายการ ไม่มีข้อมูลใดถูกบันทึก "
        f"(nothing imported: {error.total} errors)"
    )
