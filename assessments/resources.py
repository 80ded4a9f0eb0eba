"""django-import-export resources for the catalog and the scores: natural keys, never ids.

Export is the library's own (the admin's export button, .xlsx or .csv), with organizations
by code and items by code within the framework of a fiscal year, so an exported file can be
imported again. Import goes through the app's importers instead of the library's row-by-row
loop: every row is checked before anything is written, one bad cell means nothing is
written (the library keeps valid rows unless told otherwise), and 4,400 scores are written
in bulk with their history. The admin keeps the library's upload → preview → confirm flow.
"""

import io
from collections import OrderedDict

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources
from import_export.formats import base_formats
from import_export.results import Result, RowResult

from assessments import score_import
from assessments.framework_book import import_workbook
from assessments.loaders import Counts, import_items, import_reported, record_import
from assessments.models import Framework, ImportRecord, Item, ItemScore, ReportedScore
from assessments.tables import Table, TableError, more_errors_line, read_table, read_workbook


class SpreadsheetFormat(base_formats.Format):
    """An uploaded .xlsx or UTF-8 .csv, told apart by content and read by ``read_table``."""

    def __init__(self, encoding=None):
        self.encoding = encoding

    def get_title(self):
        return gettext("Excel (.xlsx) หรือ CSV (UTF-8)")

    def create_dataset(self, in_stream):
        data = in_stream if isinstance(in_stream, bytes) else in_stream.encode("utf-8")
        table = read_table(data, "")  # refuses empty, oversized, corrupt and non-spreadsheet files
        dataset = tablib.Dataset(headers=table.headers)
        for _line, row in table.rows:
            dataset.append([row.get(header, "") for header in table.headers])
        dataset.raw = data
        return dataset

    def can_import(self):
        return True


# Text that a spreadsheet program would run as a formula when it opens an exported file.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def text_safe_cell(sheet, value):
    """A write-only cell of ``sheet`` that shows ``value`` exactly as typed: characters .xlsx
    cannot hold are replaced, and text that starts like a formula stays text."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("\N{REPLACEMENT CHARACTER}", value)
    written = WriteOnlyCell(sheet, value=value)
    if formula_like(value):
        written.data_type, written.quotePrefix = "s", True
    return written


class EscapedCSV(base_formats.CSV):
    """CSV export in which no text runs as a formula: such text gets a leading apostrophe,
    which spreadsheet programs show as a plain-text mark."""

    def _escape_formulae(self, dataset):
        # The library's own escaping (IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT) drops a leading
        # "=" from the text, leaves "+", "-" and "@" alone and turns every cell into text.
        pass

    def export_data(self, dataset, **kwargs):
        escaped = tablib.Dataset(headers=dataset.headers)
        for row in dataset:
            escaped.append([f"'{value}" if formula_like(value) else value for value in row])
        return super().export_data(escaped, **kwargs)


class EscapedXLSX(base_formats.XLSX):
    """.xlsx export in which text is always stored as text, never as a formula, and shows
    exactly as it was typed."""

    def _escape_formulae(self, dataset):
        pass  # see EscapedCSV

    def export_data(self, dataset, **kwargs):
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(dataset.title or "Sheet1")
        if dataset.headers:
            sheet.append([text_safe_cell(sheet, header) for header in dataset.headers])
        for row in dataset:
            sheet.append([text_safe_cell(sheet, value) for value in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


def _raw_bytes(dataset) -> bytes:
    """The uploaded file itself, or (for a dataset built in code) the dataset as CSV."""
    raw = getattr(dataset, "raw", None)
    return raw if raw is not None else dataset.export("csv").encode("utf-8")


class TableImportResource(resources.ModelResource):
    """A resource whose import is one all-or-nothing call to an app importer.

    Subclasses set ``record_kind`` and ``preview_headers`` and implement ``import_table``,
    which checks every row (raising TableError) and writes; a dry run is rolled back.
    """

    record_kind: str = ""
    preview_headers: tuple[str, ...] = ()

    def read(self, data: bytes, name: str) -> Table:
        return read_table(data, name)

    def import_table(self, table: Table, *, user) -> Counts:
        raise NotImplementedError

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        """Import the whole file or nothing; report errors by spreadsheet row and column."""
        result = Result()
        result.diff_headers = list(self.preview_headers)
        user = kwargs.get("user")
        try:
            with transaction.atomic():
                table = self.read(_raw_bytes(dataset), kwargs.get("file_name") or "upload")
                counts = self.import_table(table, user=user)
                if dry_run:
                    transaction.set_rollback(True)
                else:
                    record_import(self.record_kind, table, user, counts)
        except TableError as error:
            if raise_errors:
                raise
            result.diff_headers = []
            for number, messages in _errors_by_row(error).items():
                result.append_invalid_row(number, {}, ValidationError(messages))
            return result
        for import_type, values in counts.changes:
            row = RowResult()
            row.import_type, row.diff = import_type, values
            result.append_row_result(row)
        result.totals[RowResult.IMPORT_TYPE_NEW] = counts.created
        result.totals[RowResult.IMPORT_TYPE_UPDATE] = counts.updated
        result.totals[RowResult.IMPORT_TYPE_SKIP] = counts.unchanged
        result.total_rows = counts.total
        return result


def _errors_by_row(error: TableError) -> "OrderedDict[object, dict[str, list[str]]]":
    """Group a refused file's errors for the preview table: row → {column: [messages]}.

    In a workbook of several sheets the row is named with its sheet ("tools 3").
    """
    rows: OrderedDict = OrderedDict()
    for problem in error.errors:
        number = problem.row if problem.row is not None else "—"
        if problem.sheet:
            number = problem.sheet if problem.row is None else f"{problem.sheet} {problem.row}"
        column = problem.column or NON_FIELD_ERRORS
        rows.setdefault(number, {}).setdefault(column, []).append(problem.message)
    if error.unlisted:
        rows.setdefault("…", {})[NON_FIELD_ERRORS] = [more_errors_line(error.unlisted)]
    return rows


class WorkbookFormat(SpreadsheetFormat):
    """An uploaded .xlsx of several sheets, refused on the form if it cannot be read whole."""

    def get_title(self):
        return _("Excel (.xlsx) หนึ่งไฟล์ หลายชีต")

    def create_dataset(self, in_stream):
        data = in_stream if isinstance(in_stream, bytes) else in_stream.encode("utf-8")
        # Refuses what is not a workbook, and workbooks over the limits, on the upload form.
        workbook = read_workbook(data, "")
        # The library wants rows to preview; the import itself reads ``raw`` whole.
        dataset = tablib.Dataset(headers=["sheet", "rows"])
        for title, table in workbook.sheets.items():
            dataset.append([title, len(table.rows)])
        dataset.raw = data
        return dataset


class FrameworkBookResource(TableImportResource):
    """A whole edition in one workbook (``assessments.framework_book``); exported from the
    Framework admin's action, not row by row."""

    record_kind = ImportRecord.Kind.CATALOG
    preview_headers = (_("ชีต"), _("รายการ"), _("การเปลี่ยนแปลง"))

    class Meta:
        model = Framework
        fields = ("fiscal_year", "name")

    def read(self, data, name):
        return read_workbook(data, name)

    def import_table(self, table, *, user):
        result = import_workbook(table, user=user, record=False)
        totals = result.totals()
        counts = Counts(totals.created, totals.updated + totals.removed, totals.unchanged)
        for change in result.changes:
            counts.changes.append((change.action, [change.sheet, change.key, change.describe()]))
        return counts


class ItemResource(TableImportResource):
    """The catalog: one row per item — fiscal_year, indicator, item, name, text."""

    fiscal_year = fields.Field("framework__fiscal_year", "fiscal_year", readonly=True)
    indicator = fields.Field("indicator__number", "indicator", readonly=True)
    item = fields.Field("code", "item", readonly=True)
    name = fields.Field("name", "name", readonly=True)
    text = fields.Field("text", "text", readonly=True)

    record_kind = ImportRecord.Kind.CATALOG
    preview_headers = (_("ปีงบประมาณ"), _("ข้อ"), _("ชื่อ"))

    class Meta:
        model = Item
        fields = ("fiscal_year", "indicator", "item", "name", "text")

    def import_table(self, table, *, user):
        return import_items(table)


class ItemScoreResource(TableImportResource):
    """Item scores, long (organization, fiscal_year, item, score) or wide (one row per
    organization); exported long."""

    organization = fields.Field("assessment__organization__code", "organization", readonly=True)
    fiscal_year = fields.Field("assessment__framework__fiscal_year", "fiscal_year", readonly=True)
    item = fields.Field("item__code", "item", readonly=True)
    score = fields.Field("score", "score", readonly=True)

    record_kind = ImportRecord.Kind.SCORES
    preview_headers = (_("หน่วยงาน"), _("ปีงบประมาณ"), _("ข้อ"), _("คะแนนเดิม"), _("คะแนนใหม่"))

    class Meta:
        model = ItemScore
        fields = ("organization", "fiscal_year", "item", "score")

    def read(self, data, name):
        return read_table(data, name, score_import.ALIASES)

    def import_table(self, table, *, user):
        plan = score_import.plan_import(table)
        score_import.apply_import(plan, user)
        counts = Counts(len(plan.created), len(plan.updated), plan.unchanged)
        for import_type, changes in (("new", plan.created), ("update", plan.updated)):
            for change in changes:
                old = "" if change.old is None else f"{change.old}"
                values = [change.organization, str(change.fiscal_year), change.item_code]
                counts.changes.append((import_type, [*values, old, f"{change.new}"]))
        return counts


class ReportedScoreResource(TableImportResource):
    """Officially printed figures: organization, fiscal_year, scope, target, value, basis, …"""

    organization = fields.Field("assessment__organization__code", "organization", readonly=True)
    fiscal_year = fields.Field("assessment__framework__fiscal_year", "fiscal_year", readonly=True)
    scope = fields.Field("scope", "scope", readonly=True)
    target = fields.Field("target_label", "target", readonly=True)
    value = fields.Field("value", "value", readonly=True)
    basis = fields.Field("basis", "basis", readonly=True)
    source = fields.Field("source", "source", readonly=True)
    note = fields.Field("note", "note", readonly=True)

    record_kind = ImportRecord.Kind.REPORTED
    preview_headers = (_("หน่วยงาน"), _("ปีงบประมาณ"), _("ระดับ"), _("เป้าหมาย"), _("ค่า"))

    class Meta:
        model = ReportedScore
        fields = (
            "organization",
            "fiscal_year",
            "scope",
            "target",
            "value",
            "basis",
            "source",
            "note",
        )

    def import_table(self, table, *, user):
        return import_reported(table)
